import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { QueueSnapshot, QueueTask, RemoteSummary } from '../../server/src/protocol';
import { queueNodes, relativeTime, statusText, taskNode } from '../../client/src/models/queueModel';
import { remoteNodes } from '../../client/src/models/remotesModel';
import { resolveSite } from '../../client/src/models/site';
import { serverEnv } from '../../client/src/models/serverEnv';
import { settled, EngineApi, engineErrorCode, engineErrorText, type Send } from '../../client/src/engineApi';
import { Requests } from '../../server/src/protocol';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../support/helpers';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const task = (p: Partial<QueueTask>): QueueTask => ({ id: 't', project: 'alpha', remote: 'local', url: '/m/alpha.git', refs: ['refs/heads/main'], state: 'waiting', retries: 0, ...p });

test('remotes: URLs with their resolved example, non-default settings, matched projects', () => {
  const r: RemoteSummary = {
    name: 'local', file: 'etc/replication.config', line: 7,
    urls: [{ template: 'https://bot:tok@h/${name}.git', example: 'https://bot:tok@h/alpha.git' }],
    nonDefaults: [{ key: 'url', value: 'https://h/${name}.git' }, { key: 'mirror', value: 'true' }, { key: 'threads', value: '2' }],
    projectCount: 3, errors: 1, warnings: 0, blocks: [{ file: 'etc/replication.config', line: 7, errors: 1, warnings: 0 }],
  };
  const [n] = remoteNodes([r], '/site');
  assert.equal(n.label, 'local');
  assert.equal(n.description, '1 error');
  assert.equal(n.icon, 'error');
  assert.equal(n.iconColor, 'problemsErrorIcon.foreground');
  assert.deepEqual(n.open, { file: '/site/etc/replication.config', line: 7 });
  const [url, settings, projects] = n.children!;
  assert.equal(url.label, 'https://h/${name}.git', 'the token never shows');
  assert.equal(url.description, '→ https://h/alpha.git');
  assert.deepEqual(settings.children!.map((c) => `${c.label}=${c.description}`), ['mirror=true', 'threads=2']);
  assert.equal(projects.label, '3 projects');
  const clean = remoteNodes([{ ...r, errors: 0, warnings: 2, nonDefaults: [], projectCount: 1 }])[0];
  assert.equal(clean.description, '2 warnings');
  assert.equal(clean.children!.length, 2, 'no settings group when all are defaults');
  assert.equal(clean.children![1].label, '1 project');
});

test('remotes: a refused config says why no project is matched', () => {
  const r: RemoteSummary = {
    name: 'local', file: 'etc/replication.config', line: 7, urls: [{ template: '/m/${name}.git' }], nonDefaults: [],
    projectCount: 0, errors: 1, warnings: 0, blocks: [{ file: 'etc/replication.config', line: 7, errors: 1, warnings: 0 }], refused: true,
  };
  const projects = remoteNodes([r], '/site')[0].children!.find((c) => c.kind === 'projects')!;
  assert.equal(projects.label, '0 projects');
  assert.match(projects.description ?? '', /^none replicated: the config has errors/);
  assert.match(projects.tooltip ?? '', /Gerrit refuses to load a config with errors, so it replicates nothing until they are fixed/);
  const ok = remoteNodes([{ ...r, refused: undefined, errors: 0 }], '/site')[0].children!.find((c) => c.kind === 'projects')!;
  assert.equal(ok.description, 'matched');
});

test('queue: grouped by state with project, URL, refs, retries and next attempt', () => {
  const snap: QueueSnapshot = {
    pending: 1, inFlight: 1, failed: 1,
    tasks: [
      task({ id: 'a', state: 'running' }),
      task({ id: 'b', state: 'waiting', nextAttemptAt: NOW + 15000, refs: ['refs/heads/main', 'refs/tags/v1'] }),
      task({ id: 'c', state: 'retrying', retries: 3, nextAttemptAt: NOW + 60000, url: 'https://u:p@h/x.git', lastError: 'boom', refs: ['..all..'] }),
    ],
  };
  const groups = queueNodes(snap, NOW);
  assert.deepEqual(groups.map((g) => `${g.label} ${g.description}`), ['In flight 1', 'Pending 1', 'Failed 1']);
  const b = groups[1].children![0];
  assert.equal(b.description, 'next in 15s · 2 refs · → /m/alpha.git');
  assert.equal(b.contextValue, 'task.waiting');
  const c = groups[2].children![0];
  assert.equal(c.description, 'retry 3 · boom · next in 1m · all refs · → https://h/x.git', 'the reason at once, in the row');
  assert.match(c.tooltip!, /last error: boom/);
  // People read the tooltip: "all refs", not the engine's ..all.. token; the next attempt as a
  // relative time and local clock time, with the exact ISO time too (not a bare UTC timestamp).
  assert.match(c.tooltip!, /^refs: all refs$/m);
  assert.ok(!c.tooltip!.includes('..all..'), c.tooltip);
  const d = new Date(NOW + 60000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  assert.match(c.tooltip!, new RegExp(`^next attempt: in 1m \\(${local} local time, ${d.toISOString().replace(/\./g, '\\.')}\\)$`, 'm'));
  assert.match(b.tooltip!, /^refs: refs\/heads\/main, refs\/tags\/v1$/m);
  assert.equal(c.contextValue, 'task.retrying');
  assert.equal(groups[0].children![0].icon, 'sync~spin');
  assert.deepEqual(queueNodes({ pending: 0, inFlight: 0, failed: 0, tasks: [] }, NOW), []);
  assert.deepEqual(queueNodes(undefined, NOW), []);
});

test('relative times and status bar text', () => {
  assert.equal(relativeTime(NOW - 5, NOW), 'now');
  assert.equal(relativeTime(NOW + 90 * 60000, NOW), 'in 2h');
  assert.equal(taskNode(task({ state: 'failed', retries: 5 }), NOW).description, 'retry 5 · refs/heads/main · → /m/alpha.git');
  const s = statusText({ pending: 2, inFlight: 1, failed: 1, tasks: [task({ state: 'retrying', retries: 2 }), task({ state: 'waiting' })] }, true);
  assert.equal(s.text, '$(sync~spin) 3 $(error) 2');
  assert.equal(s.alert, true);
  assert.match(s.tooltip, /1 in flight, 2 pending, 2 failing \(1 retrying, 1 failed\)/);
  assert.equal(statusText({ pending: 0, inFlight: 0, failed: 0, tasks: [] }, true).text, '$(repo-push) 0');
  assert.match(statusText(undefined, false).tooltip, /Restricted Mode/);
});

test('settled: done when every task left the queue or failed', () => {
  const snap: QueueSnapshot = {
    pending: 1, inFlight: 0, failed: 1,
    tasks: [task({ id: 'a', state: 'waiting' }), task({ id: 'b', state: 'failed' }), task({ id: 'c', state: 'retrying', retries: 1 }), task({ id: 'd', state: 'retrying', retries: 2 })],
  };
  assert.deepEqual(settled(snap, ['a', 'b', 'gone']), { done: false, failed: ['b'], retrying: [], active: 1 });
  assert.deepEqual(settled(snap, ['b', 'gone']), { done: true, failed: ['b'], retrying: [], active: 0 });
  assert.deepEqual(settled(snap, ['c']).done, false, 'the retry after creating a missing repository is waited for');
  assert.deepEqual(settled(snap, ['d']), { done: true, failed: [], retrying: ['d'], active: 0 });
});

test('engine api adds the site to every request and names a missing engine', async () => {
  const calls: Array<[string, unknown]> = [];
  const api = new EngineApi((async (spec: { method: string }, p: unknown) => {
    calls.push([spec.method, p]);
    return spec.method === Requests.queue.method ? { pending: 0, inFlight: 0, failed: 0, tasks: [] } : [];
  }) as Send, () => '/site');
  await api.queue();
  await api.start({ projects: ['alpha'], now: true });
  assert.deepEqual(calls, [[Requests.queue.method, { site: '/site' }], [Requests.start.method, { site: '/site', projects: ['alpha'], now: true }]]);
  assert.match(engineErrorText({ code: -32601, message: 'Unhandled method' }), /no replication engine/);
  assert.equal(engineErrorText(new Error('Request gitReplication/projects failed with message: the replication config has 1 error(s)')), 'the replication config has 1 error(s)');
  // The reason is the error's data.code, never its text.
  assert.equal(engineErrorCode({ code: -32803, message: 'whatever the text says', data: { code: 'config-refused' } }), 'config-refused');
  assert.equal(engineErrorCode(new Error('the replication config has 1 error(s); nothing is replicated')), undefined);
  assert.equal(engineErrorCode({ data: { code: 'made-up' } }), undefined);
});

test('site: the setting wins, else the folder (or a sub-folder) with etc/replication.config', () => {
  const { dir, cleanup } = scratch('gr-client-site-');
  try {
    mkdirSync(join(dir, 'ws', 'gerrit', 'etc'), { recursive: true });
    writeFileSync(join(dir, 'ws', 'gerrit', 'etc', 'replication.config'), '');
    assert.equal(resolveSite('', [join(dir, 'ws')]), join(dir, 'ws', 'gerrit'));
    assert.equal(resolveSite('', [join(dir, 'ws', 'gerrit')]), join(dir, 'ws', 'gerrit'));
    assert.equal(resolveSite('other', [join(dir, 'ws')]), join(dir, 'ws', 'other'));
    assert.equal(resolveSite('/abs/site', []), '/abs/site');
    assert.equal(resolveSite(undefined, [join(dir, 'nothing')]), undefined);
  } finally {
    cleanup();
  }
});

test('gitPath: an absolute git goes first on the server PATH; anything else is refused', () => {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  assert.equal(serverEnv('git', { PATH: '/usr/bin' }, warn), undefined);
  assert.equal(serverEnv('', { PATH: '/usr/bin' }, warn), undefined);
  assert.equal(serverEnv('/opt/git-2.45/bin/git', { PATH: '/usr/bin', HOME: '/h' }, warn)?.PATH, '/opt/git-2.45/bin:/usr/bin');
  assert.equal(serverEnv('/opt/git-2.45/bin/git', { HOME: '/h' }, warn)?.HOME, '/h');
  assert.equal(serverEnv('bin/git', {}, warn), undefined);
  assert.equal(serverEnv('/usr/bin/evil', {}, warn), undefined);
  assert.equal(warnings.length, 2);
});
