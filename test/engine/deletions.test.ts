// The rules of inferred project deletions (deletions.ts), without processes: what counts as
// evidence that a project is gone, and how much may go per scan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeletionTracker } from '../../server/src/engine/queue/deletions';

const scan = (projects: string[], errors: string[] = []) => ({ projects, errors, loops: [] });
const names = (n: number) => Array.from({ length: n }, (_, i) => `p${i}`);

test('a failed, empty or suddenly shrunken scan is never evidence; a project missing long enough on every scan is', () => {
  const t = new DeletionTracker('/base', { delayMs: 1000, minScans: 3, maxShare: 0.1 });
  const all = names(30);
  assert.equal(t.observe(scan(all), 0).kind, 'ok');
  assert.equal(t.allowance(), 3);
  const err = t.observe(scan([], ['/base: EACCES']), 100);
  assert.equal(err.kind, 'refused');
  assert.match((err as { reason: string }).reason, /cannot scan basePath \/base \(\/base: EACCES\)/);
  assert.match((t.observe(scan([]), 200) as { reason: string }).reason, /holds no project \(30 were there\)/);
  assert.match((t.observe(scan(all.slice(4)), 300) as { reason: string }).reason, /4 of 30 projects disappeared at once/);
  // Two go: within the share. Confirmed only after 3 scans and 1 s.
  const rest = all.slice(2);
  const v1 = t.observe(scan(rest), 1000);
  assert.deepEqual(v1, { kind: 'ok', missing: ['p0', 'p1'], newlyMissing: ['p0', 'p1'], confirmed: [] });
  assert.deepEqual((t.observe(scan(rest), 1500) as { confirmed: string[] }).confirmed, []);
  assert.deepEqual((t.observe(scan(rest), 1900) as { confirmed: string[] }).confirmed, [], 'three scans but not 1 s yet');
  assert.deepEqual((t.observe(scan(rest), 2000) as { confirmed: string[] }).confirmed, ['p0', 'p1']);
  t.forget('p0');
  // p1 comes back before its deletion: it is no longer missing.
  const back = t.observe(scan([...rest, 'p1']), 2100);
  assert.deepEqual(back, { kind: 'ok', missing: [], newlyMissing: [], confirmed: [] });
});

test('a refused scan does not count towards confirmation, and never more than the share is confirmed per scan', () => {
  const t = new DeletionTracker('/base', { delayMs: 0, minScans: 2, maxShare: 0.1 });
  t.observe(scan(names(10)), 0);
  assert.equal(t.allowance(), 1);
  const left = names(10).slice(1);
  assert.deepEqual((t.observe(scan(left), 1) as { confirmed: string[] }).confirmed, []);
  assert.equal(t.observe(scan(left, ['/base/x: EIO']), 2).kind, 'refused');
  assert.deepEqual((t.observe(scan(left), 3) as { confirmed: string[] }).confirmed, ['p0']);
  const off = new DeletionTracker('/base', { delayMs: Infinity, minScans: 1, maxShare: 1 });
  off.observe(scan(['a', 'b']), 0);
  for (let i = 1; i < 5; i++) assert.deepEqual((off.observe(scan(['a']), i * 1e9) as { confirmed: string[] }).confirmed, []);
  // A site that starts empty has nothing to lose, and a scan of three may lose one.
  const small = new DeletionTracker('/base', { delayMs: 0, minScans: 1, maxShare: 0.1 });
  assert.equal(small.observe(scan([]), 0).kind, 'ok');
  small.observe(scan(['a', 'b', 'c']), 1);
  assert.deepEqual((small.observe(scan(['a', 'b']), 2) as { confirmed: string[] }).confirmed, ['c']);
  assert.equal(small.observe(scan(['a']), 3).kind, 'refused', 'b and c missing: 2 > 1');
});
