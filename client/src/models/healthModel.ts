// Mirror health for the views: the engine's status (one state per remote × URL × project, with
// the last success and the last error) turned into icons, descriptions, tooltip lines and the
// status-bar summary. Pure: `now` is passed in; every text goes through `scrub`, so a URL with
// user info that slipped into an error message is shown without it.
import type { Health, StatusResult, TargetStatus } from '../../../server/src/protocol';
import { displayUrl } from './args';

/** Worst first: the order a summary names states in, and how a row of many targets is coloured. */
export const HEALTH_ORDER: readonly Health[] = ['unreachable', 'diverged', 'missing-repository', 'behind', 'in-sync'];

export const HEALTH_LOOK: Record<Health, { icon: string; color: string; word: string }> = {
  'in-sync': { icon: 'pass', color: 'testing.iconPassed', word: 'in sync' },
  behind: { icon: 'history', color: 'problemsWarningIcon.foreground', word: 'behind' },
  'missing-repository': { icon: 'circle-slash', color: 'problemsWarningIcon.foreground', word: 'missing repository' },
  diverged: { icon: 'git-compare', color: 'problemsErrorIcon.foreground', word: 'diverged' },
  unreachable: { icon: 'debug-disconnect', color: 'problemsErrorIcon.foreground', word: 'unreachable' },
};

export function worst(hs: Iterable<Health>): Health | undefined {
  let best = HEALTH_ORDER.length;
  for (const h of hs) best = Math.min(best, HEALTH_ORDER.indexOf(h));
  return HEALTH_ORDER[best];
}

/** Text with the user info of every URL in it removed (displayUrl's rule, anywhere in the text). */
export function scrub(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^/@\s]*@/gi, (m) => displayUrl(`${m}x`).slice(0, -1));
}

/** "3m ago", "2h 5m ago", "4d 1h ago". */
export function ago(iso: string, now: number): string {
  let s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  const parts: string[] = [];
  for (const [unit, n] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (s >= n) {
      parts.push(`${Math.floor(s / n)}${unit}`);
      s %= n;
    }
    if (parts.length === 2) break;
  }
  return `${parts.join(' ')} ago`;
}

/** A time for people: local date and time (minutes), then how long ago. */
export function when(iso: string, now: number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${localTime(d)} (${ago(iso, now)})`;
}

/** Local date and time to the minute: "2026-12-03 14:05". */
export function localTime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const firstLine = (s: string) => scrub(s.split('\n')[0].trim());
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Counts of the targets by state, worst first: "1 behind, 2 in sync". */
export function countsText(targets: TargetStatus[]): string {
  const n = new Map<Health, number>();
  for (const t of targets) n.set(t.health, (n.get(t.health) ?? 0) + 1);
  return HEALTH_ORDER.filter((h) => n.get(h)).map((h) => `${n.get(h)} ${HEALTH_LOOK[h].word}`).join(', ');
}

/** One target's short description: the state and what differs. */
export function targetDescription(t: TargetStatus, now: number): string {
  const parts = [HEALTH_LOOK[t.health].word];
  if (t.refs.length) parts.push(plural(t.refs.length, 'ref'));
  if (t.oldestUnreplicated) parts.push(`oldest update ${ago(t.oldestUnreplicated, now)}`);
  if ((t.health === 'unreachable' || t.health === 'missing-repository') && t.error) parts.push(firstLine(t.error));
  return parts.join(' · ');
}

/** The tooltip lines of one target: state, refs that differ, last success, last error. */
export function targetLines(t: TargetStatus, now: number): string[] {
  const lines = [`${t.project} → ${displayUrl(t.url)} (remote ${t.remote}): ${HEALTH_LOOK[t.health].word}`];
  if (t.error) lines.push(`  ${firstLine(t.error)}`);
  for (const r of t.refs.slice(0, 5)) lines.push(`  ${r.kind} ${r.ref}${r.reason ? ` (${r.reason})` : ''}`);
  if (t.refs.length > 5) lines.push(`  … and ${t.refs.length - 5} more`);
  if (t.oldestUnreplicated) lines.push(`  oldest unreplicated update: ${when(t.oldestUnreplicated, now)}`);
  lines.push(`  last success: ${t.lastSuccess ? when(t.lastSuccess, now) : 'never recorded'}`);
  if (t.lastError) lines.push(`  last error: ${when(t.lastError.at, now)}: ${firstLine(t.lastError.message)}`);
  return lines;
}

/** The latest last-success and last-error over several targets (a URL row), with the project. */
export function latest(targets: TargetStatus[], now: number): string[] {
  const ok = targets.filter((t) => t.lastSuccess).sort((a, b) => Date.parse(b.lastSuccess!) - Date.parse(a.lastSuccess!))[0];
  const err = targets.filter((t) => t.lastError).sort((a, b) => Date.parse(b.lastError!.at) - Date.parse(a.lastError!.at))[0];
  return [
    `last success: ${ok ? `${when(ok.lastSuccess!, now)}, ${ok.project}` : 'never recorded'}`,
    ...(err ? [`last error: ${when(err.lastError!.at, now)}, ${err.project}: ${firstLine(err.lastError!.message)}`] : []),
  ];
}

/**
 * `fresh` replaces what `old` said about the targets it covers (a Sync now refreshes only its
 * own project and remote): scope is the selection `fresh` was taken for.
 */
export function mergeStatus(old: StatusResult | undefined, fresh: StatusResult, scope: { projects?: string[]; remotes?: string[] } = {}): StatusResult {
  if (!old || (!scope.projects?.length && !scope.remotes?.length)) return fresh;
  const inScope = (t: TargetStatus) => (!scope.projects?.length || scope.projects.includes(t.project)) && (!scope.remotes?.length || scope.remotes.includes(t.remote));
  // Rows keep their place: a fresh target replaces the old one where it was.
  const key = (t: TargetStatus) => `${t.remote}\0${t.url}\0${t.project}`;
  const byKey = new Map(fresh.targets.map((t) => [key(t), t]));
  const targets: TargetStatus[] = [];
  for (const t of old.targets) {
    if (!inScope(t)) targets.push(t);
    else if (byKey.has(key(t))) {
      targets.push(byKey.get(key(t))!);
      byKey.delete(key(t));
    }
  }
  targets.push(...byKey.values());
  const counts: Record<Health, number> = { 'in-sync': 0, behind: 0, diverged: 0, 'missing-repository': 0, unreachable: 0 };
  for (const t of targets) counts[t.health]++;
  return { site: fresh.site, at: fresh.at, targets, counts };
}

/** The status-bar summary: shown only when some target is not in sync. */
export function healthBar(status: StatusResult | undefined, now: number): { text: string; tooltip: string; alert: boolean } | undefined {
  if (!status) return undefined;
  const bad = status.targets.filter((t) => t.health !== 'in-sync');
  if (!bad.length) return undefined;
  const h = worst(bad.map((t) => t.health))!;
  const list = bad.slice(0, 10).map((t) => `${t.project} → ${t.remote} (${displayUrl(t.url)}): ${targetDescription(t, now)}`);
  if (bad.length > 10) list.push(`… and ${bad.length - 10} more`);
  return {
    text: `$(${HEALTH_LOOK[h].icon}) Mirror health: ${countsText(bad)}`,
    tooltip: [`Mirror health: ${plural(bad.length, 'target')} of ${status.targets.length} not in sync (checked ${when(status.at, now)})`, ...list, 'Click to open the Remotes view'].join('\n'),
    alert: h === 'unreachable' || h === 'diverged',
  };
}
