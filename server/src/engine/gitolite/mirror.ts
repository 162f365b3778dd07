// Gitolite v3 mirroring mode: for a gitolite home with HOSTNAME, plan and push
// master → copies for the repositories this host is master of (decisions in
// gitoliteMirrorSite.ts). The push is gitolite's own `git push --mirror <copy>:<repo>`
// through the host's ssh aliases, key and known_hosts; sync copies go first, nosync ones wait.
import { chownSync, existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOnSshAlias } from '../transport/adminSsh';
import { runGit } from '../transport/gitRun';
import { glStamp } from './glTime';
import type { MirrorSelection, MirrorSite, MirrorTarget } from './mirrorSite';
import { prepareGit, TransportOptions } from '../transport/invocation';

export * from './mirrorSite';

export type RefChange = 'create' | 'fast-forward' | 'forced' | 'delete' | 'rejected' | 'up-to-date';

export interface MirrorRefUpdate {
  ref: string;
  change: RefChange;
  /** git's summary (`abc..def`, `[new branch]`, `[rejected] (reason)` …). */
  summary: string;
  /** The copy's value as git's summary abbreviates it (fast-forward, forced); none for a create or delete. */
  oldId?: string;
  /** This host's value (what the copy gets); none for a delete. */
  newId?: string;
}

export interface MirrorResult extends MirrorTarget {
  status: 'planned' | 'pushed' | 'manual' | 'failed';
  refs: MirrorRefUpdate[];
  /** A wild repository missing on the copy: it would be created there first (plan only). */
  createOnCopy?: boolean;
  error?: string;
}

const FLAG: Record<string, RefChange> = { ' ': 'fast-forward', '+': 'forced', '-': 'delete', '*': 'create', '!': 'rejected', '=': 'up-to-date' };

/** Parses `git push --porcelain` lines: `<flag>\t<from>:<to>\t<summary>`. */
export function parsePorcelain(stdout: string): MirrorRefUpdate[] {
  const out: MirrorRefUpdate[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^([ +\-*!=])\t([^\t]*)\t(.*)$/.exec(line);
    if (!m) continue;
    const to = m[2].slice(m[2].lastIndexOf(':') + 1);
    const ids = /^([0-9a-f]{4,})\.\.\.?([0-9a-f]{4,})/.exec(m[3]);
    out.push({ ref: to, change: FLAG[m[1]], summary: m[3], ...(ids ? { oldId: ids[1] } : {}) });
  }
  return out;
}

export interface MirrorRunOptions {
  /** Default: the host's ~/.ssh/config, first ~/.ssh/id_{ed25519,ecdsa,rsa} and ~/.ssh/known_hosts. */
  ssh?: Pick<TransportOptions, 'sshConfig' | 'identityFile' | 'knownHosts'>;
  /** Per push, in seconds (default 300). */
  timeout?: number;
  /** Push nosync copies too (what a cron job's `gitolite mirror push` does). */
  includeNosync?: boolean;
  /** How many repositories are pushed at once (default 4). */
  parallel?: number;
  /** Called as each target finishes. */
  onResult?: (r: MirrorResult) => void;
}

/** The host's own ssh setup: gitolite pushes as the hosting user with its aliases and key. */
export function hostSsh(home: string): Pick<TransportOptions, 'sshConfig' | 'identityFile' | 'knownHosts'> {
  const dir = join(home, '.ssh');
  const config = join(dir, 'config');
  const key = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((k) => join(dir, k)).find((k) => existsSync(k));
  return {
    sshConfig: existsSync(config) ? config : 'none',
    identityFile: key,
    knownHosts: join(dir, 'known_hosts'),
  };
}

/** gitolite's gl-copy-<copy>.status: kept while the last push failed, removed after a success. */
function recordStatus(repoDir: string, copy: string, output: string, failed: boolean): void {
  const f = join(repoDir, `gl-copy-${copy}.status`);
  try {
    if (!failed || !/fatal/i.test(output)) {
      if (existsSync(f)) unlinkSync(f);
      return;
    }
    const ts = glStamp(new Date());
    writeFileSync(f, output.replace(/^/gm, `${ts}\tgit-replication\t`));
    const st = statSync(repoDir);
    chownSync(f, st.uid, st.gid);
  } catch {
    /* status bookkeeping must never fail a push */
  }
}

/** A wild repository's creator (gl-creator), when it is one gitolite would accept. */
function wildCreator(repoDir: string): string | undefined {
  const f = join(repoDir, 'gl-creator');
  if (!existsSync(f)) return undefined;
  const c = readFileSync(f, 'utf8').trim();
  return /^[A-Za-z0-9][A-Za-z0-9._@+-]*$/.test(c) ? c : undefined;
}

/**
 * As `gitolite mirror push` does for a wild repository before pushing: create it on the copy
 * with the same creator and permissions (`ssh <copy> CREATOR=<c> perms -c '<repo>'`, gl-perms
 * on stdin). Like gitolite, a failure here is not fatal: the push reports what went wrong.
 */
async function propagateWildRepo(repoDir: string, t: MirrorTarget, ssh: TransportOptions): Promise<void> {
  const creator = wildCreator(repoDir);
  if (!creator || /['\s]/.test(t.repo)) return;
  const permsFile = join(repoDir, 'gl-perms');
  const perms = existsSync(permsFile) ? readFileSync(permsFile, 'utf8') : '';
  await runOnSshAlias(t.copy, `CREATOR=${creator} perms -c '${t.repo}'`, ssh, perms);
}

async function runTarget(site: MirrorSite, t: MirrorTarget, dryRun: boolean, o: MirrorRunOptions): Promise<MirrorResult> {
  const repoDir = join(site.repoBase, `${t.repo}.git`);
  const planOnly = dryRun || (t.type === 'nosync' && !o.includeNosync);
  const ssh = { ...(o.ssh ?? hostSsh(site.home)), timeout: 30 };
  let inv;
  try {
    inv = prepareGit(`${t.copy}:${t.repo}`, { ...ssh, safeDirectories: [repoDir] });
  } catch (e) {
    return { ...t, status: 'failed', refs: [], error: (e as Error).message };
  }
  try {
    if (!planOnly) await propagateWildRepo(repoDir, t, ssh);
    const args = ['--git-dir', repoDir, 'push', '--mirror', '--porcelain'];
    if (planOnly) args.push('--dry-run');
    args.push(inv.url);
    const r = await runGit(inv, args, { timeoutMs: (o.timeout ?? 300) * 1000 });
    let refs = parsePorcelain(r.stdout);
    let failed = r.code !== 0;
    let createOnCopy = false;
    const local = await localRefs(inv, repoDir);
    if (failed && planOnly && wildCreator(repoDir)) {
      // A wild repository not yet on the copy: the push would create it there first.
      createOnCopy = true;
      failed = false;
      refs = [...local.keys()].map((ref) => ({ ref, change: 'create' as const, summary: '[new]' }));
    }
    for (const x of refs) if (x.change !== 'delete' && local.has(x.ref)) x.newId = local.get(x.ref);
    const error = failed ? (r.timedOut ? `timed out after ${o.timeout ?? 300}s` : r.stderr.trim() || `git push exited with code ${r.code}`) : undefined;
    if (!planOnly) recordStatus(repoDir, t.copy, r.stdout + r.stderr, failed);
    const status = failed ? 'failed' : dryRun ? 'planned' : planOnly ? 'manual' : 'pushed';
    return { ...t, status, refs, ...(createOnCopy ? { createOnCopy } : {}), ...(error ? { error } : {}) };
  } finally {
    inv.cleanup();
  }
}

/** This host's refs of the repository: name → object id. */
async function localRefs(inv: Parameters<typeof runGit>[0], repoDir: string): Promise<Map<string, string>> {
  const r = await runGit(inv, ['--git-dir', repoDir, 'for-each-ref', '--format=%(objectname) %(refname)']);
  const out = new Map<string, string>();
  for (const l of r.stdout.split('\n')) {
    const sp = l.indexOf(' ');
    if (sp > 0) out.set(l.slice(sp + 1), l.slice(0, sp));
  }
  return out;
}

/**
 * Runs the selection: per repository, sync copies one after the other, then async copies
 * together (gitolite backgrounds those); nosync copies are only planned unless includeNosync.
 */
export async function runMirrors(site: MirrorSite, sel: MirrorSelection, dryRun: boolean, o: MirrorRunOptions = {}): Promise<MirrorResult[]> {
  const byRepo = new Map<string, MirrorTarget[]>();
  for (const t of sel.targets) byRepo.set(t.repo, [...(byRepo.get(t.repo) ?? []), t]);
  const results: MirrorResult[] = [];
  const done = (r: MirrorResult) => {
    results.push(r);
    o.onResult?.(r);
  };
  const repoJob = async (targets: MirrorTarget[]) => {
    for (const t of targets.filter((x) => x.type === 'sync')) done(await runTarget(site, t, dryRun, o));
    await Promise.all(targets.filter((x) => x.type !== 'sync').map(async (t) => done(await runTarget(site, t, dryRun, o))));
  };
  const queue = [...byRepo.values()];
  const workers = Array.from({ length: Math.max(1, Math.min(o.parallel ?? 4, queue.length)) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await repoJob(job);
  });
  await Promise.all(workers);
  const order = new Map(sel.targets.map((t, i) => [`${t.repo}\0${t.copy}`, i]));
  return results.sort((a, b) => order.get(`${a.repo}\0${a.copy}`)! - order.get(`${b.repo}\0${b.copy}`)!);
}
