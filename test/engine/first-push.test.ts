// Issue 13 item 4: the first push to a mirror that does not exist yet. From the editor (the
// language server's engine bridge) the user is waiting: the repository is created and pushed in
// the same attempt, with no retry counted. The daemon keeps Gerrit's semantics: "Missing
// repository created; retry replication", rescheduled after replicationRetry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../support/helpers';
import { bare, git, workRepo, writeSite } from '../support/engine-helpers';
import { EngineBridge } from '../../server/src/lsp/engineBridge';
import { Engine } from '../../server/src/engine/engine';
import { loadSite } from '../../server/src/engine/site/loadSite';
import { until } from '../support/daemon';

const refs = (repo: string) => git(repo, 'for-each-ref', '--format=%(refname) %(objectname)');
/** refs of a mirror that may be half made: its directory appears before `git init` is done. */
const refsSoFar = (repo: string) => {
  try {
    return refs(repo);
  } catch {
    return undefined;
  }
};

function site(prefix: string) {
  const s = scratch(prefix);
  const dir = join(s.dir, 'site');
  // replicationRetry = 1 minute at time scale 1: a rescheduled push would not run within the test.
  writeSite(dir, `[remote "m"]\n  url = ${s.dir}/mirrors/\${name}.git\n  push = +refs/heads/*:refs/heads/*\n  replicationDelay = 0\n  replicationRetry = 1\n`);
  const w = workRepo(join(s.dir, 'work'));
  const source = join(dir, 'git', 'p.git');
  git(w.dir, 'push', '-q', bare(source), `${w.commit('x')}:refs/heads/master`);
  return { s, dir, source, mirror: join(s.dir, 'mirrors', 'p.git') };
}

test('from the editor, a missing mirror is created and pushed in one attempt: no retry, no failure', async () => {
  const { s, dir, source, mirror } = site('gr-first-');
  const logs: string[] = [];
  const bridge = new EngineBridge({ queueChanged: () => {}, log: (l) => logs.push(l.message) }, { site: dir, trusted: true, timeScale: 1 });
  try {
    assert.ok(!existsSync(mirror));
    const r = await bridge.start({ projects: ['p'], now: true });
    assert.equal(r.scheduled, 1);
    await until('the mirror to hold the source refs', () => existsSync(mirror) && refsSoFar(mirror) === refs(source) && bridge.queue({}).tasks.length === 0, () => logs.join('\n'), 20000);
    assert.equal(bridge.queue({}).failed, 0);
    const all = logs.join('\n');
    assert.doesNotMatch(all, /retry replication|Rescheduling/i, all);
    assert.match(all, /Missing repository created for \S+p\.git; pushing it now/, all);
    assert.match(all, /completed in \d+ms, \d+ms delay, 0 retries/, all);
  } finally {
    await bridge.dispose();
    s.cleanup();
  }
});

test('the daemon keeps Gerrit\'s semantics: the repository is created and the push rescheduled after replicationRetry', async () => {
  const { s, dir, mirror } = site('gr-first-d-');
  const logs: string[] = [];
  const engine = new Engine(loadSite(dir), { persist: false, timeScale: 1, log: (_l, m) => logs.push(m) });
  try {
    engine.startReplication({ projects: ['p'] }, { now: true });
    await until('the retry to be scheduled', () => /Missing repository created; retry replication/.test(logs.join('\n')), () => logs.join('\n'), 20000);
    assert.ok(existsSync(mirror), 'the repository was created');
    assert.equal(refs(mirror), '', 'nothing pushed yet: the push waits for replicationRetry');
  } finally {
    await engine.stop();
    s.cleanup();
  }
});
