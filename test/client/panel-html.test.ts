import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanResult } from '../../server/src/protocol';
import { csp, escapeHtml, nonce, pageHtml, planFragment, summaryText } from '../../client/src/panel/html';

const plan: PlanResult = {
  site: '/site', refused: false, diagnostics: [],
  targets: [
    {
      project: 'alpha', remote: 'local', url: 'https://bot:s3cret@h/alpha.git', createRepository: false,
      changes: [
        { ref: 'refs/heads/main', remoteRef: 'refs/heads/main', kind: 'fast-forward', oldId: 'a'.repeat(40), newId: 'b'.repeat(40) },
        { ref: 'refs/heads/stale', remoteRef: 'refs/heads/stale', kind: 'delete', oldId: 'c'.repeat(40), newId: null },
        { ref: 'refs/heads/<script>', remoteRef: 'refs/heads/x', kind: 'rejected', oldId: null, newId: 'd'.repeat(40), reason: 'non-fast-forward' },
      ],
    },
    { project: 'tools/gamma', remote: 'backup', url: 'file:///m/tools/gamma.git', createRepository: true, changes: [{ ref: 'refs/heads/main', remoteRef: 'refs/heads/main', kind: 'create', oldId: null, newId: 'e'.repeat(40) }] },
  ],
};

test('the page has a strict CSP with a nonce, and only nonce\'d local resources', () => {
  const n = nonce();
  assert.match(n, /^[A-Za-z0-9]{20,}$/);
  assert.notEqual(n, nonce());
  const html = pageHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: n, scriptUri: 'https://x.vscode-cdn.net/media/dryRun.js', styleUri: 'https://x.vscode-cdn.net/media/dryRun.css', plan });
  const policy = csp('https://x.vscode-cdn.net', n);
  assert.ok(policy.startsWith("default-src 'none';"));
  assert.match(policy, new RegExp(`script-src 'nonce-${n}'`));
  assert.ok(!/unsafe-inline|unsafe-eval/.test(policy));
  assert.ok(html.includes(escapeHtml(policy)));
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 1);
  assert.match(scripts[0], new RegExp(`nonce="${n}"`));
  assert.ok(!/ on[a-z]+=/i.test(html), 'no inline event handlers');
  assert.ok(!/<style/.test(html), 'no inline style blocks');
});

test('the plan table lists every ref change, escapes names, and hides secrets', () => {
  const html = planFragment(plan);
  assert.ok(!html.includes('s3cret') && !html.includes('bot:'), 'no credentials reach the webview');
  assert.ok(html.includes('https://h/alpha.git'));
  assert.ok(!html.includes('<script>'));
  assert.ok(html.includes('refs/heads/&#60;script&#62;'));
  for (const k of ['fast-forward', 'delete', 'rejected', 'create']) assert.ok(html.includes(`data-kind="${k}"`), k);
  assert.match(html, /repository will be created/);
  assert.match(html, /non-fast-forward/);
  assert.match(html, /data-project="tools\/gamma" data-remote="backup"/);
  assert.equal(summaryText(plan), '2 projects × 2 targets: 1 repository to create, 1 create, 1 update, 1 delete, 1 rejected.');
});

test('a refused config shows its diagnostics instead of targets', () => {
  const refused: PlanResult = { site: '/s', refused: true, targets: [], diagnostics: [{ file: '/s/etc/replication.config', line: 7, column: 21, endLine: 7, endColumn: 24, severity: 'error', code: 'replication.invalidInt', message: 'Invalid integer value: remote.replicationdelay=15s' }] };
  const html = planFragment(refused);
  assert.match(html, /Gerrit would refuse to load it/);
  assert.match(html, /replication\.config:7:21/);
  assert.match(html, /Invalid integer value/);
  assert.ok(!html.includes('<section'));
});
