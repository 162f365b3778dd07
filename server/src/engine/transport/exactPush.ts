// Pushing exactly the ref changes a dry run showed (the panel's "Replicate these"): one refspec
// per change, the shown object as the source, and the shown old value as a lease, so a ref that
// moved on the mirror since the plan is rejected ("stale info") instead of being overwritten.
// Everything is checked against the site's config first: a message from a webview cannot push a
// ref the destination would not push, nor delete without `mirror`.
import { EngineError, type ExactRefChange, type ExactRefResult, type ExactTarget } from '../../protocol';
import type { Destination } from '../site/destinations';
import { gitPush } from './push';
import { createRepository, transportFor } from '../queue/runner';
import { displayUrl } from './invocation';

const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** A full ref name git would accept on either side of a refspec, with nothing option-like. */
export function unsafeRefName(ref: unknown): string | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('refs/')) return `ref "${String(ref)}" is not a full ref name`;
  if (/[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|\/\/|\/$|\.lock(\/|$)|\/\./.test(ref)) return `ref "${ref}" is not a valid ref name`;
  return undefined;
}

/** Why this change may not be pushed to this destination, or undefined. */
export function unsafeChange(dest: Destination, c: ExactRefChange): string | undefined {
  const bad = unsafeRefName(c.remoteRef) ?? (c.kind === 'delete' ? undefined : unsafeRefName(c.ref));
  if (bad) return bad;
  if (c.oldId !== null && !OID.test(String(c.oldId))) return `old id of ${c.remoteRef} is not an object id`;
  if (c.kind === 'delete') {
    if (c.newId !== null || c.oldId === null) return `delete of ${c.remoteRef} needs an old id and no new id`;
    if (!dest.settings.mirror) return `remote ${dest.name} has no mirror = true: it deletes no ref`;
    if (dest.sourceOf(c.remoteRef) === null) return `remote ${dest.name} does not push to ${c.remoteRef}`;
    return undefined;
  }
  if (!['create', 'fast-forward', 'force'].includes(c.kind)) return `${c.remoteRef}: a ${String(c.kind)} change is not pushed`;
  if (c.newId === null || !OID.test(String(c.newId))) return `new id of ${c.remoteRef} is not an object id`;
  if ((c.kind === 'create') !== (c.oldId === null)) return `${c.remoteRef}: a ${c.kind} ${c.oldId === null ? 'needs' : 'has no'} old id`;
  if (!dest.wouldPushRef(c.ref)) return `remote ${dest.name} does not push ${c.ref}`;
  const m = dest.mapRef(c.ref);
  if (!m || m.dst !== c.remoteRef) return `remote ${dest.name} pushes ${c.ref} to ${m?.dst ?? 'nothing'}, not ${c.remoteRef}`;
  if (c.kind === 'force' && !m.force) return `remote ${dest.name} does not force ${c.ref} (no '+')`;
  return undefined;
}

export interface ResolvedTarget {
  project: string;
  dest: Destination;
  url: string;
  repoDir: string;
  exact: ExactTarget;
}

/** Validates every change first: one bad change refuses the whole request, nothing is pushed. */
export function checkExact(targets: ResolvedTarget[]): void {
  for (const t of targets) {
    const seen = new Set<string>();
    for (const c of t.exact.changes) {
      const why = unsafeChange(t.dest, c);
      if (why) throw new EngineError('usage', `refusing to push ${t.project} → ${t.exact.url}: ${why}`);
      if (seen.has(c.remoteRef)) throw new EngineError('usage', `refusing to push ${t.project} → ${t.exact.url}: ${c.remoteRef} given twice`);
      seen.add(c.remoteRef);
    }
  }
}

export function exactRefspecs(changes: ExactRefChange[]): { refspecs: string[]; leases: Array<{ ref: string; expect: string | null }> } {
  return {
    refspecs: changes.map((c) => (c.kind === 'delete' ? `:${c.remoteRef}` : `${c.newId}:${c.remoteRef}`)),
    leases: changes.map((c) => ({ ref: c.remoteRef, expect: c.oldId })),
  };
}

export async function pushExactTarget(t: ResolvedTarget): Promise<ExactRefResult[]> {
  const base = { project: t.project, remote: t.dest.name, url: displayUrl(t.url) };
  const changes = t.exact.changes;
  if (changes.length === 0) return [];
  const transport = transportFor(t.dest);
  const s = t.dest.settings;
  const timeoutMs = s.timeout > 0 ? s.timeout * 1000 : undefined;
  const { refspecs, leases } = exactRefspecs(changes);
  const push = () => gitPush({ repoDir: t.repoDir, url: t.url, refspecs, leases, transport, timeoutMs });
  let out = await push();
  if (out.kind === 'missing' && s.createMissingRepositories) {
    const created = await createRepository(t.project, t.url, t.dest, t.repoDir, transport);
    if (!created.ok) return changes.map((c) => ({ ...base, remoteRef: c.remoteRef, status: 'NOT_ATTEMPTED', reason: created.error }));
    out = await push();
  }
  if (out.kind !== 'done') return changes.map((c) => ({ ...base, remoteRef: c.remoteRef, status: 'NOT_ATTEMPTED', reason: out.error }));
  return changes.map((c) => {
    const r = out.results.find((x) => x.dst === c.remoteRef);
    if (!r) return { ...base, remoteRef: c.remoteRef, status: 'NOT_ATTEMPTED', reason: out.error ?? 'git did not report this ref' };
    return { ...base, remoteRef: c.remoteRef, status: r.status, reason: r.reason };
  });
}
