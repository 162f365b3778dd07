// Runs one PushOp the way PushOne does: a full sync pushes every ref whose remote value
// differs (git computes it from the refspecs, with excluded refs as negative refspecs and
// `--prune` for mirror); a delta push sends the named refs, or deletes them with `mirror`.
// A missing repository is created (local path, file:, or ssh through adminSsh) and the push
// retried; transport errors and "failed to lock" are handed back to the queue for retry.
import { existsSync, mkdirSync } from 'node:fs';
import type { Destination } from '../site/destinations';
import type { PushOp, RunResult } from './queue';
import { gitPush, isLockError, type RefResult } from '../transport/push';
import { localHead, localRefs, lsRemote } from '../transport/refs';
import { refsOnDisk } from '../transport/refsOnDisk';
import { pushedRefs, mirrorDeletes } from '../preview/plan';
import { runGit, localGitEnv } from '../transport/git';
import { createRepositoryOverSsh } from '../transport/adminSsh';
import { displayUrl, type TransportOptions } from '../transport/invocation';
import { isSshUrl, localPath, expandUrl } from '../site/urls';
import { unsafeProjectName, unsafeUrl } from '../transport/safety';
import { isSingleProjectMatch } from '../../replication/projectFilter';
import { clearStaleLocks, locksInStderr } from '../transport/staleLocks';
import type { Logger } from './queue';
import { describeGuard, tripsGuard, type DeletionGuard } from '../preview/deletionGuard';

export function transportFor(dest: Destination): TransportOptions {
  const s = dest.settings;
  const opts: TransportOptions = { secrets: s.password ? [s.password] : [] };
  if (s.username !== undefined || s.password !== undefined) opts.credentials = { username: s.username ?? '', password: s.password ?? '' };
  return opts;
}

export interface RunnerContext {
  repoDir(project: string): string;
  isCanceled?(op: PushOp): boolean;
  log?: Logger;
  /** A full sync that deletes more than this is logged as a mass deletion (never refused here). */
  deletionGuard?: DeletionGuard;
  /**
   * Push again at once after creating a missing repository (the editor: its user is waiting).
   * Off, a created repository is a retry after replicationRetry, as Gerrit's PushOne does.
   */
  pushAfterCreate?: boolean;
}

export async function runPush(op: PushOp, ctx: RunnerContext): Promise<RunResult> {
  const r = await pushOnce(op, ctx);
  if (r.kind !== 'retry' || r.reason !== 'missing' || !r.created || !ctx.pushAfterCreate) return r;
  ctx.log?.('info', `Missing repository created for ${op.display}; pushing it now`);
  return pushOnce(op, ctx); // still missing after that: retried the daemon's way
}

async function pushOnce(op: PushOp, ctx: RunnerContext): Promise<RunResult> {
  const dest = op.dest;
  const s = dest.settings;
  const bad = unsafeProjectName(op.project) ?? unsafeUrl(op.url);
  if (bad) return { kind: 'failed', error: `refusing to replicate: ${bad}` };
  const repoDir = ctx.repoDir(op.project);
  if (!existsSync(repoDir)) return { kind: 'failed', error: `Cannot replicate ${op.project}; Local repository does not exist` };
  const transport = transportFor(dest);
  const timeoutMs = s.timeout > 0 ? s.timeout * 1000 : undefined;
  let batches: string[][];
  let negatives: string[] = [];
  let prune = false;
  /** The mirror's refs in the destination's scope before the push, when known without git's answer. */
  let mirrorRefs: number | undefined;
  if (op.fullSync && s.pushBatchSize <= 0) {
    // One git push computes the whole sync from the refspecs, as `push --mirror` would. Refs
    // Gerrit's filters drop become negative refspecs; only excludedRefsPattern (a regex) needs
    // the local ref list to spell them out.
    // A local mirror whose refs already equal the source's needs no git push at all.
    const mirrorDir = localPath(op.url);
    const same = mirrorDir === undefined ? undefined : upToDateOnDisk(dest, repoDir, mirrorDir);
    if (same) return { kind: 'ok', results: same };
    negatives = staticNegatives(dest);
    if (dest.excludedRefs.length) {
      for (const ref of (await localRefs(repoDir)).keys()) if (dest.mapRef(ref) && dest.excludedRefs.some((r) => r.test(ref))) negatives.push(`^${ref}`);
    }
    batches = [dest.specs.map((x) => x.text)];
    prune = s.mirror;
  } else {
    const local = await localRefs(repoDir);
    let specs: string[];
    if (op.fullSync) {
      const remote = await lsRemote(op.url, transport, timeoutMs);
      const remoteRefs = remote.ok ? remote.refs : new Map<string, string>();
      if (!remote.ok && !remote.missing) return { kind: 'retry', reason: 'transport', error: remote.error };
      if (!remote.ok && remote.missing) return missing(op, dest, repoDir, transport, remote.error);
      mirrorRefs = [...remoteRefs.keys()].filter((r) => r.startsWith('refs/') && dest.sourceOf(r) !== null).length;
      specs = [...pushedRefs(dest, local), ...mirrorDeletes(dest, local, remoteRefs)]
        .filter((u) => u.src === null || remoteRefs.get(u.dst) !== local.get(u.src))
        .map((u) => (u.src === null ? `:${u.dst}` : `${u.force ? '+' : ''}${u.src}:${u.dst}`));
    } else {
      specs = [];
      for (const ref of [...op.refs].sort()) {
        if (!dest.wouldPushRef(ref)) continue;
        const m = dest.mapRef(ref);
        if (!m) continue;
        if (local.has(ref)) specs.push(`${m.force ? '+' : ''}${ref}:${m.dst}`);
        else if (s.mirror) specs.push(`:${m.dst}`);
      }
    }
    if (specs.length === 0) return { kind: 'ok', results: [] }; // nothing to push: no transport call
    const size = s.pushBatchSize > 0 ? s.pushBatchSize : specs.length;
    batches = [];
    for (let i = 0; i < specs.length; i += size) batches.push(specs.slice(i, i + size));
  }

  const results: RefResult[] = [];
  for (const batch of batches) {
    if (ctx.isCanceled?.(op)) break;
    let out = await gitPush({ repoDir, url: op.url, refspecs: [...batch, ...negatives], prune, transport, timeoutMs, holdFd: op.holdFd });
    // A stale lock removed (a local mirror only, and only when certain) is pushed again at once.
    let lockError = out.kind === 'done' ? staleLockError(op, out.results.filter(isLockError).map((r) => r.dst), out.error ?? '', ctx) : undefined;
    if (lockError?.removed) {
      out = await gitPush({ repoDir, url: op.url, refspecs: [...batch, ...negatives], prune, transport, timeoutMs, holdFd: op.holdFd });
      lockError = out.kind === 'done' ? staleLockError(op, out.results.filter(isLockError).map((r) => r.dst), out.error ?? '', ctx, false) : undefined;
    }
    if (out.kind === 'missing') return missing(op, dest, repoDir, transport, out.error ?? '');
    if (out.kind === 'transport') return { kind: 'retry', reason: 'transport', error: out.error ?? 'push failed', results };
    results.push(...out.results);
    if (lockError) return { kind: 'retry', reason: 'lock', error: lockError.error, results };
  }
  const mass = op.fullSync ? massDeletion(op, results, mirrorRefs, ctx) : undefined;
  return mass ? { kind: 'ok', results, massDeletion: mass } : { kind: 'ok', results };
}

/**
 * A full sync that deleted more refs than the guard allows: said loudly, never refused (the
 * daemon keeps Gerrit's semantics). Without a count from ls-remote, the mirror's refs are those
 * git's porcelain answer names that existed before the push (up to date, updated or deleted).
 */
function massDeletion(op: PushOp, results: RefResult[], known: number | undefined, ctx: RunnerContext): { deleted: number; mirrorRefs: number } | undefined {
  const g = ctx.deletionGuard;
  if (!g) return undefined;
  const deleted = results.filter((r) => r.flag === '-').length;
  const mirrorRefs = known ?? results.filter((r) => r.flag !== '*' && r.status !== 'NON_EXISTING').length;
  if (!tripsGuard(g, deleted, mirrorRefs)) return undefined;
  ctx.log?.(
    'error',
    `mass deletion: the full sync of ${op.project} to ${displayUrl(op.url)} deleted ${deleted} of ${mirrorRefs} ref(s) on the mirror (remote ${op.dest.name}; the ref deletion guard: ${describeGuard(g)}). The daemon does not ask, as Gerrit does not; if the source lost its refs, restore it and push again`,
  );
  return { deleted, mirrorRefs };
}

/**
 * The error for refs that failed on a lock, naming each ref and lock file. For a local mirror
 * the stale locks are removed first where that is certain (staleLocks.ts); `removed` says a
 * push again may succeed.
 */
function staleLockError(op: PushOp, refs: string[], stderr: string, ctx: RunnerContext, clear = true): { error: string; removed: boolean } | undefined {
  if (refs.length === 0) return undefined;
  const where = `${refs.join(' ')} on ${displayUrl(op.url)}`;
  const path = localPath(op.url);
  if (path === undefined) {
    const locks = locksInStderr(stderr);
    const named = locks.length ? `lock file ${locks.join(', ')} exists in the mirror` : `a lock file (${refs.map((r) => `${r}.lock`).join(', ')} or packed-refs.lock) may be left in the mirror`;
    return { error: `failed to update ref ${where}: ${named}; it is not removed over the network: remove it on the mirror host if no git process runs there`, removed: false };
  }
  const findings = clear ? clearStaleLocks(path, refs, stderr) : [];
  for (const f of findings) if (f.removed) ctx.log?.('warning', `removed the stale lock ${f.lock} of ${f.ref || 'a ref'} in ${displayUrl(op.url)}: ${f.why}`);
  const kept = findings.filter((f) => !f.removed);
  if (findings.length && kept.length === 0) return { error: `failed to update ref ${where}: stale lock removed`, removed: true };
  const named = kept.length
    ? kept.map((f) => `lock file ${f.lock} is left in place: ${f.why}`).join('; ')
    : (locksInStderr(stderr).map((l) => `lock file ${l}`).join(', ') || 'no lock file is left now') ;
  return { error: `failed to update ref ${where}: ${named}`, removed: false };
}

/**
 * A full sync of a local mirror that would change nothing, read from both repositories on disk:
 * every ref the destination pushes has the same id on the mirror, and with `mirror` no mirror ref
 * would be deleted. Returns the up-to-date results git push would have printed, or undefined
 * (something to push, or not certain: then git push decides).
 */
export function upToDateOnDisk(dest: Destination, repoDir: string, mirrorDir: string): RefResult[] | undefined {
  const local = refsOnDisk(repoDir);
  const remote = local && refsOnDisk(mirrorDir);
  if (!local || !remote) return undefined;
  const results: RefResult[] = [];
  for (const u of pushedRefs(dest, local)) {
    if (remote.get(u.dst) !== local.get(u.src!)) return undefined;
    results.push({ flag: '=', src: u.src!, dst: u.dst, summary: '[up to date]', status: 'UP_TO_DATE' });
  }
  if (mirrorDeletes(dest, local, remote).length) return undefined;
  return results;
}

/** Negative refspecs for PushOne's fixed filters (automerge, refs/meta/config, NoteDb meta refs). */
export function staticNegatives(dest: Destination): string[] {
  const out = ['^refs/cache-automerge/*'];
  if (!dest.settings.replicatePermissions) out.push('^refs/meta/config');
  if (!dest.settings.replicateNoteDbMetaRefs)
    out.push('^refs/changes/*/meta', '^refs/changes/*/robot-comments', '^refs/draft-comments/*', '^refs/starred-changes/*');
  return out;
}

async function missing(op: PushOp, dest: Destination, repoDir: string, transport: TransportOptions, error: string): Promise<RunResult> {
  if (!dest.settings.createMissingRepositories) return { kind: 'failed', error: `Cannot replicate to ${displayUrl(op.url)}; repository not found` };
  const created = await createRepository(op.project, op.url, dest, repoDir, transport);
  if (!created.ok) return { kind: 'failed', error: created.error };
  return { kind: 'retry', reason: 'missing', error: `repository not found: ${error}`, created: true };
}

/** AdminApiFactory: adminUrl preferred; local path / file: created here, ssh through adminSsh. */
export async function createRepository(project: string, url: string, dest: Destination, repoDir: string, transport: TransportOptions): Promise<{ ok: boolean; error: string }> {
  const head = (await localHead(repoDir)) ?? 'refs/heads/master';
  const admin = dest.settings.adminUrls
    .map((t) => expandUrl(t, project, dest.settings.remoteNameStyle, isSingleProjectMatch(dest.settings.projects)))
    .find((u): u is string => u !== undefined && isSshUrl(u) && !unsafeUrl(u));
  const target = admin ?? url;
  const path = localPath(target);
  if (path !== undefined) {
    mkdirSync(path, { recursive: true });
    const init = await runGit(['init', '--bare', '-q', '--', path]);
    if (init.code !== 0) return { ok: false, error: `Cannot create new project ${project} on remote site ${displayUrl(target)}: ${init.stderr.trim()}` };
    await runGit(['symbolic-ref', 'HEAD', head], { cwd: path, env: { ...localGitEnv(), GIT_DIR: path } });
    return { ok: true, error: '' };
  }
  if (isSshUrl(target)) {
    const r = await createRepositoryOverSsh(target, head, transport);
    return r.ok ? { ok: true, error: '' } : { ok: false, error: `Cannot create new project ${project} on remote site ${displayUrl(target)}: ${r.error ?? 'failed'}` };
  }
  return { ok: false, error: `Cannot create new project ${project} on remote site ${displayUrl(target)}.` };
}
