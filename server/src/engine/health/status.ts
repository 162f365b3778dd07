// `status`: the health of each target (project × remote × URL). What "should be there" is the
// dry run of engine/plan.ts (planTarget), run against what the mirror holds now, so status and
// plan can never disagree; the last success and last error come from targetState.ts.
import type { Health, PlanTarget, StatusRef, StatusResult, TargetStatus } from '../../protocol';
import type { Engine, Selection, Target } from '../engine';
import { planTarget } from '../preview/plan';
import { localRefs, type RefMap } from '../transport/refs';
import { projectDir } from '../site/loadSite';
import { transportFor } from '../queue/runner';
import { TargetStateStore } from './targetState';
import { localGitEnv, runGit } from '../transport/git';
import { mirrorRefsOf, tripsGuard } from '../preview/deletionGuard';
import { displayUrl } from '../transport/invocation';

export type { Health, StatusRef, TargetStatus, StatusResult } from '../../protocol';

/** The health of one planned target: the plan decides, this only names the outcome. */
export function healthOf(p: PlanTarget): { health: Health; refs: StatusRef[]; error?: string } {
  if (p.unreachable) return { health: /^repository not found/.test(p.unreachable) ? 'missing-repository' : 'unreachable', refs: [], error: p.unreachable };
  if (p.createRepository) return { health: 'missing-repository', refs: [], error: 'repository not found (createMissingRepositories would create it)' };
  const refs: StatusRef[] = p.changes
    .filter((c) => c.kind !== 'up-to-date')
    .map((c) => ({ ref: c.remoteRef, kind: c.kind, reason: c.reason, localId: c.newId, remoteId: c.oldId }));
  if (refs.length === 0) return { health: 'in-sync', refs };
  // The mirror has refs (mirror deletions) or commits (a forced or rejected update) the source lacks.
  const diverged = refs.some((r) => r.kind === 'delete' || r.kind === 'force' || r.kind === 'rejected');
  return { health: diverged ? 'diverged' : 'behind', refs };
}

/** Committer times (seconds) of commits, with one git call; `pre`: git options before the command (-c …). */
export async function commitTimes(repoDir: string, ids: string[], pre: string[] = []): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!ids.length) return out;
  const r = await runGit([...pre, 'cat-file', '--batch'], { cwd: repoDir, env: { ...localGitEnv(), GIT_DIR: repoDir }, input: [...new Set(ids)].map((i) => `${i}\n`).join('') });
  // Commit headers carry "committer NAME <MAIL> TIME TZ"; other objects have none.
  const re = /^([0-9a-f]{40,64}) commit \d+\n(?:[^\n]+\n)*?committer [^\n]*> (\d+) [+-]\d{4}\n/gm;
  for (let m; (m = re.exec(r.stdout)); ) out.set(m[1], Number(m[2]));
  return out;
}

async function pool<T>(items: T[], width: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(Math.max(1, width), items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/**
 * Status of the selection: one ref listing per target, run in parallel within each remote's
 * `threads` (all remotes at once). Local refs are read once per project.
 */
export async function siteStatus(engine: Engine, sel: Selection = {}, now = Date.now()): Promise<StatusResult> {
  const targets = engine.targets(sel);
  const states = new TargetStateStore(engine.site.eventsDir);
  const locals = new Map<string, Promise<RefMap>>();
  const out: TargetStatus[] = new Array(targets.length);
  const byRemote = new Map<string, number[]>();
  targets.forEach((t, i) => {
    const list = byRemote.get(t.dest.name) ?? [];
    list.push(i);
    byRemote.set(t.dest.name, list);
  });
  const one = async (i: number) => {
    const t: Target = targets[i];
    const repoDir = projectDir(engine.site.basePath, t.project);
    let local = locals.get(t.project);
    if (!local) locals.set(t.project, (local = localRefs(repoDir)));
    let plan: PlanTarget;
    try {
      plan = await planTarget({ project: t.project, repoDir, dest: t.dest, url: t.url, transport: transportFor(t.dest), local: await local });
    } catch (e) {
      plan = { project: t.project, remote: t.dest.name, url: t.url, createRepository: false, changes: [], unreachable: (e as Error).message };
    }
    const h = healthOf(plan);
    const st: TargetStatus = { project: t.project, remote: t.dest.name, url: plan.url, template: displayUrl(t.template), health: h.health, refs: h.refs, error: h.error };
    if (h.health === 'behind' || h.health === 'diverged') {
      const times = await commitTimes(repoDir, h.refs.map((r) => r.localId).filter((x): x is string => !!x));
      const oldest = Math.min(...times.values());
      if (Number.isFinite(oldest)) st.oldestUnreplicated = new Date(Math.min(oldest * 1000, now)).toISOString();
    }
    const deletes = plan.changes.filter((c) => c.kind === 'delete').length;
    if (tripsGuard(engine.deletionGuard, deletes, mirrorRefsOf(plan))) st.overDeletionGuard = { deletes, mirrorRefs: mirrorRefsOf(plan) };
    const rec = states.read(t.dest.name, t.url, t.project);
    if (rec?.lastAttempt) {
      st.lastAttempt = { at: rec.lastAttempt.at, result: rec.lastAttempt.result };
      if (rec.lastAttempt.massDeletion) st.lastAttempt.massDeletion = rec.lastAttempt.massDeletion;
    }
    if (rec?.lastSuccess) st.lastSuccess = rec.lastSuccess.at;
    if (rec?.lastError) st.lastError = rec.lastError;
    out[i] = st;
  };
  await Promise.all([...byRemote.values()].map((idx) => pool(idx, targets[idx[0]].dest.settings.threads, one)));
  const counts: Record<Health, number> = { 'in-sync': 0, behind: 0, diverged: 0, 'missing-repository': 0, unreachable: 0 };
  for (const s of out) counts[s.health]++;
  return { site: engine.site.dir, at: new Date(now).toISOString(), targets: out, counts };
}
