// A small Gerrit-like site for the demo and the e2e tests: bare repositories as projects under
// site/git, local mirrors as hosts (a plain path and a file:// URL), and an
// etc/replication.config with one deliberate mistake (`replicationDelay = 15s`: Gerrit reads
// it with getInt, so the unit makes it refuse the whole config).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// git with a clean, fixed identity: no user config, hooks or templates leak in.
function gitEnv() {
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };
  Object.assign(env, {
    GIT_AUTHOR_NAME: 'Demo Admin', GIT_AUTHOR_EMAIL: 'admin@example.com', GIT_COMMITTER_NAME: 'Demo Admin', GIT_COMMITTER_EMAIL: 'admin@example.com',
    GIT_AUTHOR_DATE: '2026-01-01T12:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T12:00:00Z',
  });
  for (const k of Object.keys(env)) if (k.startsWith('GIT_DIR') || k === 'GIT_WORK_TREE' || k === 'GIT_INDEX_FILE') delete env[k];
  return env;
}

export function git(args, cwd) {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A bare repository with the given branches (each a few commits) and tags; returns tip ids. */
function makeProject(bare, { branches, tags = [] }, scratch) {
  mkdirSync(bare, { recursive: true });
  git(['init', '-q', '--bare', '--initial-branch=main', bare]);
  const work = mkdtempSync(join(scratch, 'work-'));
  git(['init', '-q', '--initial-branch=main', work]);
  let n = 0;
  for (const [branch, commits] of Object.entries(branches)) {
    if (branch !== 'main') git(['checkout', '-q', '-B', branch, 'main'], work);
    for (let i = 0; i < commits; i++) {
      writeFileSync(join(work, `${branch.replace(/\W/g, '_')}.txt`), `${branch} ${i}\n`);
      git(['add', '-A'], work);
      git(['commit', '-q', '-m', `${branch}: change ${++n}`], work);
    }
    if (branch !== 'main') git(['checkout', '-q', 'main'], work);
  }
  for (const t of tags) git(['tag', t, 'main'], work);
  git(['push', '-q', bare, '--all'], work);
  if (tags.length) git(['push', '-q', bare, '--tags'], work);
  rmSync(work, { recursive: true, force: true });
}

/** A loopback port nothing listens on: the kernel hands out a free one, which is then closed. */
function closedPort() {
  const js = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return Number(execFileSync(process.execPath, ['-e', js], { encoding: 'utf8' }));
}

export const DEMO_MISTAKE = { key: 'replicationDelay', bad: '15s', good: '15' };

export function replicationConfig({ mirrors, mistake = true, failingUrl, loopbackUrl }) {
  return `# Demo site: every project is mirrored to ${mirrors}/local (a path),
# the tools/* projects also to ${mirrors}/backup (a file:// URL)${loopbackUrl ? ',\n# beta also over HTTP to a git http-backend on this machine (credentials in secure.config)' : ''}.
[gerrit]
\tdefaultForceUpdate = false
[replication]
\tlockErrorMaxRetries = 3
[remote "local"]
\turl = ${mirrors}/local/\${name}.git
\tpush = +refs/heads/*:refs/heads/*
\tpush = +refs/tags/*:refs/tags/*
\tmirror = true
\treplicationDelay = ${mistake ? DEMO_MISTAKE.bad : DEMO_MISTAKE.good}
\tthreads = 2
[remote "backup"]
\turl = file://${mirrors}/backup/\${name}.git
\tpush = refs/heads/*:refs/heads/*
\tprojects = tools/*
\treplicationDelay = 0
${loopbackUrl ? `[remote "loopback"]
\turl = ${loopbackUrl}
\tpush = refs/heads/*:refs/heads/*
\tprojects = beta
\treplicationDelay = 0
` : ''}${failingUrl ? `[remote "offline"]
\t# Always fails: the repository cannot be created under /dev/null.
\turl = ${failingUrl}
\tpush = refs/heads/*:refs/heads/*
\tprojects = alpha
\tcreateMissingRepositories = false
\treplicationRetry = 1
` : ''}`;
}

/**
 * Creates the demo site under `dir` (a fresh temp dir when omitted) and returns its paths.
 * Options: mistake (default true), failing (adds a remote whose URL always fails).
 */
export function createDemoSite({ dir, mistake = true, failing = false, loopback } = {}) {
  const base = dir ?? mkdtempSync(join(tmpdir(), 'gr-demo-'));
  const site = join(base, 'site');
  const mirrors = join(base, 'mirrors');
  const scratch = join(base, '.scratch');
  mkdirSync(join(site, 'etc'), { recursive: true });
  mkdirSync(join(site, 'git'), { recursive: true });
  mkdirSync(join(mirrors, 'local'), { recursive: true });
  mkdirSync(join(mirrors, 'backup'), { recursive: true });
  mkdirSync(scratch, { recursive: true });
  makeProject(join(site, 'git', 'alpha.git'), { branches: { main: 3, 'stable-1.0': 1 }, tags: ['v1.0'] }, scratch);
  makeProject(join(site, 'git', 'beta.git'), { branches: { main: 2, feature: 2 } }, scratch);
  makeProject(join(site, 'git', 'tools', 'gamma.git'), { branches: { main: 2 } }, scratch);
  // An existing, out-of-date mirror of alpha: main behind by two commits, a stale branch that
  // `mirror = true` deletes. A dry run shows fast-forward, create and delete side by side.
  const old = join(mirrors, 'local', 'alpha.git');
  git(['init', '-q', '--bare', '--initial-branch=main', old]);
  const firstMain = git(['rev-list', '--max-parents=0', 'main'], join(site, 'git', 'alpha.git'));
  git(['fetch', '-q', join(site, 'git', 'alpha.git'), `${firstMain}:refs/heads/main`], old);
  git(['update-ref', 'refs/heads/stale', firstMain], old);
  writeFileSync(join(site, 'etc', 'gerrit.config'), '[gerrit]\n\tbasePath = git\n');
  const failingUrl = failing ? `http://127.0.0.1:${closedPort()}/\${name}.git` : undefined;
  // loopback: { port, root, username, password }: an HTTP host (git http-backend) serving `root`.
  // Plain HTTP cannot create repositories, so the mirror repository is made here, empty.
  let loopbackUrl;
  if (loopback) {
    git(['init', '-q', '--bare', '--initial-branch=main', join(loopback.root, 'beta.git')]);
    loopbackUrl = `http://127.0.0.1:${loopback.port}/\${name}.git`;
    writeFileSync(join(site, 'etc', 'secure.config'), `[remote "loopback"]\n\tusername = ${loopback.username}\n\tpassword = ${loopback.password}\n`, { mode: 0o600 });
  }
  writeFileSync(join(site, 'etc', 'replication.config'), replicationConfig({ mirrors, mistake, failingUrl, loopbackUrl }));
  rmSync(scratch, { recursive: true, force: true });
  return {
    base,
    site,
    mirrors,
    config: join(site, 'etc', 'replication.config'),
    projects: ['alpha', 'beta', 'tools/gamma'],
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
