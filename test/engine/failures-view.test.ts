// Failures the user can act on, through the language server's engine bridge over real git: the
// reason of a push that ran out of retries is the connection error, not only "cancelled after
// maximum number of retries", and failed tasks can be dismissed one at a time or all together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { scratch } from '../support/helpers';
import { bare, git, workRepo, writeSite } from '../support/engine-helpers';
import { EngineBridge } from '../../server/src/lsp/engineBridge';

async function until(what: string, f: () => boolean, ms = 30000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the first error is kept after the retries run out; failed tasks are dismissed one or all', async () => {
  const s = scratch('gr-fail-');
  const site = join(s.dir, 'site');
  writeSite(site, `[remote "m"]\n  url = git://127.0.0.1:1/\${name}.git\n  replicationDelay = 0\n  replicationRetry = 1\n  replicationMaxRetries = 1\n`);
  const w = workRepo(join(s.dir, 'work'));
  const tip = w.commit('x');
  for (const p of ['a', 'b', 'c']) git(w.dir, 'push', '-q', bare(join(site, 'git', `${p}.git`)), `${tip}:refs/heads/master`);
  const bridge = new EngineBridge({ queueChanged: () => {}, log: () => {} }, { site, trusted: true, timeScale: 0.005 });
  try {
    const r = await bridge.start({ all: true, now: true });
    assert.equal(r.scheduled, 3);
    await until('three failed tasks', () => bridge.queue({}).failed === 3);
    const failed = bridge.queue({}).tasks.filter((t) => t.state === 'failed');
    for (const t of failed) {
      assert.match(t.lastError ?? '', /cancelled after maximum number of retries: .*(refused|unable to connect|Connection)/i, t.lastError);
    }
    assert.deepEqual(bridge.dismiss({ taskIds: [failed[0].id] }), { dismissed: 1 });
    assert.deepEqual(bridge.queue({}).tasks.map((t) => t.id).sort(), failed.slice(1).map((t) => t.id).sort());
    assert.deepEqual(bridge.dismiss({ taskIds: ['no-such-task'] }), { dismissed: 0 });
    assert.deepEqual(bridge.dismiss({ all: true }), { dismissed: 2 });
    assert.equal(bridge.queue({}).tasks.length, 0);
  } finally {
    await bridge.dispose();
    s.cleanup();
  }
});
