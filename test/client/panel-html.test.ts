import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlanResult } from '../../server/src/protocol';
import { commitsHtml, csp, escapeHtml, nonce, pageHtml, planFragment, summaryText } from '../../client/src/panel/html';

/**
 * An `on…=` attribute in a tag. Quoted values are blanked first: escaped text never holds a raw
 * `"`, so a subject's "onerror=" inside data-search or a <li> is text, not an attribute.
 */
const inlineHandler = (html: string) => /<[^>]*\son[a-z]+\s*=/i.test(html.replace(/"[^"]*"/g, '""'));

const plan: PlanResult = {
  site: '/site', refused: false, diagnostics: [],
  targets: [
    {
      project: 'alpha', remote: 'local', url: 'https://bot:s3cret@h/alpha.git', createRepository: false,
      changes: [
        {
          ref: 'refs/heads/main', remoteRef: 'refs/heads/main', kind: 'fast-forward', oldId: 'a'.repeat(40), newId: 'b'.repeat(40),
          commits: { count: 12, subjects: ['<img src=x onerror=alert(1)> & "quoted"', 'Fix the <b>build</b>'] },
        },
        { ref: 'refs/heads/rewritten', remoteRef: 'refs/heads/rewritten', kind: 'force', oldId: 'f'.repeat(40), newId: 'b'.repeat(40), commits: null },
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
  assert.ok(!inlineHandler(html), 'no inline event handlers');
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
  assert.equal(summaryText(plan), '2 targets (2 projects): 1 repository to create, 1 create, 1 update, 1 force, 1 delete, 1 rejected (1 target).');
});

test('a refused config shows its diagnostics instead of targets', () => {
  const refused: PlanResult = { site: '/s', refused: true, targets: [], diagnostics: [{ file: '/s/etc/replication.config', line: 7, column: 21, endLine: 7, endColumn: 24, severity: 'error', code: 'replication.invalidInt', message: 'Invalid integer value: remote.replicationdelay=15s' }] };
  const html = planFragment(refused);
  assert.match(html, /Gerrit would refuse to load it/);
  assert.match(html, /replication\.config:7:21/);
  assert.match(html, /Invalid integer value/);
  assert.ok(!html.includes('<section'));
});

test('the inline-handler check finds a handler in a tag, and not in escaped text', () => {
  assert.ok(inlineHandler('<li onerror="x">'));
  assert.ok(!inlineHandler(`<li data-search="${escapeHtml('<img onerror=x>')}">${escapeHtml('<img onerror=x>')}</li>`));
});

test('an update shows its commit count and subjects, escaped; an unknown old side says so', () => {
  const html = planFragment(plan);
  assert.ok(!/<img|<b>|onerror=alert\(1\)>/.test(html), 'no subject reaches the page as markup');
  assert.ok(html.includes('&#60;img src=x onerror=alert(1)&#62; &#38; &#34;quoted&#34;'));
  assert.ok(html.includes('Fix the &#60;b&#62;build&#60;/b&#62;'));
  assert.match(html, /<summary>12 commits<\/summary><ol><li>/);
  assert.match(html, /and 10 more commits/);
  assert.match(html, /commits: unknown/);
  assert.match(commitsHtml({ ref: 'r', remoteRef: 'r', kind: 'force', oldId: 'a', newId: 'b', commits: { count: 1, subjects: ['x'], dropped: 3 } }), /1 commit, drops 3 commits of the mirror/);
  assert.equal(commitsHtml({ ref: 'r', remoteRef: 'r', kind: 'create', oldId: null, newId: 'b' }), '', 'a create has no count');
  // A subject is searchable, as text.
  assert.match(html, /data-search="refs\/heads\/main refs\/heads\/main &#60;img src=x onerror=alert\(1\)&#62;/);
  // Still under the same strict CSP: no inline script or handler came with the subjects.
  const page = pageHtml({ cspSource: 'https://x', nonce: 'n0nce', scriptUri: 'https://x/s.js', styleUri: 'https://x/s.css', plan });
  assert.equal([...page.matchAll(/<script/g)].length, 1);
  assert.ok(!inlineHandler(page), 'no inline event handlers');
});

test('targets can be collapsed: each is a <details> whose summary names it; collapse and expand all', () => {
  const html = planFragment(plan);
  const sections = html.match(/<section class="target"/g)!.length;
  assert.equal(html.match(/<details class="target-body" open><summary><h2 id="t\d+h">/g)!.length, sections);
  assert.match(html, /<summary><h2 id="t1h"><span class="project">tools\/gamma<\/span>.*<span class="counts muted"><\/span><\/h2><\/summary>/);
  const page = pageHtml({ cspSource: 'https://x', nonce: 'n', scriptUri: 's', styleUri: 'c', plan });
  assert.match(page, /<button type="button" id="collapseAll"/);
  assert.match(page, /<button type="button" id="expandAll"/);
});

test('the summary counts targets first (3 projects × 2 remotes is 6 targets, not 18) and names unreachable and rejected targets', () => {
  const ch = (kind: 'fast-forward' | 'rejected') => ({ ref: 'refs/heads/main', remoteRef: 'refs/heads/main', kind, oldId: 'a'.repeat(40), newId: 'b'.repeat(40) });
  const targets = ['alpha', 'beta', 'gamma'].flatMap((project) => ['r1', 'r2'].map((remote) => ({ project, remote, url: `/m/${remote}/${project}.git`, createRepository: false, changes: [ch('fast-forward')] })));
  targets[1].changes.push(ch('rejected'), ch('rejected'));
  targets[3].changes.push(ch('rejected'));
  Object.assign(targets[5], { unreachable: 'fatal: could not read', changes: [] });
  const many: PlanResult = { site: '/site', refused: false, diagnostics: [], targets };
  assert.equal(summaryText(many), '6 targets (3 projects): 5 update, 3 rejected (2 targets), 1 target unreachable.');
  assert.equal(summaryText({ ...many, siteKind: 'gitolite', targets: targets.slice(0, 1) }), '1 target (1 repository): 1 update.', 'gitolite says repository');
});
