// A real OpenSSH sshd on 127.0.0.1 for tests: its own host key, a generated client key, its
// own authorized_keys file and a known_hosts file for the client. Started on a free port,
// stopped by its own pid. Start one per test file (in before()) and reuse it.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

export interface SshServer {
  host: '127.0.0.1';
  port: number;
  /** The login user (the current user unless allowUsers says otherwise). */
  user: string;
  /** Scratch directory holding keys, config and known_hosts (removed by stop()). */
  dir: string;
  /** Private key authorized for `user` (unless a custom authorizedKeysFile is used). */
  identityFile: string;
  /** known_hosts with this server's host key, as `[127.0.0.1]:port`. */
  knownHosts: string;
  /** The host key line (`ssh-ed25519 AAAA…`). */
  hostKey: string;
  /** ssh://user@127.0.0.1:port/<absolute path> */
  url(path: string): string;
  /** Adds a public key line to the authorized_keys file the server reads. */
  authorize(publicKeyLine: string): void;
  /** Everything sshd logged so far (from its log file). */
  log(): string;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Users allowed to log in (default: the current user). */
  allowUsers?: string[];
  /**
   * AuthorizedKeysFile value. Default: one absolute file in the scratch dir, holding the
   * generated client key. Use '.ssh/authorized_keys' for per-user files (gitolite).
   */
  authorizedKeysFile?: string;
  /** More sshd_config lines (e.g. `ForceCommand /path/recorder` to stand in for a Gerrit). */
  extraConfig?: string[];
}

/** ssh-keygen a fresh ed25519 key pair; returns the private key path. */
export function generateKey(path: string, comment = 'test'): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path], { stdio: 'ignore' });
  chmodSync(path, 0o600);
  return path;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Waits until sshd logs that it listens. sshd logs to a file, not a pipe: a test that blocks
 * its event loop (spawnSync) would stop draining a pipe, and sshd would hang writing to it.
 */
async function waitForListening(child: ChildProcess, logFile: string): Promise<boolean> {
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    if (/Server listening on/.test(text)) return true;
    if (exited || /Cannot bind|Address already in use/.test(text)) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

export async function startSshd(opts: SshdOptions = {}): Promise<SshServer> {
  if (!existsSync(SSHD)) throw new Error(`${SSHD} is missing: install the Debian package openssh-server`);
  // sshd's privilege separation refuses to start without this directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'gr-sshd-'));
  chmodSync(dir, 0o755);
  const user = opts.allowUsers?.[0] ?? userInfo().username;
  const hostKeyFile = generateKey(join(dir, 'host_ed25519'), 'host');
  const hostKey = readFileSync(hostKeyFile + '.pub', 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const identityFile = generateKey(join(dir, 'client_ed25519'), 'client');
  const authorizedKeys = opts.authorizedKeysFile ?? join(dir, 'authorized_keys');
  if (!opts.authorizedKeysFile) writeFileSync(authorizedKeys, readFileSync(identityFile + '.pub'), { mode: 0o600 });
  const knownHosts = join(dir, 'known_hosts');

  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeyFile}`,
      // Our own pid file; the default /run/sshd.pid belongs to the system's sshd.
      `PidFile ${join(dir, 'sshd.pid')}`,
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      `AuthorizedKeysFile ${authorizedKeys}`,
      `AllowUsers ${(opts.allowUsers ?? [user]).join(' ')}`,
      // The scratch dir lives under /tmp (mode 1777), which StrictModes would reject.
      'StrictModes no',
      'X11Forwarding no',
      'AllowTcpForwarding no',
      'PrintMotd no',
      'LogLevel VERBOSE',
      'MaxStartups 100:30:200',
      'MaxSessions 50',
      ...(opts.extraConfig ?? []),
      '',
    ].join('\n');
    const configFile = join(dir, 'sshd_config');
    writeFileSync(configFile, config);
    const logFile = join(dir, `sshd-${attempt}.log`);
    const child = spawn(SSHD, ['-D', '-E', logFile, '-f', configFile], {
      env: { PATH: '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin', LANG: 'C' },
      stdio: 'ignore',
    });
    const readLog = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
    if (!(await waitForListening(child, logFile))) {
      child.kill('SIGKILL');
      if (/Address already in use|Cannot bind/.test(readLog())) continue;
      const text = readLog();
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`sshd did not start:\n${text}`);
    }
    writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostKey}\n`, { mode: 0o644 });
    let stopped = false;
    return {
      host: '127.0.0.1',
      port,
      user,
      dir,
      identityFile,
      knownHosts,
      hostKey,
      url: (path: string) => `ssh://${user}@127.0.0.1:${port}${path.startsWith('/') ? '' : '/'}${path}`,
      authorize: (line: string) => appendFileSync(authorizedKeys, line.trim() + '\n'),
      log: readLog,
      stop: () =>
        new Promise<void>((resolve) => {
          if (stopped) return resolve();
          stopped = true;
          const cleanup = () => {
            rmSync(dir, { recursive: true, force: true });
            resolve();
          };
          if (child.exitCode !== null || child.signalCode !== null) return cleanup();
          child.once('exit', cleanup);
          child.kill('SIGTERM');
        }),
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('sshd: no free port after 5 attempts');
}
