// The demo's gitolite home: host gl1, master of most repositories, with two real copies on this
// machine (gl2 async, gl3 nosync), each a gitolite3 home behind its own loopback sshd
// (test/infra/gitoliteLocalHosts.ts, built to out/), so mirror pushes work offline. One
// deliberate mistake: `option mirror.copy` for sandbox, a key gitolite's Mirroring never reads.
// gl2's copy of alpha is out of date (behind, plus a stale branch), so a dry run shows a
// fast-forward, a create and a delete; docs is mastered on gl2, so gl1 skips it.
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from './demoSite.mjs';

export const GITOLITE_DEMO_MISTAKE = { bad: 'option mirror.copy = gl2', good: 'option mirror.copies = gl2' };

export function gitoliteDemoConf({ mistake = true } = {}) {
  return `# Demo gitolite.conf, the same on gl1 (this host), gl2 and gl3.
repo gitolite-admin
    RW+     =   admin

@mirrored   =   alpha beta tools/gamma

repo @mirrored
    RW+     =   admin
    option mirror.master        =   gl1
    option mirror.copies        =   gl2
    option mirror.copies.nosync =   gl3
    option mirror.redirectOK    =   gl2

# mastered on gl2: gl1 is a copy, and never pushes it
repo docs
    RW+     =   admin
    option mirror.master        =   gl2
    option mirror.copies        =   gl1

repo sandbox
    RW+     =   admin
    option mirror.master        =   gl1
    ${mistake ? GITOLITE_DEMO_MISTAKE.bad : GITOLITE_DEMO_MISTAKE.good}
`;
}

/** Commits made in a scratch repository and fetched into a bare one (no gitolite hook runs). */
function seed(bare, scratch, branches, tags = []) {
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
  git(['fetch', '-q', work, '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'], bare);
  git(['symbolic-ref', 'HEAD', 'refs/heads/main'], bare);
  rmSync(work, { recursive: true, force: true });
}

/**
 * Creates the gitolite demo under `dir` and starts the copies' sshds. Needs out/ built.
 * Returns the hosts (stop() stops the sshds) and gl1's home, the workspace to open.
 */
export async function createGitoliteDemo({ dir, mistake = true, root }) {
  const require = createRequire(import.meta.url);
  const { startLocalGitoliteHosts } = require(join(root, 'out', 'test', 'infra', 'gitoliteLocalHosts.js'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const hosts = await startLocalGitoliteHosts(dir, 'gl1', ['gl2', 'gl3'], gitoliteDemoConf({ mistake }));
  const scratch = join(dir, '.scratch');
  mkdirSync(scratch);
  const gl1 = (r) => hosts.repoPath('gl1', r);
  seed(gl1('alpha'), scratch, { main: 3, 'stable-1.0': 1 }, ['v1.0']);
  seed(gl1('beta'), scratch, { main: 2, feature: 1 });
  seed(gl1('tools/gamma'), scratch, { main: 2 });
  seed(gl1('sandbox'), scratch, { main: 1 });
  seed(hosts.repoPath('gl2', 'docs'), scratch, { main: 1 });
  // gl2's alpha: main at the first commit, and a branch gl1 no longer has.
  const first = git(['rev-list', '--max-parents=0', 'main'], gl1('alpha'));
  git(['fetch', '-q', gl1('alpha'), `${first}:refs/heads/main`], hosts.repoPath('gl2', 'alpha'));
  git(['update-ref', 'refs/heads/stale', first], hosts.repoPath('gl2', 'alpha'));
  rmSync(scratch, { recursive: true, force: true });
  return { hosts, home: hosts.master.home, conf: join(hosts.master.home, '.gitolite', 'conf', 'gitolite.conf'), repos: ['alpha', 'beta', 'tools/gamma', 'sandbox'] };
}
