// Drift next to the plan: for each target the dry-run panel shows, the mirror's current state
// from the engine's status (the check `git-replication status` makes: in sync, behind with the
// refs, diverged, missing repository, unreachable), matched by project, remote and URL as shown.
// Pure; the texts go through healthModel's scrub, so no credential reaches the webview.
import type { Health, PlanResult, StatusResult } from '../../../server/src/protocol';
import { displayUrl } from '../models/args';
import { targetDescription, targetLines } from '../models/healthModel';

export interface DriftItem {
  /** The plan target's index (section data-t). */
  t: number;
  health: Health | 'unknown';
  text: string;
  title: string;
}

export function driftItems(plan: PlanResult, status: StatusResult, now: number): DriftItem[] {
  const key = (project: string, remote: string, url: string) => `${project}\0${remote}\0${displayUrl(url)}`;
  const by = new Map(status.targets.map((s) => [key(s.project, s.remote, s.url), s]));
  return plan.targets.map((p, t) => {
    const s = by.get(key(p.project, p.remote, p.url));
    if (!s) return { t, health: 'unknown' as const, text: 'state unknown', title: 'The status check did not cover this target.' };
    return { t, health: s.health, text: `now: ${targetDescription(s, now)}`, title: targetLines(s, now).join('\n') };
  });
}

