// Installs what the tests and the demo need on a fresh machine: Debian packages (when root)
// and the npm dependencies. A missing tool that cannot be installed is a loud failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Debian package → a file it provides, used to tell whether it is installed.
export const SYSTEM_PACKAGES = {
  git: '/usr/bin/git',
  neovim: '/usr/bin/nvim',
  gitolite3: '/usr/bin/gitolite',
  'openssh-server': '/usr/sbin/sshd',
  'openssh-client': '/usr/bin/ssh-keygen',
  chromium: '/usr/bin/chromium',
  ripgrep: '/usr/bin/rg',
  'libkrb5-dev': '/usr/include/krb5.h',
  // code-server's native modules are rebuilt from source (node-gyp): a compiler, make, python3.
  'g++': '/usr/bin/g++',
  make: '/usr/bin/make',
  python3: '/usr/bin/python3',
  // The engine's chaos tests: tmpfs mounts (mount), root without CAP_DAC_OVERRIDE (setpriv), FIFOs.
  mount: '/usr/bin/mount',
  'util-linux': '/usr/bin/setpriv',
  coreutils: '/usr/bin/mkfifo',
  // The JGit oracle (test/infra/jgit.ts): Maven fetches the pinned jar, a JDK (javac's
  // compiler module) runs the single-file probe.
  maven: '/usr/share/maven/bin/mvn',
  'openjdk-17-jdk-headless': '/usr/lib/jvm/java-17-openjdk-amd64/bin/javac',
};

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

export function ensureSystemPackages(names = Object.keys(SYSTEM_PACKAGES)) {
  const missing = names.filter((n) => !existsSync(SYSTEM_PACKAGES[n]));
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`missing Debian packages: ${missing.join(' ')} (run as root, or: sudo apt-get install ${missing.join(' ')})`);
  }
  console.error(`setup: installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const still = missing.filter((n) => !existsSync(SYSTEM_PACKAGES[n]));
  if (still.length) throw new Error(`Debian packages still missing after install: ${still.join(' ')}`);
}

export function ensureNpmDependencies() {
  const lock = join(root, 'package-lock.json');
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && (!existsSync(lock) || statSync(marker).mtimeMs >= statSync(lock).mtimeMs)) return;
  console.error('setup: installing npm dependencies');
  run('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

export function build() {
  // A clean out/: a moved or deleted test must not keep running from a stale .js.
  rmSync(join(root, 'out'), { recursive: true, force: true });
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root], { cwd: root });
  run(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root });
}

export function gitVersion() {
  return execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureSystemPackages();
  ensureNpmDependencies();
  build();
}
