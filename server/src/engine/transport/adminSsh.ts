// Repository administration over plain SSH, as Gerrit's RemoteSsh does:
// create = `mkdir -p P && cd P && git init --bare && git symbolic-ref HEAD <head>`,
// delete = `rm -rf P`, set HEAD = `cd P && git symbolic-ref HEAD <ref>`.
// Every word that reaches the remote shell is quoted; the URL and ref are validated first.
import { spawn } from 'node:child_process';
import { parseGitUrl } from './gitUrl';
import { UnsafeInputError, validateRefName, validateRemoteUrl } from './safety';
import { shellQuote, sshOptionArgs } from './ssh';
import { cleanGitEnv, displayUrl, redact, TransportOptions } from './invocation';

export interface SshAdminResult {
  ok: boolean;
  /** Error text with secrets redacted. */
  error?: string;
  /** The remote command's exit code when it ran and failed. */
  exitCode?: number;
}

/** Default deadline for one admin command when no timeout is configured. */
const DEFAULT_DEADLINE_MS = 120_000;

interface SshTarget {
  destination: string;
  port?: number;
  /** The repository path, already quoted for the remote POSIX shell. */
  quotedPath: string;
}

/**
 * Quotes a remote path. A leading `~` or `~user` stays unquoted so the remote shell expands
 * it, as git does for `ssh://host/~/repo` and `host:~user/repo`.
 */
export function quoteRemotePath(path: string): string {
  const m = /^(~[A-Za-z0-9._-]*)(\/.*)?$/.exec(path);
  if (m) return m[2] ? `${m[1]}/${shellQuote(m[2].slice(1) || '.')}` : m[1];
  return shellQuote(path);
}

function sshTarget(url: string): SshTarget {
  const p = validateRemoteUrl(url);
  if (p.kind !== 'ssh') throw new UnsafeInputError(`not an ssh URL: ${displayUrl(url)}`);
  let path = p.path;
  // ssh://host/~user/x means ~user/x, as in git.
  if (!p.scpLike && path.startsWith('/~')) path = path.slice(1);
  return {
    destination: (p.user !== undefined ? `${p.user}@` : '') + p.host!,
    port: p.port,
    quotedPath: quoteRemotePath(path),
  };
}

function runSsh(target: SshTarget, command: string, opts: TransportOptions, input?: string): Promise<SshAdminResult> {
  const secrets = [...(opts.secrets ?? []), opts.credentials?.password];
  const args = [...sshOptionArgs(opts)];
  if (target.port) args.push('-p', String(target.port));
  // '--' ends ssh's options: the destination can never be read as one.
  args.push('--', target.destination, command);
  return new Promise((resolve) => {
    const child = spawn('ssh', args, { env: cleanGitEnv(), stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'], detached: true });
    if (input !== undefined) {
      child.stdin!.on('error', () => {});
      child.stdin!.end(input);
    }
    const err: Buffer[] = [];
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    const deadline = opts.timeout && opts.timeout > 0 ? opts.timeout * 2000 : DEFAULT_DEADLINE_MS;
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, deadline);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, error: redact(`cannot run ssh: ${e.message}`, secrets) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ ok: true });
      const text = Buffer.concat(err).toString('utf8').trim();
      const why = signal ? `ssh was killed after ${deadline} ms` : `ssh exited with code ${code}`;
      resolve({ ok: false, error: redact(text ? `${text} (${why})` : why, secrets), ...(code !== null ? { exitCode: code } : {}) });
    });
  });
}

async function guarded(fn: () => Promise<SshAdminResult>): Promise<SshAdminResult> {
  try {
    return await fn();
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export function createRepositoryOverSsh(url: string, headRef: string, opts: TransportOptions = {}): Promise<SshAdminResult> {
  return guarded(() => {
    validateRefName(headRef);
    const t = sshTarget(url);
    const cmd = `mkdir -p ${t.quotedPath} && cd ${t.quotedPath} && git init --bare && git symbolic-ref HEAD ${shellQuote(headRef)}`;
    return runSsh(t, cmd, opts);
  });
}

export function deleteRepositoryOverSsh(url: string, opts: TransportOptions = {}): Promise<SshAdminResult> {
  return guarded(() => {
    const t = sshTarget(url);
    const path = parseGitUrl(url).path.replace(/\/+$/, '');
    // `rm -rf` of a home or root directory is never what a project deletion means.
    if (path === '' || path === '/' || /^\/?~[A-Za-z0-9._-]*$/.test(path)) {
      throw new UnsafeInputError(`refusing to delete ${displayUrl(url)}: the path is not a repository`);
    }
    return runSsh(t, `rm -rf ${t.quotedPath}`, opts);
  });
}

export function setHeadOverSsh(url: string, ref: string, opts: TransportOptions = {}): Promise<SshAdminResult> {
  return guarded(() => {
    validateRefName(ref);
    const t = sshTarget(url);
    return runSsh(t, `cd ${t.quotedPath} && git symbolic-ref HEAD ${shellQuote(ref)}`, opts);
  });
}

/**
 * Runs one command on an ssh host alias (gitolite's peers are named by their ~/.ssh/config
 * aliases), with the same strict options, optionally feeding `input` on stdin. The caller
 * builds `command` from validated words only.
 */
export function runOnSshAlias(alias: string, command: string, opts: TransportOptions = {}, input?: string): Promise<SshAdminResult> {
  return runOnSshDestination(alias, undefined, command, opts, input);
}

/** As runOnSshAlias, for `[user@]host` and an optional port (validated here). */
export function runOnSshDestination(destination: string, port: number | undefined, command: string, opts: TransportOptions = {}, input?: string): Promise<SshAdminResult> {
  return guarded(() => {
    if (!/^([A-Za-z0-9._][A-Za-z0-9._+-]*@)?[A-Za-z0-9._:%-]+$/.test(destination) || destination.startsWith('-') || destination.includes('@-')) {
      throw new UnsafeInputError(`refusing ssh destination ${JSON.stringify(destination)}`);
    }
    return runSsh({ destination, port, quotedPath: '' }, command, opts, input);
  });
}
