// How the CLI shows targets over the ref deletion guard (engine/preview/deletionGuard.ts): the
// deletions first, ten refs per target at most.
import type { DeletionGuardHit } from '../protocol';
import { UsageError } from './args';
import { deletionGuardFrom, describeGuard, type DeletionGuard } from '../engine/preview/deletionGuard';

const MAX_SHOWN = 10;

export function guardFlag(flag: unknown): DeletionGuard {
  try {
    return deletionGuardFrom(typeof flag === 'string' ? flag : undefined);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function hitLines(hits: DeletionGuardHit[], guard: DeletionGuard, verb = 'would delete'): string[] {
  const lines = [`${hits.length} target(s) ${verb} more refs than the ref deletion guard allows (${describeGuard(guard)}):`];
  for (const h of hits) {
    lines.push(`  ${h.project} → ${h.remote}  ${h.url}: deletes ${h.deletes.length} of ${h.mirrorRefs} ref(s)`);
    for (const r of h.deletes.slice(0, MAX_SHOWN)) lines.push(`    delete ${r}`);
    if (h.deletes.length > MAX_SHOWN) lines.push(`    … and ${h.deletes.length - MAX_SHOWN} more`);
  }
  return lines;
}
