// "Replicate these" pushes exactly the ref changes the dry run showed: over real repositories,
// through the language server's engine bridge, only the shown refs move on the mirror, a hidden
// deletion does not happen, and a ref that moved on the mirror since the plan is not clobbered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { EngineBridge } from '../../server/src/lsp/engineBridge';
import { TargetStateStore } from '../../server/src/engine/health/targetState';
import type { ExactTarget, PlanResult } from '../../server/src/protocol';
import { unsafeChange, unsafeRefName } from '../../server/src/engine/transport/exactPush';
import { Destination } from '../../server/src/engine/site/destinations';
import { loadSite } from '../../server/src/engine/site/loadSite';

function scenario(dir: string) {
  const src = bare(join(dir, 'site', 'git', 'proj.git'));
  const mirror = bare(join(dir, 'mirrors', 'proj.git'));
  const w = workRepo(join(dir, 'work'));
  const a = w.commit('a');
  const b = w.commit('b', a);
  const set = (repo: string, ref: string, id: string) => git(w.dir, 'push', '-q', '--force', repo, `${id}:${ref}`);
  set(src, 'refs/heads/master', b); // mirror has a: fast-forward
  set(src, 'refs/heads/new', b); // absent on the mirror: create
  set(src, 'refs/heads/other', b); // mirror has a: fast-forward, moved on the mirror after the plan
  set(mirror, 'refs/heads/master', a);
  set(mirror, 'refs/heads/other', a);
  set(mirror, 'refs/heads/stale', a); // gone from the source: a mirror delete
  writeSite(join(dir, 'site'), `[remote "m"]\n  url = ${join(dir, 'mirrors')}/\${name}.git\n  push = +refs/heads/*:refs/heads/*\n  mirror = true\n`);
  return { src, mirror, a, b, w, set };
}

const bridgeFor = (site: string) => new EngineBridge({ queueChanged: () => {}, log: () => {} }, { site, trusted: true });

/** What the panel sends when the user hid deletions: every shown (non-delete) change of the plan. */
function shown(plan: PlanResult, keep: (ref: string, kind: string) => boolean): ExactTarget[] {
  return plan.targets.map((t) => ({
    project: t.project, remote: t.remote, url: t.url,
    changes: t.changes.filter((c) => c.kind !== 'up-to-date' && c.kind !== 'rejected' && keep(c.remoteRef, c.kind))
      .map((c) => ({ ref: c.ref, remoteRef: c.remoteRef, kind: c.kind as 'create', oldId: c.oldId, newId: c.newId })),
  }));
}

test('only the shown refs move: a hidden mirror deletion does not happen, and a ref moved since the plan is kept', async () => {
  const s = scratch('gr-exact-');
  const bridge = bridgeFor(join(s.dir, 'site'));
  try {
    const { mirror, a, b, w, set } = scenario(s.dir);
    const plan = await bridge.plan({});
    const kinds = Object.fromEntries(plan.targets[0].changes.map((c) => [c.remoteRef, c.kind]));
    assert.deepEqual(kinds, { 'refs/heads/master': 'fast-forward', 'refs/heads/new': 'create', 'refs/heads/other': 'fast-forward', 'refs/heads/stale': 'delete' });
    // After the plan, someone moves refs/heads/other on the mirror.
    const c = w.commit('c', a);
    set(mirror, 'refs/heads/other', c);
    // The user turned the Delete filter off: the panel sends the creates and updates it shows.
    const r = await bridge.start({ changes: shown(plan, (_ref, kind) => kind !== 'delete') });
    const status = Object.fromEntries((r.refs ?? []).map((x) => [x.remoteRef, x.status]));
    assert.deepEqual(status, { 'refs/heads/master': 'OK', 'refs/heads/new': 'OK', 'refs/heads/other': 'REJECTED_REMOTE_CHANGED' });
    assert.deepEqual(r.taskIds, [], 'an exact push is not queued as a full sync');
    // Let any queued push (main scheduled a full sync here) run before looking at the mirror.
    await new Promise((res) => setTimeout(res, 1500));
    const after = refsOf(mirror);
    assert.equal(after.get('refs/heads/stale'), a, 'the hidden deletion did not happen');
    assert.equal(after.get('refs/heads/master'), b);
    assert.equal(after.get('refs/heads/new'), b);
    assert.equal(after.get('refs/heads/other'), c, 'the ref that moved since the plan is not clobbered');
    // The exact push leaves its health record (issue 11), as a queued push does.
    const rec = new TargetStateStore(join(s.dir, 'site', 'data', 'replication')).read('m', plan.targets[0].url, 'proj');
    assert.equal(rec?.lastAttempt?.result, 'partial');
    assert.deepEqual(rec?.lastAttempt?.refsPushed.sort(), ['refs/heads/master', 'refs/heads/new']);
    assert.match(rec?.lastError?.message ?? '', /refs\/heads\/other REJECTED_REMOTE_CHANGED/);
    // Shown and confirmed: the deletion goes through, with its lease.
    const plan2 = await bridge.plan({});
    const d = await bridge.start({ changes: shown(plan2, (ref) => ref === 'refs/heads/stale') });
    assert.deepEqual(d.refs?.map((x) => `${x.remoteRef} ${x.status}`), ['refs/heads/stale OK']);
    assert.equal(refsOf(mirror).has('refs/heads/stale'), false);
  } finally {
    await bridge.dispose();
    s.cleanup();
  }
});

test('a change the config would not push is refused before anything is pushed', async () => {
  const s = scratch('gr-exact-');
  const bridge = bridgeFor(join(s.dir, 'site'));
  try {
    const { mirror, a, b } = scenario(s.dir);
    const url = join(s.dir, 'mirrors', 'proj.git');
    const good = { ref: 'refs/heads/new', remoteRef: 'refs/heads/new', kind: 'create' as const, oldId: null, newId: b };
    const bad = [
      { ref: 'refs/tags/x', remoteRef: 'refs/tags/x', kind: 'create' as const, oldId: null, newId: b }, // not in push =
      { ref: 'refs/heads/master', remoteRef: 'refs/heads/elsewhere', kind: 'fast-forward' as const, oldId: a, newId: b },
      { ref: '--upload-pack=x', remoteRef: 'refs/heads/y', kind: 'create' as const, oldId: null, newId: b },
      { ref: 'refs/heads/new', remoteRef: 'refs/heads/new', kind: 'create' as const, oldId: null, newId: '--exec=evil' },
    ];
    for (const ch of bad) {
      await assert.rejects(bridge.start({ changes: [{ project: 'proj', remote: 'm', url, changes: [good, ch] }] }), /refusing to push/, JSON.stringify(ch));
    }
    await assert.rejects(bridge.start({ changes: [{ project: 'proj', remote: 'm', url: '/elsewhere/proj.git', changes: [good] }] }), /has no URL/);
    await assert.rejects(bridge.start({ changes: [{ project: 'nope', remote: 'm', url, changes: [good] }] }), /no project nope/);
    await assert.rejects(bridge.start({ all: true, changes: [] }), /cannot be combined/);
    assert.equal(refsOf(mirror).has('refs/heads/new'), false, 'nothing was pushed');
  } finally {
    await bridge.dispose();
    s.cleanup();
  }
});

test('ref names and deletes are checked against the destination', () => {
  for (const r of ['refs/heads/a..b', 'refs/heads/a b', 'heads/x', 'refs/heads/x:y', 'refs/heads/x.lock', '-x']) assert.ok(unsafeRefName(r), r);
  assert.equal(unsafeRefName('refs/heads/feature/x-1'), undefined);
  const s = scratch('gr-exact-');
  try {
    writeSite(join(s.dir, 'site'), '[remote "m"]\n  url = /m/${name}.git\n  push = refs/heads/*:refs/heads/*\n');
    const dest = new Destination(loadSite(join(s.dir, 'site')).remotes[0]);
    const id = 'a'.repeat(40);
    assert.match(unsafeChange(dest, { ref: 'refs/heads/x', remoteRef: 'refs/heads/x', kind: 'delete', oldId: id, newId: null }) ?? '', /no mirror = true/);
    assert.match(unsafeChange(dest, { ref: 'refs/heads/x', remoteRef: 'refs/heads/x', kind: 'force', oldId: id, newId: 'b'.repeat(40) }) ?? '', /does not force/);
    assert.equal(unsafeChange(dest, { ref: 'refs/heads/x', remoteRef: 'refs/heads/x', kind: 'fast-forward', oldId: id, newId: 'b'.repeat(40) }), undefined);
  } finally {
    s.cleanup();
  }
});
