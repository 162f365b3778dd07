// What "Replicate these" pushes: the ref changes the panel shows, resolved against the plan the
// panel rendered (the webview names rows by index; it cannot invent a change), and the summary
// the user confirms, deletions first as `terraform apply` lists destroys first. No vscode here,
// so node:test checks it.
import type { ExactRefChange, ExactTarget, PlanRefChange, PlanResult, PlanTarget } from '../../../server/src/protocol';
import { displayUrl } from '../models/args';

/** The webview's message: the plan version it shows and, per shown target, the shown rows. */
export interface ShownMessage {
  version: number;
  shown: Array<{ t: number; rows: number[] }>;
}

export interface Skipped {
  project: string;
  url: string;
  change: PlanRefChange;
}

export interface ExactSelection {
  targets: ExactTarget[];
  /** Pushable changes of shown targets that the filters or the search hide: not pushed. */
  skipped: Skipped[];
  /** Shown targets that cannot be reached: nothing is pushed to them. */
  unreachable: PlanTarget[];
  /** Shown rejected changes (git would refuse them): not pushed. */
  rejected: Skipped[];
  upToDate: number;
  /** Shown targets whose repository would be created by the push. */
  createRepositories: number;
}

const PUSHED = new Set(['create', 'fast-forward', 'force', 'delete']);

function exact(c: PlanRefChange): ExactRefChange {
  return { ref: c.ref, remoteRef: c.remoteRef, kind: c.kind as ExactRefChange['kind'], oldId: c.oldId, newId: c.newId };
}

/** Resolve the webview's message against the plan it was rendered from; a string says why not. */
export function selectionFromShown(plan: PlanResult | undefined, version: number, msg: unknown): ExactSelection | string {
  const m = msg as Partial<ShownMessage> | undefined;
  if (!plan) return 'no dry run has been computed yet';
  if (!m || m.version !== version) return 'the dry run changed since it was shown; look at it again and retry';
  if (!Array.isArray(m.shown) || m.shown.length === 0) return 'no targets shown';
  const out: ExactSelection = { targets: [], skipped: [], unreachable: [], rejected: [], upToDate: 0, createRepositories: 0 };
  const seen = new Set<number>();
  for (const s of m.shown) {
    const t = Number.isInteger(s?.t) ? plan.targets[s.t] : undefined;
    if (!t || seen.has(s.t) || !Array.isArray(s.rows)) return 'malformed target';
    seen.add(s.t);
    const url = displayUrl(t.url);
    if (t.unreachable) {
      out.unreachable.push(t);
      continue;
    }
    const rows = new Set<number>();
    for (const r of s.rows) {
      if (!Number.isInteger(r) || !t.changes[r]) return 'malformed row';
      rows.add(r);
    }
    const changes: ExactRefChange[] = [];
    t.changes.forEach((c, i) => {
      if (c.kind === 'up-to-date') {
        if (rows.has(i)) out.upToDate++;
      } else if (c.kind === 'rejected') {
        if (rows.has(i)) out.rejected.push({ project: t.project, url, change: c });
      } else if (PUSHED.has(c.kind)) {
        if (rows.has(i)) changes.push(exact(c));
        else out.skipped.push({ project: t.project, url, change: c });
      }
    });
    if (changes.length) {
      out.targets.push({ project: t.project, remote: t.remote, url: t.url, changes });
      if (t.createRepository) out.createRepositories++;
    }
  }
  return out;
}

/** Every pushable change of a plan (Replicate Project / All after confirmation). */
export function selectionOfPlan(plan: PlanResult): ExactSelection {
  const shown = plan.targets.map((t, i) => ({ t: i, rows: t.changes.map((_c, j) => j) }));
  const r = selectionFromShown(plan, 0, { version: 0, shown });
  return typeof r === 'string' ? { targets: [], skipped: [], unreachable: [], rejected: [], upToDate: 0, createRepositories: 0 } : r;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export interface Confirmation {
  /** The modal's message: the counts, deletions first. */
  message: string;
  /** One line per destructive change (deletes, then forced updates), then what is not pushed. */
  detail: string;
  /** The button that starts the push. */
  action: string;
  destructive: boolean;
  pushes: number;
}

const LIST = 20;

export function confirmation(sel: ExactSelection): Confirmation {
  const all = sel.targets.flatMap((t) => t.changes.map((c) => ({ t, c })));
  const n = (k: string) => all.filter((x) => x.c.kind === k).length;
  const del = n('delete');
  const force = n('force');
  const parts = [
    del ? `delete ${plural(del, 'ref')}` : '',
    force ? `force-update ${plural(force, 'ref')}` : '',
    n('fast-forward') ? `update ${plural(n('fast-forward'), 'ref')}` : '',
    n('create') ? `create ${plural(n('create'), 'ref')}` : '',
  ].filter(Boolean);
  const targets = sel.targets.length;
  let message = all.length
    ? `Push to ${plural(targets, 'target')}: ${parts.join(', ')}${sel.createRepositories ? ` (${plural(sel.createRepositories, 'repository', 'repositories')} created first)` : ''}.`
    : 'Nothing shown would be pushed.';
  const notPushed = [
    sel.skipped.length ? `${sel.skipped.length} hidden by the filters (skipped)` : '',
    sel.rejected.length ? `${sel.rejected.length} rejected` : '',
    sel.unreachable.length ? `${plural(sel.unreachable.length, 'target')} unreachable` : '',
    sel.upToDate ? `${sel.upToDate} up to date` : '',
  ].filter(Boolean);
  if (notPushed.length) message += ` Not pushed: ${notPushed.join(', ')}.`;
  const lines: string[] = [];
  const list = (title: string, items: Array<{ project: string; url: string; ref: string; extra?: string }>) => {
    if (!items.length) return;
    lines.push(`${title}:`);
    for (const x of items.slice(0, LIST)) lines.push(`  ${x.project} → ${x.url}: ${x.ref}${x.extra ? ` (${x.extra})` : ''}`);
    if (items.length > LIST) lines.push(`  … and ${items.length - LIST} more`);
  };
  const of = (k: string) => all.filter((x) => x.c.kind === k).map((x) => ({ project: x.t.project, url: displayUrl(x.t.url), ref: x.c.remoteRef }));
  list('Delete', of('delete'));
  list('Force-update', of('force'));
  list('Update', of('fast-forward'));
  list('Create', of('create'));
  list('Skipped, hidden by the filters', sel.skipped.map((s) => ({ project: s.project, url: s.url, ref: s.change.remoteRef, extra: s.change.kind === 'fast-forward' ? 'update' : s.change.kind })));
  list('Rejected, not pushed', sel.rejected.map((s) => ({ project: s.project, url: s.url, ref: s.change.remoteRef, extra: s.change.reason })));
  list('Unreachable, not pushed', sel.unreachable.map((t) => ({ project: t.project, url: displayUrl(t.url), ref: '', extra: (t.unreachable ?? '').split('\n')[0] })).map((x) => ({ ...x, ref: x.extra, extra: undefined })));
  return {
    message,
    detail: lines.join('\n'),
    action: all.length ? `Push ${plural(all.length, 'change')}` : '',
    destructive: del + force > 0,
    pushes: all.length,
  };
}
