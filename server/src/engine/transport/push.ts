// Running `git push --porcelain` against one URL and reading its answer ref by ref, with the
// status names of JGit's RemoteRefUpdate.Status that Gerrit prints.
import { remoteGit } from './git';
import { MISSING_REPOSITORY } from './refs';
import { displayUrl, type TransportOptions } from './invocation';
import { URL_VAR, urlMark } from './gitOwner';

export type RefStatus =
  | 'OK'
  | 'UP_TO_DATE'
  | 'REJECTED_NONFASTFORWARD'
  | 'REJECTED_NODELETE'
  | 'REJECTED_REMOTE_CHANGED'
  | 'REJECTED_OTHER_REASON'
  | 'NON_EXISTING'
  | 'NOT_ATTEMPTED';

export interface RefResult {
  /** Porcelain flag: ' ' fast-forward, '+' forced, '-' deleted, '*' new, '!' rejected, '=' up to date. */
  flag: string;
  src: string;
  dst: string;
  summary: string;
  reason?: string;
  status: RefStatus;
}

export function parsePorcelain(stdout: string): RefResult[] {
  const out: RefResult[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^([ +\-*!=])\t([^\t]*)\t(.*)$/.exec(line);
    if (!m) continue;
    const [, flag, spec, rest] = m;
    const colon = spec.lastIndexOf(':');
    const src = colon < 0 ? spec : spec.slice(0, colon);
    const dst = colon < 0 ? spec : spec.slice(colon + 1);
    const rm = /^(\[[^\]]*\]|\S+)(?: \((.*)\))?$/.exec(rest);
    const summary = rm ? rm[1] : rest;
    const reason = rm?.[2];
    out.push({ flag, src, dst, summary, reason, status: statusOf(flag, summary, reason) });
  }
  return out;
}

function statusOf(flag: string, summary: string, reason?: string): RefStatus {
  if (flag === '=') return 'UP_TO_DATE';
  if (flag !== '!') return 'OK';
  if (summary === '[rejected]') {
    if (reason === 'stale info') return 'REJECTED_REMOTE_CHANGED';
    if (reason === 'remote ref does not exist') return 'NON_EXISTING';
    return 'REJECTED_NONFASTFORWARD';
  }
  if (reason && /deletion prohibited|deny deleting/.test(reason)) return 'REJECTED_NODELETE';
  return 'REJECTED_OTHER_REASON';
}

/** "failed to lock" / "failed to update ref" / "cannot lock ref": the task is kept and retried. */
export function isLockError(r: RefResult): boolean {
  return r.flag === '!' && /failed to (lock|update ref)|cannot lock ref/i.test(`${r.summary} ${r.reason ?? ''}`);
}

export interface PushOutcome {
  /** 'done' when git answered ref by ref (some refs may be rejected). */
  kind: 'done' | 'missing' | 'transport';
  results: RefResult[];
  /** git's error text (secrets redacted) for 'missing' and 'transport'. */
  error?: string;
}

export interface PushRequest {
  repoDir: string;
  url: string;
  refspecs: string[];
  prune?: boolean;
  dryRun?: boolean;
  /** --force-with-lease=ref:expect per entry; expect null: the ref must not exist. */
  leases?: Array<{ ref: string; expect: string | null }>;
  transport: TransportOptions;
  timeoutMs?: number;
  /** The URL lock's descriptor, inherited by git (cluster mode). */
  holdFd?: number;
}

export async function gitPush(req: PushRequest): Promise<PushOutcome> {
  let git;
  try {
    git = remoteGit(req.url, req.transport);
  } catch (e) {
    return { kind: 'transport', results: [], error: (e as Error).message };
  }
  // Names the URL to a daemon restarted after a kill -9 (gitOwner.ts): it waits for this push.
  git.inv.env[URL_VAR] = urlMark(displayUrl(req.url));
  try {
    const flags = ['push', '--porcelain', '--no-verify'];
    if (req.prune) flags.push('--prune');
    if (req.dryRun) flags.push('--dry-run');
    for (const l of req.leases ?? []) flags.push(`--force-with-lease=${l.ref}:${l.expect ?? ''}`);
    const r = await git.run((u) => [...flags, '--', u, ...req.refspecs], { cwd: req.repoDir, timeoutMs: req.timeoutMs, holdFd: req.holdFd });
    const results = parsePorcelain(r.stdout);
    if (r.timedOut) return { kind: 'transport', results, error: `push timed out after ${Math.round((req.timeoutMs ?? 0) / 1000)} s` };
    if (results.length > 0 || r.code === 0) return { kind: 'done', results, error: r.code === 0 ? undefined : git.clean(r.stderr.trim()) };
    const error = git.clean(r.stderr.trim() || `git push exited with ${r.code}`);
    return { kind: MISSING_REPOSITORY.test(r.stderr) ? 'missing' : 'transport', results, error };
  } finally {
    git.dispose();
  }
}
