// Drift in the dry-run panel: each plan target gets the mirror's current state from the status
// check, matched by project, remote and URL as shown (user info never compared or shown); a
// target the check did not cover says so. The toggle is on the page. Pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanResult, StatusResult, TargetStatus } from '../../server/src/protocol';
import { driftItems } from '../../client/src/panel/drift';
import { pageHtml } from '../../client/src/panel/html';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const plan: PlanResult = {
  site: '/s', refused: false, diagnostics: [],
  targets: [
    { project: 'alpha', remote: 'local', url: 'https://bot:s3cret@h/alpha.git', createRepository: false, changes: [] },
    { project: 'beta', remote: 'local', url: '/m/beta.git', createRepository: true, changes: [] },
    { project: 'gamma', remote: 'backup', url: '/b/gamma.git', createRepository: false, changes: [] },
  ],
};
const st = (x: Partial<TargetStatus>): TargetStatus => ({ project: 'p', remote: 'local', url: '', template: '', health: 'in-sync', refs: [], ...x });
const status: StatusResult = {
  site: '/s', at: '2026-12-03T12:00:00Z', counts: { 'in-sync': 0, behind: 1, diverged: 0, 'missing-repository': 1, unreachable: 0 },
  targets: [
    st({ project: 'alpha', url: 'https://h/alpha.git', health: 'behind', oldestUnreplicated: '2026-12-03T11:00:00Z', refs: [{ ref: 'refs/heads/main', kind: 'fast-forward', localId: 'a', remoteId: 'b' }], lastError: { at: '2026-12-03T11:30:00Z', message: 'fatal: https://bot:s3cret@h/alpha.git refused' } }),
    st({ project: 'beta', url: '/m/beta.git', health: 'missing-repository', error: 'does not appear to be a git repository' }),
  ],
};

test('each target gets its mirror state, matched without user info; an uncovered one says so', () => {
  const items = driftItems(plan, status, NOW);
  assert.deepEqual(items.map((i) => [i.t, i.health, i.text]), [
    [0, 'behind', 'now: behind · 1 ref · oldest update 1h ago'],
    [1, 'missing-repository', 'now: missing repository · does not appear to be a git repository'],
    [2, 'unknown', 'state unknown'],
  ]);
  assert.match(items[0].title, /fast-forward refs\/heads\/main/);
  assert.match(items[0].title, /last error: .*refused/);
  assert.ok(!JSON.stringify(items).includes('s3cret'), 'no credential in the webview message');
});

test('the page has the drift toggle, off until the user turns it on', () => {
  const html = pageHtml({ cspSource: 'x', nonce: 'n', scriptUri: 's', styleUri: 'c' });
  assert.match(html, /<input type="checkbox" id="showDrift"> Show drift/);
});
