// A gitolite master and its copies on this machine, as the current user (no root, no new unix
// users): for the demo and the VS Code e2e tests. Each host is a real gitolite3 home (`gitolite
// setup`, HOSTNAME, 'Mirroring' enabled, the same gitolite.conf), and each copy sits behind its
// own loopback sshd whose only key is the master's, forced to
// `env HOME=<copy home> gitolite-shell server-<master>`: gitolite there sees its master's mirror
// push exactly as over a network. The master's ~/.ssh/config names the copies (aliases, key,
// known_hosts), which is what `git-replication mirror push` and the editor push through.
// (gitolite's own trigger on the master would use the user's real ~/.ssh, so pushes here are
// made by git-replication; test/infra/gitoliteHosts.ts has separate unix users for that.)
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { generateKey, SshServer, startSshd } from './sshd';

export interface LocalGitoliteHosts {
  master: { name: string; home: string };
  copies: Array<{ name: string; home: string; sshd: SshServer }>;
  repoPath(host: string, repo: string): string;
  /** Replaces gitolite.conf on every host and runs `gitolite setup` there. */
  setConf(conf: string): void;
  stop(): Promise<void>;
}

const GITOLITE_SHELL = '/usr/share/gitolite3/gitolite-shell';

function gitolite(home: string, args: string[]): string {
  return execFileSync('gitolite', args, { env: { PATH: process.env.PATH, HOME: home, LANG: 'C' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function setupHome(home: string, name: string): void {
  mkdirSync(home, { recursive: true });
  execFileSync('git', ['config', '--global', 'init.defaultBranch', 'main'], { env: { PATH: process.env.PATH, HOME: home } });
  gitolite(home, ['setup', '-a', 'admin']);
  const rcFile = join(home, '.gitolite.rc');
  const rc = readFileSync(rcFile, 'utf8').replace(/# HOSTNAME\s*=>\s*"foo",/, `HOSTNAME                        =>  '${name}',`).replace(/^(\s*)# 'Mirroring',/m, "$1'Mirroring',");
  if (!rc.includes(`'${name}'`) || !/^\s*'Mirroring',/m.test(rc)) throw new Error(`could not enable mirroring in ${rcFile}`);
  writeFileSync(rcFile, rc);
}

/** `dir` holds one home per host (dir/<name>); the sshds keep their keys in their own scratch dirs. */
export async function startLocalGitoliteHosts(dir: string, master: string, copies: string[], conf: string): Promise<LocalGitoliteHosts> {
  const homes = new Map([master, ...copies].map((n) => [n, join(dir, n)]));
  for (const [n, h] of homes) setupHome(h, n);
  const mhome = homes.get(master)!;
  const ssh = join(mhome, '.ssh');
  mkdirSync(ssh, { recursive: true, mode: 0o700 });
  const key = generateKey(join(ssh, 'id_ed25519'), `server-${master}`);
  const pub = readFileSync(key + '.pub', 'utf8').trim();
  const started: Array<{ name: string; home: string; sshd: SshServer }> = [];
  try {
    for (const c of copies) {
      const home = homes.get(c)!;
      // The copy knows the master's key as a peer, as gitolite's setup asks.
      mkdirSync(join(home, '.gitolite', 'keydir'), { recursive: true });
      copyFileSync(key + '.pub', join(home, '.gitolite', 'keydir', `server-${master}.pub`));
      const ak = join(home, 'sshd_authorized_keys');
      writeFileSync(ak, `command="env HOME=${home} ${GITOLITE_SHELL} server-${master}",no-port-forwarding,no-X11-forwarding,no-agent-forwarding,no-pty ${pub}\n`, { mode: 0o600 });
      started.push({ name: c, home, sshd: await startSshd({ authorizedKeysFile: ak }) });
    }
    const user = userInfo().username;
    writeFileSync(join(ssh, 'config'), [
      ...started.map((c) => `Host ${c.name}\n    HostName 127.0.0.1\n    Port ${c.sshd.port}\n    User ${user}\n`),
      `Host *\n    IdentityFile ${key}\n    IdentitiesOnly yes\n    UserKnownHostsFile ${join(ssh, 'known_hosts')}\n    StrictHostKeyChecking yes\n    BatchMode yes\n`,
    ].join('\n'), { mode: 0o600 });
    writeFileSync(join(ssh, 'known_hosts'), started.map((c) => `[127.0.0.1]:${c.sshd.port} ${c.sshd.hostKey}\n`).join(''), { mode: 0o644 });
    chmodSync(key, 0o600);
    const setConf = (text: string) => {
      for (const h of homes.values()) {
        writeFileSync(join(h, '.gitolite', 'conf', 'gitolite.conf'), text);
        gitolite(h, ['setup']);
      }
    };
    setConf(conf);
    return {
      master: { name: master, home: mhome },
      copies: started,
      repoPath: (host, repo) => join(homes.get(host)!, 'repositories', `${repo}.git`),
      setConf,
      stop: async () => {
        for (const c of started) await c.sshd.stop();
      },
    };
  } catch (e) {
    for (const c of started) await c.sshd.stop();
    throw e;
  }
}
