// The ref deletion guard's question: the server answered a start with needsConfirmation (a push
// would delete more refs than gitReplication.refDeletionGuard allows) and started nothing. This
// is the modal's text; the client sends the same request again with confirmDeletions only after
// the user pressed its button. Pure; URLs are shown without user info.
import type { StartResult } from '../../../server/src/protocol';
import { displayUrl } from './args';

export interface GuardQuestion {
  message: string;
  detail: string;
  action: string;
}

const LIST = 20;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function guardQuestion(title: string, nc: NonNullable<StartResult['needsConfirmation']>): GuardQuestion {
  const deletes = nc.targets.reduce((n, t) => n + t.deletes.length, 0);
  const lines: string[] = [];
  for (const t of nc.targets) {
    lines.push(`${t.project} → ${displayUrl(t.url)} (remote ${t.remote}): delete ${t.deletes.length} of ${plural(t.mirrorRefs, 'ref')} on the mirror`);
    for (const r of t.deletes.slice(0, LIST)) lines.push(`  ${r}`);
    if (t.deletes.length > LIST) lines.push(`  … and ${t.deletes.length - LIST} more`);
  }
  lines.push('', `The ref deletion guard (gitReplication.refDeletionGuard) stops a push that deletes ${nc.guard}. Nothing has been pushed yet.`);
  return {
    message: `${title}: mass deletion. ${plural(nc.targets.length, 'target')} would delete ${plural(deletes, 'ref')}, more than the ref deletion guard allows.`,
    detail: lines.join('\n'),
    action: `Delete ${plural(deletes, 'ref')} and push`,
  };
}
