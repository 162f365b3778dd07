import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { scratch } from '../support/helpers';
import { parseTask, taskJson, taskKey, TaskStore } from '../../server/src/engine/queue/taskStore';

test('a task is stored as Gerrit writes it: one JSON line named by the SHA-1 of its key (rows 34, 37, 38)', () => {
  const t = { project: 'someProject', refs: ['ref1'], uri: 'git://host1/someRepo.git', remote: 'someRemote' };
  assert.equal(taskJson(t), '{"project":"someProject","refs":["ref1"],"uri":"git://host1/someRepo.git","remote":"someRemote"}\n');
  const expected = createHash('sha1').update('someProject\n[ref1]\ngit://host1/someRepo.git\nsomeRemote').digest('hex');
  assert.equal(taskKey(t), expected);
  assert.equal(taskKey({ ...t, refs: ['a', 'b'] }), createHash('sha1').update('someProject\n[a, b]\ngit://host1/someRepo.git\nsomeRemote').digest('hex'));
  const s = scratch('gr-store-');
  try {
    const store = new TaskStore(s.dir);
    assert.equal(store.create(t), store.create(t));
    assert.equal(readdirSync(store.waiting).length, 1);
    store.create({ ...t, uri: 'ssh://host1/someRepo.git' });
    assert.equal(readdirSync(store.waiting).length, 2);
    assert.equal(readFileSync(join(store.waiting, expected), 'utf8'), taskJson(t));
    assert.deepEqual(readdirSync(store.building), []);
  } finally {
    s.cleanup();
  }
});

test('legacy "ref" is read, an unknown field is refused, encoded characters round-trip (rows 35, 36, 39)', () => {
  assert.deepEqual(parseTask('{"project":"p","ref":"ref1","uri":"u","remote":"r"}'), { project: 'p', refs: ['ref1'], uri: 'u', remote: 'r' });
  assert.throws(() => parseTask('{"unknownKey":"x"}'), /Unknown field in stored task: unknownKey/);
  const t = { project: 'a "quoted" <name> & more', refs: ['refs/heads/x'], uri: "https://h/a%20'q'%3Cx%3E=1.git", remote: 'r' };
  const json = taskJson(t);
  assert.match(json, /\\u003cname\\u003e \\u0026 more/); // Gson's HTML-safe escaping
  assert.deepEqual(parseTask(json), t);
});

test('lifecycle: waiting → running → done; recovery moves running back to waiting', () => {
  const s = scratch('gr-store-');
  try {
    const store = new TaskStore(s.dir);
    const k1 = store.create({ project: 'p', refs: ['r1'], uri: 'u', remote: 'x' });
    const k2 = store.create({ project: 'p', refs: ['r2'], uri: 'u', remote: 'x' });
    assert.ok(store.start(k1));
    assert.ok(store.start(k2));
    assert.ok(existsSync(join(store.running, k1)));
    store.finish(k1);
    assert.equal(existsSync(join(store.running, k1)), false);
    assert.equal(store.recoverAll(), 1);
    assert.deepEqual(store.listWaiting().map((e) => e.key), [k2]);
    assert.deepEqual(store.listWaiting()[0].task.refs, ['r2']);
  } finally {
    s.cleanup();
  }
});
