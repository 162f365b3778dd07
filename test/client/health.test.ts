// The Remotes view's mirror health (issue 11 item 7) and its rows (issue 13 item 2), as pure
// models: the state on every URL and project row, last success and last error in the tooltip
// with no credential, the status-bar summary only when something is behind, the explain text,
// the dirty-buffer notice, and the package.json menus that put the commands on those rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExplainResult, RemoteSummary, StatusResult, TargetStatus } from '../../server/src/protocol';
import { ago, healthBar, mergeStatus, scrub, targetLines, worst } from '../../client/src/models/healthModel';
import { remoteNodes } from '../../client/src/models/remotesModel';
import { explainLines, verdict } from '../../client/src/models/explainText';
import { dirtyNotice, finishedTargets, isSiteConfig } from '../../client/src/models/viewNotice';
import { connectionText, rowSelection, urlLine } from '../../client/src/models/rowActions';
import { ROOT } from '../support/helpers';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const target = (p: Partial<TargetStatus>): TargetStatus => ({
  project: 'alpha', remote: 'local', url: '/m/local/alpha.git', template: '/m/local/${name}.git', health: 'in-sync', refs: [], ...p,
});
const status = (targets: TargetStatus[]): StatusResult => {
  const counts = { 'in-sync': 0, behind: 0, diverged: 0, 'missing-repository': 0, unreachable: 0 };
  for (const t of targets) counts[t.health]++;
  return { site: '/site', at: iso(0), targets, counts };
};
const REMOTE: RemoteSummary = {
  name: 'local', file: '/site/etc/replication.config', line: 1,
  urls: [{ template: '/m/local/${name}.git', example: '/m/local/alpha.git' }, { template: 'https://h/${name}.git', example: 'https://h/alpha.git' }],
  nonDefaults: [{ key: 'push', value: '+refs/heads/*:refs/heads/*' }, { key: 'push', value: '+refs/tags/*:refs/tags/*' }],
  projectCount: 2, projects: ['alpha', 'beta'], errors: 0, warnings: 0, blocks: [{ file: '/site/etc/replication.config', line: 1, errors: 0, warnings: 0 }],
};

test('health: every URL and project row carries its state; a URL row expands to its targets', () => {
  const s = status([
    target({ lastSuccess: iso(3600_000) }),
    target({ project: 'beta', url: '/m/local/beta.git', health: 'behind', refs: [{ ref: 'refs/heads/main', kind: 'fast-forward', localId: 'b', remoteId: 'a' }], oldestUnreplicated: iso(7200_000), lastSuccess: iso(86400_000) }),
    target({ url: 'https://h/alpha.git', template: 'https://h/${name}.git', health: 'unreachable', error: "unable to access 'https://bot:s3cret@h/alpha.git/': Connection refused", lastError: { at: iso(60_000), message: 'fatal: https://bot:s3cret@h/alpha.git: Connection refused\nmore' } }),
  ]);
  const [r] = remoteNodes([REMOTE], '/site', s, NOW);
  const [local, http, settings, projects] = r.children!;
  assert.equal(local.icon, 'history', 'the worst of in-sync and behind');
  assert.equal(local.description, '→ /m/local/alpha.git · 1 behind, 1 in sync');
  assert.match(local.tooltip!, /last success: \d{4}-\d\d-\d\d \d\d:\d\d \(1h ago\), alpha/);
  assert.deepEqual(local.children!.map((c) => [c.label, c.icon, c.contextValue]), [['alpha', 'pass', 'target'], ['beta', 'history', 'target']]);
  assert.equal(local.children![1].description, 'behind · 1 ref · oldest update 2h ago');
  assert.deepEqual(local.children![1].data, { remote: 'local', url: '/m/local/${name}.git', project: 'beta', target: '/m/local/beta.git' });
  assert.equal(http.icon, 'debug-disconnect');
  assert.match(http.tooltip!, /last error: .*alpha: fatal: https:\/\/h\/alpha\.git: Connection refused$/m);
  assert.match(http.children![0].tooltip!, /unable to access 'https:\/\/h\/alpha\.git\/'/);
  for (const n of [local, http, ...local.children!, ...http.children!]) assert.doesNotMatch(`${n.tooltip} ${n.description}`, /s3cret|bot/, 'no credential in any row');
  // Every value of a multi-valued key: both push lines.
  assert.deepEqual(settings.children!.map((c) => c.description), ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*']);
  // "2 projects matched" expands to the projects, each with its worst state over the URLs.
  assert.equal(projects.label, '2 projects');
  assert.deepEqual(projects.children!.map((c) => [c.label, c.icon, c.contextValue]), [['alpha', 'debug-disconnect', 'project'], ['beta', 'history', 'project']]);
  assert.deepEqual(projects.children![1].data, { remote: 'local', project: 'beta' });
  // Before the status arrives: plain rows, still expandable to the projects.
  const [plain] = remoteNodes([REMOTE], '/site', undefined, NOW);
  assert.equal(plain.children![0].icon, 'link');
  assert.equal(plain.children![0].children, undefined);
  assert.equal(plain.children![3].children!.length, 2);
});

test('health: tooltip lines, the status bar only when something is not in sync, a scoped refresh', () => {
  const behind = target({ health: 'behind', refs: [{ ref: 'refs/heads/main', kind: 'fast-forward', localId: 'b', remoteId: 'a' }], lastError: { at: iso(120_000), message: 'x' } });
  const lines = targetLines(behind, NOW);
  assert.equal(lines[0], 'alpha → /m/local/alpha.git (remote local): behind');
  assert.ok(lines.includes('  fast-forward refs/heads/main'));
  assert.ok(lines.includes('  last success: never recorded'));
  assert.match(lines.at(-1)!, /last error: .*\(2m ago\): x$/);
  assert.equal(healthBar(status([target({})]), NOW), undefined, 'all in sync: no item');
  assert.equal(healthBar(undefined, NOW), undefined);
  const bar = healthBar(status([target({}), behind, target({ project: 'beta', health: 'unreachable' })]), NOW)!;
  assert.equal(bar.text, '$(debug-disconnect) Mirror health: 1 unreachable, 1 behind');
  assert.match(bar.tooltip, /2 targets of 3 not in sync/);
  assert.equal(bar.alert, true);
  assert.equal(worst(['behind', 'in-sync']), 'behind');
  assert.equal(worst([]), undefined);
  // Sync now refreshes one project on one remote: the rest of the old status stays.
  const old = status([behind, target({ project: 'beta' }), target({ remote: 'backup' })]);
  const merged = mergeStatus(old, status([target({})]), { projects: ['alpha'], remotes: ['local'] });
  assert.deepEqual(merged.targets.map((t) => `${t.project}@${t.remote}:${t.health}`).sort(), ['alpha@backup:in-sync', 'alpha@local:in-sync', 'beta@local:in-sync']);
  assert.equal(merged.counts['in-sync'], 3);
  assert.equal(merged.counts.behind, 0);
  assert.equal(ago(iso(90_061_000), NOW), '1d 1h ago');
  assert.equal(scrub('ssh://git:pw@h/x and https://tok@h/y'), 'ssh://git@h/x and https://h/y');
});

test('explain: a verdict per remote naming the rule that decided', () => {
  const e: ExplainResult = {
    project: 'beta', existsAtSource: true,
    remotes: [
      { remote: 'backup', at: 'etc/replication.config:14', projectReplicated: false, steps: [{ rule: 'projects', outcome: 'stop', detail: 'none of "tools/*" matches' }], urls: [] },
      { remote: 'local', at: 'etc/replication.config:7', projectReplicated: true, steps: [{ rule: 'projects', outcome: 'pass', detail: 'not set: every project' }], urls: [{ template: 'https://h/${name}.git', url: 'https://h/beta.git', replicated: true, steps: [], collisions: [] }] },
    ],
  };
  assert.equal(verdict(e.remotes[0]), 'not replicated — projects: none of "tools/*" matches');
  assert.equal(verdict(e.remotes[1]), 'replicated to 1 of 1 URL');
  const text = explainLines(e).join('\n');
  assert.match(text, /^remote backup \(etc\/replication\.config:14\): not replicated/m);
  assert.match(text, /✗ projects: none of "tools\/\*" matches/);
  assert.match(text, /url https:\/\/h\/beta\.git: replicated/);
  const md = explainLines(e, { markdown: true }).join('\n');
  assert.match(md, /none of "tools\/\\\*" matches/, 'markdown is escaped');
  assert.match(explainLines({ project: 'nope', existsAtSource: false, remotes: [] }).join('\n'), /nope is not a project of the site/);
});

test('views: the dirty-buffer notice, the targets a queue change finished, row selections', () => {
  assert.equal(isSiteConfig('/site/etc/replication.config', '/site'), true);
  assert.equal(isSiteConfig('/site/etc/replication/a.config', '/site'), true);
  assert.equal(isSiteConfig('/other/etc/replication.config', '/site'), false);
  assert.equal(isSiteConfig('/site/etc/gerrit.config', '/site'), false);
  assert.equal(dirtyNotice([], '/site'), undefined);
  assert.equal(dirtyNotice(['/site/etc/replication.config'], '/site'), 'Showing the saved etc/replication.config: the editor has unsaved changes. Save to update the view.');
  const t = (id: string, project: string, state: 'running' | 'failed' = 'running') => ({ id, project, remote: 'local', url: 'u', refs: [], state, retries: 0 });
  const prev = { pending: 0, inFlight: 2, failed: 0, tasks: [t('1', 'alpha'), t('2', 'beta'), t('3', 'gamma', 'failed')] };
  assert.deepEqual(finishedTargets(prev, { pending: 0, inFlight: 1, failed: 1, tasks: [t('2', 'beta'), t('3', 'gamma', 'failed')] }), { projects: ['alpha'], remotes: ['local'] });
  assert.deepEqual(finishedTargets(undefined, prev), { projects: [], remotes: [] });
  assert.deepEqual(rowSelection({ remote: 'local', url: '/m/local/${name}.git' }), { remotes: ['local'], urlPattern: '/m/local/' });
  assert.deepEqual(rowSelection({ remote: 'local' }), { remotes: ['local'] });
  const lines = ['[remote "local"]', '  url = /a/${name}.git', '  url = https://bot:pw@h/${name}.git # the host', '[remote "b"]', '  url = /b'];
  assert.equal(urlLine(lines, 1, 'https://bot@h/${name}.git'), undefined, 'a token is never part of the shown url');
  assert.equal(urlLine(lines, 1, 'https://h/${name}.git'), 3);
  assert.equal(urlLine(lines, 1, '/a/${name}.git'), 2);
  assert.equal(urlLine(lines, 1, '/b'), undefined, 'not past the next header');
  assert.equal(connectionText({ remote: 'r', template: 't', url: 'https://h/a.git', ok: false, error: "fatal: unable to access 'https://u:pw@h/a.git/':\n  Failed to connect", durationMs: 3 }),
    "r → https://h/a.git: connection failed: fatal: unable to access 'https://h/a.git/': Failed to connect");
  assert.match(connectionText({ remote: 'r', template: 't', url: '/m/a.git', ok: true, refs: 3, project: 'a', durationMs: 5 }), /connected, 3 refs listed/);
});

test('package.json: every row command is contributed, on the right rows, and behind Workspace Trust when it runs git', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const commands = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
  const items: Array<{ command: string; when: string }> = pkg.contributes.menus['view/item/context'];
  for (const i of items) assert.ok(commands.has(i.command), `${i.command} is contributed`);
  const on = (cmd: string, row: string) => items.some((i) => i.command === cmd && new RegExp(/viewItem =~ \/(.*?)\/(\s|$)/.exec(i.when)?.[1] ?? '^$').test(row));
  for (const row of ['remote', 'remote.error', 'url']) {
    for (const cmd of ['gitReplication.remotes.replicate', 'gitReplication.dryRun', 'gitReplication.remotes.openConfig', 'gitReplication.remotes.copyUrl', 'gitReplication.remotes.testConnection']) assert.ok(on(cmd, row), `${cmd} on ${row} rows`);
  }
  for (const row of ['target', 'project']) for (const cmd of ['gitReplication.syncNow', 'gitReplication.explain', 'gitReplication.dryRun']) assert.ok(on(cmd, row), `${cmd} on ${row} rows`);
  for (const i of items.filter((x) => /syncNow|replicate$|testConnection|explain|dryRun/.test(x.command))) assert.match(i.when, /isWorkspaceTrusted/, `${i.command}: ${i.when}`);
  assert.equal(pkg.contributes.configuration.properties['gitReplication.health.refreshMinutes'].default, 5);
});

test('failures: the reason in the Queue row and the progress toast at once; the first error after the retries ran out', async () => {
  const { failureReason, progressText, taskNode } = await import('../../client/src/models/queueModel');
  const refused = "fatal: unable to access 'https://bot:pw@h/alpha.git/': Failed to connect to h port 443: Connection refused";
  const retrying = { id: 'a', project: 'alpha', remote: 'r', url: 'https://h/alpha.git', refs: ['..all..'], state: 'retrying' as const, retries: 1, nextAttemptAt: NOW + 9000, lastError: refused };
  assert.equal(failureReason(retrying), 'Failed to connect to h port 443: Connection refused');
  assert.match(taskNode(retrying, NOW).description!, /^retry 1 · Failed to connect to h port 443: Connection refused · next in 9s/);
  const snap = { pending: 1, inFlight: 0, failed: 0, tasks: [retrying] };
  assert.equal(progressText(snap, ['a'], 0, NOW), '0/1 done; retry 1 of https://h/alpha.git in 9s: Failed to connect to h port 443: Connection refused');
  assert.equal(progressText({ ...snap, tasks: [{ ...retrying, state: 'running' as const, lastError: undefined }] }, ['a'], 0, NOW), '0/1 done');
  // Given up: the first error is the reason, not the notice.
  const failed = { ...retrying, state: 'failed' as const, lastError: `Push to https://h/alpha.git cancelled after maximum number of retries: ${refused} (last: timeout)`, firstError: refused };
  assert.equal(failureReason(failed), 'Failed to connect to h port 443: Connection refused');
  assert.equal(failureReason({ lastError: 'Push to x cancelled after maximum number of retries: remote: denied\nmore' }), 'remote: denied');
  assert.equal(failureReason({}), undefined);
  assert.doesNotMatch(taskNode(failed, NOW).description! + taskNode(failed, NOW).tooltip!, /pw/);
});
