// "Replicate these": the webview's shown rows become exact ref changes of the rendered plan, and
// the confirmation counts every outcome with deletions first. Pure: no vscode, no processes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanResult } from '../../server/src/protocol';
import { confirmation, selectionFromShown, selectionOfPlan } from '../../client/src/panel/selection';
import { planFragment, summaryText } from '../../client/src/panel/html';

const id = (c: string) => c.repeat(40);
const plan: PlanResult = {
  site: '/site', refused: false, diagnostics: [],
  targets: [
    {
      project: 'alpha', remote: 'local', url: 'https://bot:s3cret@h/alpha.git', createRepository: false,
      changes: [
        { ref: 'refs/heads/main', remoteRef: 'refs/heads/main', kind: 'fast-forward', oldId: id('a'), newId: id('b') },
        { ref: 'refs/heads/stale', remoteRef: 'refs/heads/stale', kind: 'delete', oldId: id('c'), newId: null },
        { ref: 'refs/heads/new', remoteRef: 'refs/heads/new', kind: 'create', oldId: null, newId: id('d') },
        { ref: 'refs/tags/v1', remoteRef: 'refs/tags/v1', kind: 'rejected', oldId: id('1'), newId: id('2'), reason: 'already exists' },
        { ref: 'refs/heads/same', remoteRef: 'refs/heads/same', kind: 'up-to-date', oldId: id('e'), newId: id('e') },
        { ref: 'refs/heads/rw', remoteRef: 'refs/heads/rw', kind: 'force', oldId: id('3'), newId: id('4') },
      ],
    },
    { project: 'beta', remote: 'local', url: 'file:///m/beta.git', createRepository: true, changes: [{ ref: 'refs/heads/main', remoteRef: 'refs/heads/main', kind: 'create', oldId: null, newId: id('f') }] },
    { project: 'gamma', remote: 'local', url: 'ssh://down/gamma.git', createRepository: false, unreachable: 'ssh: connect to host down port 22: Connection refused\nfatal: x', changes: [] },
  ],
};

test('the Delete filter off: only the shown rows are pushed, the hidden deletion is skipped and named', () => {
  // Rows 0, 2, 3, 4, 5 of alpha are shown (row 1, the delete, is hidden); beta and gamma are shown.
  const sel = selectionFromShown(plan, 7, { version: 7, shown: [{ t: 0, rows: [0, 2, 3, 4, 5] }, { t: 1, rows: [0] }, { t: 2, rows: [] }] });
  assert.ok(typeof sel !== 'string');
  assert.deepEqual(sel.targets.map((t) => [t.project, t.changes.map((c) => `${c.kind} ${c.remoteRef} ${c.oldId?.[0] ?? '-'}`)]), [
    ['alpha', ['fast-forward refs/heads/main a', 'create refs/heads/new -', 'force refs/heads/rw 3']],
    ['beta', ['create refs/heads/main -']],
  ]);
  assert.deepEqual(sel.skipped.map((s) => `${s.project} ${s.change.kind} ${s.change.remoteRef}`), ['alpha delete refs/heads/stale']);
  assert.equal(sel.rejected.length, 1);
  assert.equal(sel.unreachable.length, 1);
  assert.equal(sel.upToDate, 1);
  const c = confirmation(sel);
  assert.equal(c.message, 'Push to 2 targets: force-update 1 ref, update 1 ref, create 2 refs (1 repository created first). Not pushed: 1 hidden by the filters (skipped), 1 rejected, 1 target unreachable, 1 up to date.');
  assert.equal(c.action, 'Push 4 changes');
  assert.equal(c.destructive, true);
  const lines = c.detail.split('\n');
  assert.equal(lines[0], 'Force-update:');
  assert.ok(lines.includes('Skipped, hidden by the filters:'));
  assert.ok(lines.includes('  alpha → https://h/alpha.git: refs/heads/stale (delete)'));
  assert.ok(lines.some((l) => l.includes('gamma → ssh://down/gamma.git: ssh: connect to host down port 22: Connection refused')));
  assert.ok(!c.detail.includes('s3cret') && !c.message.includes('s3cret'), 'no credentials in the confirmation');
});

test('a search for one project pushes only that target; deletions come first in the summary', () => {
  const sel = selectionFromShown(plan, 1, { version: 1, shown: [{ t: 0, rows: [0, 1, 2, 3, 4, 5] }] });
  assert.ok(typeof sel !== 'string');
  assert.deepEqual(sel.targets.map((t) => t.project), ['alpha']);
  const c = confirmation(sel);
  assert.match(c.message, /^Push to 1 target: delete 1 ref, force-update 1 ref, update 1 ref, create 1 ref\./);
  assert.equal(c.detail.split('\n')[0], 'Delete:');
  assert.equal(c.detail.split('\n')[1], '  alpha → https://h/alpha.git: refs/heads/stale');
});

test('the webview cannot push what the rendered plan does not hold, nor a stale plan', () => {
  assert.match(String(selectionFromShown(plan, 2, { version: 1, shown: [{ t: 0, rows: [0] }] })), /changed since it was shown/);
  assert.match(String(selectionFromShown(plan, 1, { version: 1, shown: [{ t: 9, rows: [0] }] })), /malformed target/);
  assert.match(String(selectionFromShown(plan, 1, { version: 1, shown: [{ t: 0, rows: [99] }] })), /malformed row/);
  assert.match(String(selectionFromShown(plan, 1, { version: 1, shown: [] })), /no targets shown/);
  assert.match(String(selectionFromShown(undefined, 1, { version: 1, shown: [{ t: 0, rows: [0] }] })), /no dry run/);
  // Only rejected / up-to-date rows shown: nothing to push.
  const none = selectionFromShown(plan, 1, { version: 1, shown: [{ t: 0, rows: [3, 4] }] });
  assert.ok(typeof none !== 'string');
  assert.equal(confirmation({ ...none, skipped: [] }).pushes, 0);
});

test('Replicate All confirms every planned change; the rows and targets carry their indexes; unreachable targets are counted', () => {
  const all = confirmation(selectionOfPlan(plan));
  assert.equal(all.pushes, 5);
  assert.match(all.message, /^Push to 2 targets: delete 1 ref, force-update 1 ref/);
  const html = planFragment(plan);
  assert.match(html, /data-t="0"/);
  assert.match(html, /<tr class="change" data-row="1" data-kind="delete"/);
  assert.match(summaryText(plan), /1 target unreachable/);
});
