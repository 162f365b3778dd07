// Queue tree model: the engine's tasks grouped as in flight, pending and failed, with project,
// URL, refs, retry count and the next attempt. Pure: `now` is passed in for relative times.
import type { QueueSnapshot, QueueTask } from '../../../server/src/protocol';
import { displayUrl } from './args';
import { scrub, localTime } from './healthModel';
import type { TreeNode } from './treeNode';

export function relativeTime(at: number, now: number): string {
  const s = Math.round((at - now) / 1000);
  if (s <= 0) return 'now';
  if (s < 60) return `in ${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `in ${m}m`;
  return `in ${Math.round(m / 60)}h`;
}

function refsText(refs: string[]): string {
  if (refs.length === 0) return 'no refs';
  if (refs.includes('..all..')) return 'all refs';
  if (refs.length === 1) return refs[0];
  return `${refs.length} refs`;
}

const GIVE_UP = /^Push to \S+ cancelled after maximum number of retries: /;

/**
 * Why a task failed, in one line: the first error (what went wrong to begin with), not the
 * give-up notice; undefined while nothing failed. No user info from a URL in the text.
 */
export function failureReason(t: Pick<QueueTask, 'lastError' | 'firstError'>): string | undefined {
  const raw = t.firstError ?? t.lastError;
  if (!raw) return undefined;
  const line = raw.replace(GIVE_UP, '').split('\n').map((l) => l.trim()).filter(Boolean)
    // git's "fatal: unable to access 'URL': Failed to connect…": the part after the URL says it.
    .map((l) => l.replace(/^fatal: unable to access '[^']*': /, ''))[0];
  return line ? scrub(line) : undefined;
}

export function taskNode(t: QueueTask, now: number): TreeNode {
  const url = displayUrl(t.url);
  // Most telling first: the sidebar is narrow and the URL is long.
  const parts: string[] = [];
  if (t.retries > 0 || t.state === 'retrying' || t.state === 'failed') parts.push(`retry ${t.retries}`);
  const reason = t.state === 'running' ? undefined : failureReason(t);
  if (reason) parts.push(reason);
  if (t.nextAttemptAt !== undefined && t.state !== 'running' && t.state !== 'failed') parts.push(`next ${relativeTime(t.nextAttemptAt, now)}`);
  parts.push(refsText(t.refs), `→ ${url}`);
  const tooltip = [
    `${t.project} → ${url} (remote ${t.remote})`,
    `state: ${t.state}`,
    `refs: ${t.refs.includes('..all..') ? 'all refs' : t.refs.join(', ') || '—'}`,
    `retries: ${t.retries}`,
    // People read this: relative and local first, the exact UTC time for logs after it.
    t.nextAttemptAt !== undefined ? `next attempt: ${relativeTime(t.nextAttemptAt, now)} (${localTime(new Date(t.nextAttemptAt))} local time, ${new Date(t.nextAttemptAt).toISOString()})` : '',
    t.firstError ? `first error: ${scrub(t.firstError)}` : '',
    t.lastError ? `last error: ${scrub(t.lastError)}` : '',
  ].filter(Boolean).join('\n');
  const icon = t.state === 'running' ? 'sync~spin' : t.state === 'failed' ? 'error' : t.state === 'retrying' ? 'debug-restart' : 'clock';
  return {
    id: `task:${t.id}`,
    kind: 'task',
    label: t.project,
    description: parts.join(' · '),
    tooltip,
    icon,
    iconColor: t.state === 'failed' || t.state === 'retrying' ? 'problemsErrorIcon.foreground' : undefined,
    contextValue: `task.${t.state}`,
    data: t,
  };
}

/** Groups; empty groups are left out, and an empty queue gives no nodes (the view shows its welcome text). */
export function queueNodes(snap: QueueSnapshot | undefined, now: number): TreeNode[] {
  if (!snap) return [];
  const groups: Array<[string, string, string, (t: QueueTask) => boolean]> = [
    ['inflight', 'In flight', 'sync', (t) => t.state === 'running'],
    ['pending', 'Pending', 'clock', (t) => t.state === 'waiting'],
    ['failed', 'Failed', 'error', (t) => t.state === 'failed' || t.state === 'retrying'],
  ];
  const out: TreeNode[] = [];
  for (const [key, label, icon, pick] of groups) {
    const tasks = snap.tasks.filter(pick);
    if (!tasks.length) continue;
    out.push({
      id: `group:${key}`,
      kind: 'group',
      label,
      description: String(tasks.length),
      icon,
      iconColor: key === 'failed' ? 'problemsErrorIcon.foreground' : undefined,
      contextValue: `group.${key}`,
      children: tasks.map((t) => taskNode(t, now)),
      expanded: true,
    });
  }
  return out;
}

/** Status bar text and tooltip for a queue snapshot (codicon syntax). */
export function statusText(snap: QueueSnapshot | undefined, trusted: boolean): { text: string; tooltip: string; alert: boolean } {
  if (!trusted) return { text: '$(shield) Replication', tooltip: 'Replication is disabled in Restricted Mode', alert: false };
  if (!snap) return { text: '$(repo-push) Replication', tooltip: 'Replication queue: not loaded — click to open the Queue view', alert: false };
  const depth = snap.pending + snap.inFlight;
  // Failing = failed for good + pending retries after a failure (counted in pending too).
  const retrying = snap.tasks.filter((t) => t.state === 'retrying').length;
  const failing = snap.failed + retrying;
  const icon = snap.inFlight > 0 ? '$(sync~spin)' : '$(repo-push)';
  let text = `${icon} ${depth}`;
  if (failing > 0) text += ` $(error) ${failing}`;
  const detail = failing ? ` (${retrying} retrying, ${snap.failed} failed)` : '';
  const tooltip = `Replication queue: ${snap.inFlight} in flight, ${snap.pending} pending, ${failing} failing${detail} — click to open the Queue view`;
  return { text, tooltip, alert: failing > 0 };
}

/**
 * The progress toast's one message for tasks being followed: how many are done and, for a
 * task waiting to retry, which URL, when, and why it failed (at once, not after the retries).
 */
export function progressText(snap: QueueSnapshot, taskIds: string[], done: number, now: number): string {
  const head = `${done}/${taskIds.length} done`;
  const waiting = snap.tasks.find((t) => taskIds.includes(t.id) && (t.state === 'retrying' || (t.state === 'waiting' && t.lastError)));
  if (!waiting) return head;
  const when = waiting.nextAttemptAt !== undefined ? ` ${relativeTime(waiting.nextAttemptAt, now)}` : '';
  const why = failureReason(waiting);
  return `${head}; retry ${waiting.retries} of ${displayUrl(waiting.url)}${when}${why ? `: ${why}` : ''}`;
}
