// The exact dry run: for one project × destination × URL, what a full-sync push would do to
// every ref, computed with git's own rules (set_ref_status_for_push): tags are never moved
// without force, an unknown old object means "fetch first", non-commits need force, and
// otherwise only fast-forwards pass without '+'.
import type { PlanRefChange, PlanTarget } from '../../protocol';
import type { Destination } from '../site/destinations';
import { isAncestor, localRefs, lsRemote, objectFacts, type RefMap } from '../transport/refs';
import { displayUrl, type TransportOptions } from '../transport/invocation';
import { commitSummary, localMirrorObjects } from './commits';

// Commit summaries cost a few git runs per update: a target with more updates than this (a
// first push of thousands of branches to a stale mirror) leaves the rest without one.
const MAX_SUMMARIES = 100;

export interface RefUpdate {
  src: string | null; // null: delete
  dst: string;
  force: boolean;
}

/** The refs of `local` this destination pushes, mapped to remote names (first matching spec wins). */
export function pushedRefs(dest: Destination, local: RefMap): RefUpdate[] {
  const out: RefUpdate[] = [];
  for (const ref of [...local.keys()].sort()) {
    if (!dest.wouldPushRef(ref)) continue;
    const m = dest.mapRef(ref);
    if (m) out.push({ src: ref, dst: m.dst, force: m.force });
  }
  return out;
}

/** With `mirror`: remote refs whose source ref does not exist locally (never HEAD). */
export function mirrorDeletes(dest: Destination, local: RefMap, remote: RefMap): RefUpdate[] {
  if (!dest.settings.mirror) return [];
  const out: RefUpdate[] = [];
  for (const ref of [...remote.keys()].sort()) {
    if (ref === 'HEAD' || !ref.startsWith('refs/')) continue;
    const src = dest.sourceOf(ref);
    if (src !== null && !local.has(src)) out.push({ src: null, dst: ref, force: true });
  }
  return out;
}

/**
 * Classify each update against the remote's refs, as `git push --dry-run` would; an update also
 * gets what it lands (commits.ts), with the mirror's objects when it is a local path.
 */
export async function classify(repoDir: string, local: RefMap, remote: RefMap, updates: RefUpdate[], mirrorObjects?: string): Promise<PlanRefChange[]> {
  const olds = updates.filter((u) => u.src !== null && remote.has(u.dst)).map((u) => remote.get(u.dst)!);
  const news = updates.filter((u) => u.src !== null && remote.has(u.dst)).map((u) => local.get(u.src!)!);
  const facts = await objectFacts(repoDir, [...olds, ...news]);
  const changes: PlanRefChange[] = [];
  for (const u of updates) {
    const oldId = remote.get(u.dst) ?? null;
    if (u.src === null) {
      changes.push({ ref: u.dst, remoteRef: u.dst, kind: 'delete', oldId, newId: null });
      continue;
    }
    const newId = local.get(u.src)!;
    const base = { ref: u.src, remoteRef: u.dst, oldId, newId };
    if (oldId === newId) changes.push({ ...base, kind: 'up-to-date' });
    else if (oldId === null) changes.push({ ...base, kind: 'create' });
    else {
      let reason: string | undefined;
      if (u.dst.startsWith('refs/tags/')) reason = 'already exists';
      else if (!facts.get(oldId)?.exists) reason = 'fetch first';
      else if (!facts.get(oldId)?.commitish || !facts.get(newId)?.commitish) reason = 'needs force';
      else if (!(await isAncestor(repoDir, oldId, newId))) reason = 'non-fast-forward';
      if (!reason) changes.push({ ...base, kind: 'fast-forward' });
      else if (u.force) changes.push({ ...base, kind: 'force' });
      else changes.push({ ...base, kind: 'rejected', reason });
    }
  }
  let summaries = 0;
  for (const c of changes) {
    if ((c.kind !== 'fast-forward' && c.kind !== 'force') || summaries++ >= MAX_SUMMARIES) continue;
    // The source has the old commit (always for a fast-forward): no need to borrow the mirror's objects.
    const own = facts.get(c.oldId!)?.exists;
    c.commits = own || mirrorObjects ? await commitSummary(repoDir, c.oldId!, c.newId!, { mirrorObjects: own ? undefined : mirrorObjects, forced: c.kind === 'force' }) : null;
  }
  return changes;
}

export interface PlanInput {
  project: string;
  repoDir: string;
  dest: Destination;
  url: string;
  transport: TransportOptions;
  /** Local refs, when the caller already read them (one read per project). */
  local?: RefMap;
}

export async function planTarget(i: PlanInput): Promise<PlanTarget> {
  const target: PlanTarget = { project: i.project, remote: i.dest.name, url: displayUrl(i.url), createRepository: false, changes: [] };
  const local = i.local ?? (await localRefs(i.repoDir));
  const remote = await lsRemote(i.url, i.transport, i.dest.settings.timeout > 0 ? i.dest.settings.timeout * 1000 : undefined);
  let remoteRefs: RefMap;
  if (remote.ok) remoteRefs = remote.refs;
  else if (remote.missing && i.dest.settings.createMissingRepositories) {
    target.createRepository = true;
    remoteRefs = new Map();
  } else {
    target.unreachable = remote.missing ? `repository not found: ${remote.error}` : remote.error;
    return target;
  }
  const updates = [...pushedRefs(i.dest, local), ...mirrorDeletes(i.dest, local, remoteRefs)];
  target.changes = await classify(i.repoDir, local, remoteRefs, updates, localMirrorObjects(i.url));
  return target;
}
