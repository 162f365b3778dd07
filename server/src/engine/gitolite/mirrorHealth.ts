// Mirror health for a gitolite home: `status --gitolite` and `explain --gitolite`. The copies'
// refs are read the way gitolite's own push would meet them: a `git push --mirror --dry-run` to
// each copy through the host's ssh aliases (runMirrors, dry run), which the copy's gitolite also
// checks (it refuses a master it does not know). The last error is gitolite's own record,
// `<repo>.git/gl-copy-<copy>.status`, written when a push failed and removed after a success;
// gitolite keeps no record of a success, so there is no "last success" here.
import { closeSync, constants, lstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Health } from '../health/status';
import { commitTimes } from '../health/status';
import type { RuleStep } from '../preview/explain';
import { runGit } from '../transport/gitRun';
import { localGitEnv } from '../transport/git';
import { modeOf, type CopyType, type MirrorRefusal, type MirrorSite, type RepoMirroring } from './mirrorSite';
import { glTime } from './glTime';
import { runMirrors, selectMirrors, type MirrorRunOptions, type RefChange } from './mirror';

export interface CopyStatus {
  repo: string;
  copy: string;
  type: CopyType;
  health: Health;
  /** The refs a `push --mirror` would change (git's summary per ref). */
  refs: Array<{ ref: string; kind: RefChange; summary: string }>;
  /** Behind or diverged: committer time of the oldest differing tip on this host. */
  oldestUnreplicated?: string;
  /** Why the copy cannot be read or refuses the push (git's and gitolite's words). */
  error?: string;
  /** gitolite's gl-copy-<copy>.status: the last push to this copy failed, and what it said. */
  lastError?: { at: string; message: string };
}

export interface GitoliteStatusResult {
  home: string;
  hostname: string;
  at: string;
  targets: CopyStatus[];
  counts: Record<Health, number>;
  /** Repositories not pushed from here, with the reason (a copy here, mirrored elsewhere…). */
  refused: MirrorRefusal[];
  /** Repositories with nothing to mirror. */
  local: string[];
  notes: string[];
}

const MAX_STATUS_BYTES = 1 << 20;
const MAX_MESSAGE_CHARS = 4000;
const MISSING = /does not exist|not found|does not appear to be a git repository|no such repo/i;

/**
 * Reads `gl-copy-<copy>.status` (a regular file of bounded size, never through a link): lines of
 * `TIMESTAMP<TAB>TID<TAB>git's output`, as gitolite's `mirror push` writes them.
 */
export function readCopyStatus(repoDir: string, copy: string): { at: string; message: string } | undefined {
  const path = join(repoDir, `gl-copy-${copy}.status`);
  let text: string;
  try {
    const st = lstatSync(path);
    if (!st.isFile() || st.size > MAX_STATUS_BYTES) return undefined;
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const buf = Buffer.alloc(Math.min(st.size, MAX_STATUS_BYTES));
      let n = 0;
      for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += r;
      text = buf.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  let at: string | undefined;
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\t[^\t]*\t(.*)$/.exec(line);
    if (m) {
      at ??= glTime(m[1]);
      lines.push(m[2]);
    } else if (line.trim()) lines.push(line);
  }
  const message = lines.join('\n').trim().slice(0, MAX_MESSAGE_CHARS);
  return { at: at ?? new Date(lstatSync(path).mtimeMs).toISOString(), message: message || '(empty status file)' };
}

/** The repository's refs and their ids, read as the hosting user's repository (safe.directory). */
async function localIds(repoDir: string): Promise<Map<string, string>> {
  const r = await runGit({ env: localGitEnv(), configArgs: ['-c', `safe.directory=${repoDir}`], secrets: [] }, ['--git-dir', repoDir, 'for-each-ref', '--format=%(objectname) %(refname)']);
  const m = new Map<string, string>();
  for (const l of r.stdout.split('\n')) {
    const sp = l.indexOf(' ');
    if (sp > 0) m.set(l.slice(sp + 1), l.slice(0, sp));
  }
  return m;
}

/** The health of each copy of the selected repositories this host is master of. */
export async function gitoliteStatus(site: MirrorSite, repos: string[] = [], o: MirrorRunOptions = {}, now = Date.now()): Promise<GitoliteStatusResult> {
  const sel = selectMirrors(site, { repos, copies: undefined });
  const results = await runMirrors(site, sel, true, { ...o, includeNosync: false });
  const targets: CopyStatus[] = [];
  for (const r of results) {
    const repoDir = join(site.repoBase, `${r.repo}.git`);
    const changed = r.refs.filter((x) => x.change !== 'up-to-date');
    let health: Health;
    if (r.status === 'failed') health = MISSING.test(r.error ?? '') ? 'missing-repository' : 'unreachable';
    else if (r.createOnCopy) health = 'missing-repository';
    else if (changed.some((x) => x.change === 'forced' || x.change === 'delete' || x.change === 'rejected')) health = 'diverged';
    else health = changed.length ? 'behind' : 'in-sync';
    const t: CopyStatus = { repo: r.repo, copy: r.copy, type: r.type, health, refs: r.status === 'failed' ? [] : changed.map((x) => ({ ref: x.ref, kind: x.change, summary: x.summary })) };
    if (r.error) t.error = r.error;
    if (health === 'behind' || health === 'diverged') {
      const ids = await localIds(repoDir);
      const tips = changed.map((x) => ids.get(x.ref)).filter((x): x is string => !!x);
      const times = await commitTimes(repoDir, tips, ['-c', `safe.directory=${repoDir}`]);
      const oldest = Math.min(...times.values());
      if (Number.isFinite(oldest)) t.oldestUnreplicated = new Date(Math.min(oldest * 1000, now)).toISOString();
    }
    const last = readCopyStatus(repoDir, r.copy);
    if (last) t.lastError = last;
    targets.push(t);
  }
  const counts: Record<Health, number> = { 'in-sync': 0, behind: 0, diverged: 0, 'missing-repository': 0, unreachable: 0 };
  for (const t of targets) counts[t.health]++;
  return { home: site.home, hostname: sel.hostname, at: new Date(now).toISOString(), targets, counts, refused: sel.refused, local: sel.local, notes: site.notes };
}

export interface GitoliteCopyExplain {
  copy: string;
  type: CopyType;
  /** Pushed by gitolite on its own after each push to the master (async, sync). */
  replicated: boolean;
  steps: RuleStep[];
}

export interface GitoliteExplainResult {
  repo: string;
  ref?: string;
  hostname?: string;
  /** This host's mode for the repository (Mirroring.pm mode()). */
  mode: 'master' | 'copy' | 'local' | 'elsewhere' | 'off';
  existsHere: boolean;
  steps: RuleStep[];
  copies: GitoliteCopyExplain[];
}

const q = (s: string) => JSON.stringify(s);
const at = (o: { file: string; line: number } | undefined) => (o ? ` (${o.file}:${o.line + 1})` : '');

/**
 * Why a repository (and a ref) is or is not mirrored from this host to each copy, in the order
 * gitolite decides: HOSTNAME, the conf's mirror options (exact repo or wild pattern), this host's
 * mode, the repository on disk, then per copy: self, its type, and what the copy must agree to.
 */
export async function explainGitolite(site: MirrorSite, repo: string, ref?: string): Promise<GitoliteExplainResult> {
  const name = repo.replace(/\.git$/, '');
  const r: RepoMirroring | undefined = site.repos.find((x) => x.repo === name) ?? site.settingsFor?.(name);
  const repoDir = join(site.repoBase, `${name}.git`);
  const existsHere = !!r && r.onDisk !== false;
  const out: GitoliteExplainResult = { repo: name, ref, hostname: site.hostname, mode: 'off', existsHere, steps: [], copies: [] };
  const steps = out.steps;
  if (!site.hostname) {
    steps.push({ rule: 'HOSTNAME', outcome: 'stop', detail: `not set in ${join(site.home, '.gitolite.rc')}: mirroring is off on this host; every repository is local` });
    return out;
  }
  steps.push({ rule: 'HOSTNAME', outcome: 'pass', detail: `${q(site.hostname)}` });
  const conf = r?.conf;
  if (conf) {
    steps.push({ rule: conf.isPattern ? 'repo (wild pattern)' : 'repo', outcome: 'info', detail: conf.isPattern ? `${q(name)} takes the options of the pattern ${q(conf.name)}` : `${q(name)} has mirror options in the conf` });
  } else if (r && (r.master || r.copies.size)) steps.push({ rule: 'gl-conf', outcome: 'info', detail: 'no gitolite.conf was read: the options gitolite compiled into the repository decide' });
  const master = r?.master ?? '';
  steps.push({ rule: 'mirror.master', outcome: 'info', detail: master ? `${q(master)}${at(conf?.origin.master)}` : 'not set' });
  const copies = [...(r?.copies ?? new Map<string, CopyType>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  steps.push({ rule: 'mirror.copies', outcome: 'info', detail: copies.length ? `${copies.map(([h, t]) => `${h} (${t})`).join(', ')}${conf?.origin.copies.length ? at(conf.origin.copies.at(-1)) : ''}` : 'not set' });
  for (const n of site.notes) if (n.startsWith(`'${name}':`)) steps.push({ rule: 'gitolite setup', outcome: 'info', detail: n.slice(name.length + 4) });
  const mode = r ? modeOf(site.hostname, r) : { mode: 'local' as const };
  out.mode = mode.mode;
  if (mode.mode === 'elsewhere') steps.push({ rule: 'mode', outcome: 'stop', detail: `${mode.error}: gitolite refuses the repository on this host` });
  else if (mode.mode === 'local') steps.push({ rule: 'mode', outcome: 'stop', detail: 'local: no master and no copies, nothing is mirrored' });
  else if (mode.mode === 'copy') {
    const redirect = conf && (conf.redirectOK === 'all' || conf.redirectOK.includes(site.hostname));
    steps.push({
      rule: 'mode',
      outcome: 'stop',
      detail: `copy: only the master ${q(master)} pushes to the copies; a user's push here is ${redirect ? 'forwarded to the master (mirror.redirectOK)' : "refused (\"pushing to copy not allowed\")"}`,
    });
  } else steps.push({ rule: 'mode', outcome: 'pass', detail: 'master: this host pushes to the copies after every push it receives' });
  if (!existsHere) steps.push({ rule: 'repository', outcome: mode.mode === 'master' ? 'stop' : 'info', detail: `no ${repoDir} on this host` });
  let refHere: boolean | undefined;
  if (ref !== undefined && existsHere) {
    refHere = (await localIds(repoDir)).has(ref);
    steps.push(
      refHere
        ? { rule: 'push --mirror', outcome: 'pass', detail: `${ref} exists here; gitolite's 'git push --mirror' pushes every ref under its own name` }
        : { rule: 'push --mirror', outcome: 'info', detail: `${ref} does not exist here: 'git push --mirror' deletes it on the copies` },
    );
  }
  if (mode.mode !== 'master') return out;
  for (const [copy, type] of copies) {
    const cs: RuleStep[] = [];
    let replicated = existsHere && (refHere ?? true);
    if (copy === site.hostname) {
      cs.push({ rule: 'self', outcome: 'stop', detail: 'this host: gitolite skips itself ("push_to_copies skipping self")' });
      replicated = false;
    } else if (type === 'nosync') {
      cs.push({ rule: 'mirror.copies.nosync', outcome: 'stop', detail: `never pushed on its own: run 'gitolite mirror push ${copy} ${name}' (or 'git-replication mirror push --include-nosync')` });
      replicated = false;
    } else if (type === 'sync') cs.push({ rule: 'mirror.copies.sync', outcome: 'pass', detail: "pushed before the user's push returns" });
    else cs.push({ rule: 'mirror.copies', outcome: 'pass', detail: "pushed in the background after each push (async)" });
    if (copy !== site.hostname) {
      cs.push({ rule: 'copy side', outcome: 'info', detail: `${q(copy)} accepts the push only if its own gitolite.conf names ${q(site.hostname)} as master of ${q(name)}; 'status --gitolite' checks it with a dry-run push` });
      const last = existsHere ? readCopyStatus(repoDir, copy) : undefined;
      if (last) cs.push({ rule: `gl-copy-${copy}.status`, outcome: 'info', detail: `the last push failed (${last.at}): ${last.message.split('\n').find((l) => /fatal/i.test(l)) ?? last.message.split('\n')[0]}` });
    }
    out.copies.push({ copy, type, replicated, steps: cs });
  }
  return out;
}
