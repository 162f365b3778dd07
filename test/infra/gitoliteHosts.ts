// Two (or more) real gitolite3 hosts on this machine, talking over one private sshd on
// 127.0.0.1, set up for gitolite mirroring as in /work/shared/recipes/gitolite-two-hosts.sh
// but with an ephemeral port, temp dirs and throw-away unix users (removed by stop()).
// Each host has: a hosting user, HOSTNAME = its name, 'Mirroring' and 'mirror' enabled, the
// peers' `server-<name>` keys, ~/.ssh/config aliases named after the peers, and a known_hosts
// holding the sshd's host key (no accept-new anywhere).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey, SshServer, startSshd } from './sshd';

export const GITOLITE = '/usr/bin/gitolite';
/** Prefix of the unix users this module creates; stale ones from crashed runs are removed. */
const USER_PREFIX = 'grgl';

export interface GitoliteHost {
  /** gitolite HOSTNAME and ssh alias. */
  name: string;
  /** The unix hosting user. */
  user: string;
  /** Its home: .gitolite.rc, .gitolite/, repositories/, .ssh/. */
  home: string;
  /** Path of a repository's bare directory on this host. */
  repoPath(repo: string): string;
}

export interface GitoliteHosts {
  sshd: SshServer;
  hosts: Record<string, GitoliteHost>;
  /** Client-side ssh config for the admin key: `ssh -F adminSshConfig gl1 info`. */
  adminSshConfig: string;
  adminKey: string;
  /** Runs a shell command as a host's hosting user (login-like env); returns stdout+stderr. */
  as(host: string, command: string): { code: number; output: string };
  /** Replaces conf/gitolite.conf on a host and runs `gitolite setup` there. */
  setConf(host: string, conf: string): void;
  stop(): Promise<void>;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

/** Removes users left behind by a crashed run: ours by prefix, whose home no longer exists. */
function removeStaleUsers(): void {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , , , , home] = line.split(':');
    if (name?.startsWith(USER_PREFIX) && home && !existsSync(home)) spawnSync('userdel', [name]);
  }
}

function uniqueUserNames(n: number): string[] {
  const tag = (process.pid.toString(36) + Date.now().toString(36).slice(-4)).toLowerCase();
  return Array.from({ length: n }, (_, i) => `${USER_PREFIX}${tag}${i}`);
}

export async function startGitoliteHosts(names: string[] = ['gl1', 'gl2']): Promise<GitoliteHosts> {
  if (!existsSync(GITOLITE)) throw new Error(`${GITOLITE} is missing: install the Debian package gitolite3`);
  if (process.getuid?.() !== 0) throw new Error('the gitolite two-host setup needs root (it creates unix users)');
  removeStaleUsers();
  const dir = mkdtempSync(join(tmpdir(), 'gr-gitolite-'));
  chmodSync(dir, 0o755);
  const users = uniqueUserNames(names.length);
  const created: string[] = [];
  let sshd: SshServer | undefined;

  const as = (host: string, command: string) => {
    const h = hosts[host];
    const r = spawnSync('runuser', ['-u', h.user, '--', 'env', '-i', `HOME=${h.home}`, `USER=${h.user}`, `LOGNAME=${h.user}`, 'PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C', 'bash', '-c', command], {
      encoding: 'utf8',
      cwd: h.home,
      timeout: 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: r.status ?? 1, output: (r.stdout ?? '') + (r.stderr ?? '') };
  };
  const must = (host: string, command: string) => {
    const r = as(host, command);
    if (r.code !== 0) throw new Error(`as ${host}: ${command} failed (${r.code}):\n${r.output}`);
    return r.output;
  };
  const hosts: Record<string, GitoliteHost> = {};
  const stop = async () => {
    await sshd?.stop();
    for (const u of created) spawnSync('userdel', [u]);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const homes = join(dir, 'home');
    const keys = join(dir, 'keys');
    mkdirSync(homes, { mode: 0o755 });
    mkdirSync(keys, { mode: 0o755 });
    names.forEach((name, i) => {
      const user = users[i];
      const home = join(homes, name);
      run('useradd', ['-m', '-d', home, '-s', '/bin/bash', user]);
      created.push(user);
      // sshd without PAM refuses '!'-locked accounts; '*' means "no password" but not locked.
      run('usermod', ['-p', '*', user]);
      hosts[name] = { name, user, home, repoPath: (repo) => join(home, 'repositories', `${repo}.git`) };
    });

    const adminKey = generateKey(join(keys, 'admin'), 'admin');
    for (const name of names) generateKey(join(keys, `server-${name}`), `server-${name}`);
    for (const f of ['admin.pub', ...names.map((n) => `server-${n}.pub`)]) chmodSync(join(keys, f), 0o644);

    sshd = await startSshd({ allowUsers: users, authorizedKeysFile: '.ssh/authorized_keys' });
    const knownLine = `[127.0.0.1]:${sshd.port} ${sshd.hostKey}\n`;
    const aliases = names
      .map((n) => `Host ${n}\n    HostName 127.0.0.1\n    Port ${sshd!.port}\n    User ${hosts[n].user}\n    StrictHostKeyChecking yes\n    BatchMode yes\n`)
      .join('\n');

    for (const name of names) {
      const h = hosts[name];
      const uid = Number(execFileSync('id', ['-u', h.user], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', h.user], { encoding: 'utf8' }).trim());
      const ssh = join(h.home, '.ssh');
      mkdirSync(ssh, { recursive: true, mode: 0o700 });
      copyFileSync(join(keys, `server-${name}`), join(ssh, 'id_ed25519'));
      copyFileSync(join(keys, `server-${name}.pub`), join(ssh, 'id_ed25519.pub'));
      writeFileSync(join(ssh, 'config'), aliases, { mode: 0o600 });
      writeFileSync(join(ssh, 'known_hosts'), knownLine, { mode: 0o644 });
      for (const f of ['', 'id_ed25519', 'id_ed25519.pub', 'config', 'known_hosts']) chownSync(join(ssh, f), uid, gid);
      chmodSync(join(ssh, 'id_ed25519'), 0o600);

      must(name, 'git config --global init.defaultBranch master');
      must(name, `gitolite setup -pk ${join(keys, 'admin.pub')}`);
      for (const peer of names) must(name, `gitolite setup -pk ${join(keys, `server-${peer}.pub`)}`);
      const rcFile = join(h.home, '.gitolite.rc');
      let rc = readFileSync(rcFile, 'utf8');
      rc = rc.replace(/^(\s*UMASK\s*=>.*)$/m, `$1\n    HOSTNAME                        =>  '${name}',`);
      rc = rc.replace(/^(\s*)# 'mirror',/m, "$1'mirror',").replace(/^(\s*)# 'Mirroring',/m, "$1'Mirroring',");
      if (!/^\s*'Mirroring',/m.test(rc) || !/HOSTNAME\s+=>\s+'/.test(rc)) throw new Error(`could not enable mirroring in ${rcFile}`);
      writeFileSync(rcFile, rc);
    }

    const adminSshConfig = join(dir, 'admin_ssh_config');
    writeFileSync(join(dir, 'admin_known_hosts'), knownLine);
    writeFileSync(
      adminSshConfig,
      `${aliases}\nHost *\n    IdentityFile ${adminKey}\n    IdentitiesOnly yes\n    UserKnownHostsFile ${join(dir, 'admin_known_hosts')}\n    GlobalKnownHostsFile /dev/null\n`,
    );

    const setConf = (host: string, conf: string) => {
      const h = hosts[host];
      const f = join(h.home, '.gitolite', 'conf', 'gitolite.conf');
      writeFileSync(f, conf);
      const st = spawnSync('stat', ['-c', '%u:%g', h.home], { encoding: 'utf8' }).stdout.trim().split(':').map(Number);
      chownSync(f, st[0], st[1]);
      must(host, 'gitolite setup');
    };

    return { sshd, hosts, adminSshConfig, adminKey, as, setConf, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** A gitolite.conf where `repos` are mastered on `master` and copied to `copies` (with types). */
export function mirrorConf(entries: Array<{ repo: string; master?: string; options?: string[]; rules?: string[] }>): string {
  const lines = ['repo gitolite-admin', '    RW+     =   admin', ''];
  for (const e of entries) {
    lines.push(`repo ${e.repo}`, ...(e.rules ?? ['RW+ = admin']).map((r) => `    ${r}`));
    if (e.master) lines.push(`    option mirror.master    =   ${e.master}`);
    for (const o of e.options ?? []) lines.push(`    option ${o}`);
    lines.push('');
  }
  return lines.join('\n');
}
