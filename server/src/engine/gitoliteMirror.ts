// Gitolite v3 mirroring mode: for a gitolite home with HOSTNAME, plan and push
// master → copies for the repositories this host is master of, with Mirroring.pm's rules:
// copy types async/sync/nosync, a host never pushes to itself, a copy never pushes, and a
// repository mirrored elsewhere is "mirrored but not here". The push is gitolite's own
// `git push --mirror <copy>:<repo>` through the host's ssh aliases, key and known_hosts.
import { chownSync, existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGitoliteSite, type GitoliteSite } from '../gitolite/model';
import { getRule } from '../gitolite/rules';
import { diskWorkspace, type Workspace } from '../service/workspace';
import { readCompiledGitoliteSite } from './gitoliteCompiled';
import { runOnSshAlias } from './adminSsh';
import { runGit } from './gitRun';
import { projectNameProblem } from './safety';
import { prepareGit, TransportOptions } from './transport';

export type CopyType = 'async' | 'sync' | 'nosync';

export interface RepoMirroring {
  repo: string;
  /** mirror.master ('' when unset). */
  master: string;
  /** Copy host → type, as Mirroring.pm's copies(). */
  copies: Map<string, CopyType>;
  /** False when the conf names it but its directory is missing on this host. */
  onDisk?: boolean;
}

export interface MirrorSite {
  home: string;
  hostname?: string;
  repoBase: string;
  repos: RepoMirroring[];
  /** Errors in the gitolite conf/rc (file:line): nothing is mirrored while there are any. */
  errors: string[];
  /** Things the admin should know (conf and compiled state disagree, …). */
  notes: string[];
}

/** Mirroring.pm copies(): every `mirror.copies*` value is async, then `.sync*` and `.nosync*` keys override. */
export function copiesFromOptions(options: Array<[string, string]>): Map<string, CopyType> {
  // git_config() returns one value per key: a repeated key keeps its last value.
  const byKey = new Map<string, string>();
  for (const [k, v] of options) byKey.set(k, v);
  const out = new Map<string, CopyType>();
  const pass = (re: RegExp, type: CopyType) => {
    for (const [k, v] of byKey) if (re.test(k)) for (const h of v.split(/\s+/).filter(Boolean)) out.set(h, type);
  };
  pass(/^gitolite-options\.mirror\.copies/, 'async');
  pass(/^gitolite-options\.mirror\.copies\.sync/, 'sync');
  pass(/^gitolite-options\.mirror\.copies\.nosync/, 'nosync');
  return out;
}

export function masterFromOptions(options: Array<[string, string]>): string {
  let master = '';
  for (const [k, v] of options) if (k === 'gitolite-options.mirror.master') master = v.trim();
  return master;
}

/**
 * Loads a gitolite home's mirroring settings. The gitolite model (gitolite.conf and the rc, as
 * gitolite reads them) decides; the repositories are the bare ones under GL_REPO_BASE plus those
 * the conf names. Wild repositories take the settings of the pattern they match. What gitolite
 * compiled on the host (`gl-conf`) is compared, so a conf edited without `gitolite setup` is
 * pointed out; when no gitolite.conf can be found, the compiled settings are used alone.
 */
export function loadMirrorSite(home: string, ws: Workspace = diskWorkspace): MirrorSite {
  const compiled = readCompiledGitoliteSite(home);
  let model: GitoliteSite | undefined;
  try {
    model = loadGitoliteSite(home, ws);
  } catch {
    model = undefined;
  }
  const fromCompiled = new Map(compiled.repos.map((r) => [r.repo, { master: masterFromOptions(r.options), copies: copiesFromOptions(r.options), hasGlConf: r.options.length > 0 }]));
  if (!model) {
    return {
      home,
      hostname: compiled.hostname,
      repoBase: compiled.repoBase,
      repos: [...fromCompiled].map(([repo, c]) => ({ repo, master: c.master, copies: c.copies, onDisk: true })),
      errors: [],
      notes: [`${join(home, '.gitolite', 'conf', 'gitolite.conf')} not found: using the settings gitolite compiled into each repository's gl-conf`],
    };
  }
  const errors = model.diagnostics
    .filter((d) => (d.level ?? getRule(d.code).level) === 'error')
    .map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: error: ${d.message} [${d.code}]`);
  const exact = new Map(model.repos.filter((r) => !r.isPattern).map((r) => [r.name, r]));
  const patterns = model.repos.filter((r) => r.isPattern).map((r) => ({ r, re: safeRegExp(r.name) }));
  const names = new Set([...fromCompiled.keys(), ...exact.keys()]);
  const repos: RepoMirroring[] = [];
  const notes: string[] = [];
  for (const repo of [...names].sort()) {
    const m = exact.get(repo) ?? patterns.find((p) => p.re?.test(repo))?.r;
    const master = m?.master ?? '';
    const copies = new Map<string, CopyType>((m?.copies ?? []).map((c) => [c.host, c.mode]));
    const c = fromCompiled.get(repo);
    if (c && (c.hasGlConf || m) && !m?.isPattern && (c.master !== master || describeCopies(c.copies) !== describeCopies(copies))) {
      notes.push(
        `'${repo}': gitolite.conf says master '${master}', copies ${describeCopies(copies)}, but gitolite compiled master '${c.master}', copies ${describeCopies(c.copies)}; run 'gitolite setup' on this host`,
      );
    }
    repos.push({ repo, master, copies, onDisk: fromCompiled.has(repo) });
  }
  return { home, hostname: model.hostname ?? compiled.hostname, repoBase: compiled.repoBase, repos, errors, notes };
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}

function describeCopies(c: Map<string, CopyType>): string {
  const list = [...c].sort(([a], [b]) => (a < b ? -1 : 1)).map(([h, t]) => `${h}:${t}`);
  return list.length ? list.join(' ') : '(none)';
}

export type RepoMode = { mode: 'local' | 'master' | 'copy' } | { mode: 'elsewhere'; error: string };

/** Mirroring.pm mode(), in its order. */
export function modeOf(hostname: string | undefined, r: RepoMirroring): RepoMode {
  if (!hostname) return { mode: 'local' };
  if (r.master === hostname) return { mode: 'master' };
  if (r.copies.has(hostname)) return { mode: 'copy' };
  if (!r.master && r.copies.size === 0) return { mode: 'local' };
  return { mode: 'elsewhere', error: `${hostname}: '${r.repo}' is mirrored but not here` };
}

export interface MirrorTarget {
  repo: string;
  copy: string;
  type: CopyType;
}

export interface MirrorRefusal {
  repo: string;
  reason: string;
  /** True when the repository was named explicitly (an error), false for --all (a note). */
  explicit: boolean;
}

export interface MirrorSelection {
  hostname: string;
  targets: MirrorTarget[];
  refused: MirrorRefusal[];
  /** Repositories with nothing to mirror (local, or only self as copy). */
  local: string[];
}

export interface SelectOptions {
  /** Repositories to consider; empty or undefined = all. */
  repos?: string[];
  /** Only these copy hosts. */
  copies?: string[];
}

/** Decides what this host pushes where. Throws when HOSTNAME is unset, as `gitolite mirror` does. */
export function selectMirrors(site: MirrorSite, o: SelectOptions = {}): MirrorSelection {
  const hostname = site.hostname;
  if (site.errors.length) throw new Error(`${site.errors.join('\n')}\nerror: the gitolite configuration has errors; nothing is mirrored`);
  if (!hostname) throw new Error(`HOSTNAME not set in ${join(site.home, '.gitolite.rc')}: gitolite mirroring is off on this host`);
  const wanted = o.repos?.length ? o.repos.map((r) => r.replace(/\.git$/, '')) : undefined;
  const byName = new Map(site.repos.map((r) => [r.repo, r]));
  const sel: MirrorSelection = { hostname, targets: [], refused: [], local: [] };
  const explicit = wanted !== undefined;
  for (const name of wanted ?? site.repos.map((r) => r.repo)) {
    const problem = projectNameProblem(name);
    if (problem) {
      sel.refused.push({ repo: name, reason: `refusing repository: ${problem}`, explicit });
      continue;
    }
    const r = byName.get(name);
    if (!r || r.onDisk === false) {
      sel.refused.push({ repo: name, reason: `${hostname}: no repository '${name}' under ${site.repoBase}`, explicit });
      continue;
    }
    const m = modeOf(hostname, r);
    if (m.mode === 'elsewhere') {
      sel.refused.push({ repo: name, reason: m.error, explicit });
      continue;
    }
    if (m.mode === 'copy') {
      const master = r.master ? `its master is '${r.master}'` : 'no master is set';
      sel.refused.push({ repo: name, reason: `${hostname}: '${name}' is a copy on this host (${master}); only the master pushes to copies`, explicit });
      continue;
    }
    const copies = [...r.copies.entries()]
      .filter(([h]) => h !== hostname) // gitolite: "push_to_copies skipping self"
      .filter(([h]) => !o.copies?.length || o.copies.includes(h))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (m.mode === 'local' || copies.length === 0) {
      sel.local.push(name);
      continue;
    }
    for (const [copy, type] of copies) sel.targets.push({ repo: name, copy, type });
  }
  return sel;
}

export type RefChange = 'create' | 'fast-forward' | 'forced' | 'delete' | 'rejected' | 'up-to-date';

export interface MirrorRefUpdate {
  ref: string;
  change: RefChange;
  /** git's summary (`abc..def`, `[new branch]`, `[rejected] (reason)` …). */
  summary: string;
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
    out.push({ ref: to, change: FLAG[m[1]], summary: m[3] });
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
    const ts = new Date().toISOString().slice(0, 19).replace('T', '.');
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
    if (failed && planOnly && wildCreator(repoDir)) {
      // A wild repository not yet on the copy: the push would create it there first.
      createOnCopy = true;
      failed = false;
      refs = (await localRefNames(inv, repoDir)).map((ref) => ({ ref, change: 'create' as const, summary: '[new]' }));
    }
    const error = failed ? (r.timedOut ? `timed out after ${o.timeout ?? 300}s` : r.stderr.trim() || `git push exited with code ${r.code}`) : undefined;
    if (!planOnly) recordStatus(repoDir, t.copy, r.stdout + r.stderr, failed);
    const status = failed ? 'failed' : dryRun ? 'planned' : planOnly ? 'manual' : 'pushed';
    return { ...t, status, refs, ...(createOnCopy ? { createOnCopy } : {}), ...(error ? { error } : {}) };
  } finally {
    inv.cleanup();
  }
}

async function localRefNames(inv: Parameters<typeof runGit>[0], repoDir: string): Promise<string[]> {
  const r = await runGit(inv, ['--git-dir', repoDir, 'for-each-ref', '--format=%(refname)']);
  return r.stdout.split('\n').filter(Boolean);
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
