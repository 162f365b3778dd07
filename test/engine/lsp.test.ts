import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { LspClient } from '../support/lsp-client';
import { ENGINE_REQUEST_FAILED, Notifications, Requests, type EngineErrorData, type PlanResult, type QueueSnapshot, type RemoteSummary, type ProjectSummary, type StartResult } from '../../server/src/protocol';

/** An assert.rejects matcher: the JSON-RPC error carries the engine's reason code in data. */
function reason(code: EngineErrorData['code'], message: RegExp) {
  return (e: unknown) => {
    const err = e as { code?: number; message?: string; data?: EngineErrorData };
    assert.equal(err.code, ENGINE_REQUEST_FAILED);
    assert.equal(err.data?.code, code);
    assert.match(String(err.message), message);
    return true;
  };
}

test('the language server exposes plan, start, queue, remotes and projects of the workspace site', async () => {
  const s = scratch('gr-lsp-');
  const site = join(s.dir, 'site');
  writeSite(site, `[remote "mirror"]\n  url = ${s.dir}/mirrors/\${name}.git\n  replicationDelay = 3600\n  threads = 2\n[remote "other"]\n  url = ${s.dir}/other/\${name}.git\n  projects = nothing-matches\n`);
  const w = workRepo(join(s.dir, 'work'));
  const tip = w.commit('x');
  const src = bare(join(site, 'git', 'app.git'));
  git(w.dir, 'push', '-q', src, `${tip}:refs/heads/master`);
  bare(join(s.dir, 'mirrors', 'app.git'));
  // The site is found from the workspace folder (rootUri); timeScale keeps the hour-long delay short.
  const c = new LspClient({ initializationOptions: { trusted: true, timeScale: 0.0001 } });
  const changes: QueueSnapshot[] = [];
  c.conn.onNotification(Notifications.queueChanged.method, (q: QueueSnapshot) => changes.push(q));
  try {
    await c.initialize(pathToFileURL(site).href);
    const remotes = await c.request<RemoteSummary[]>(Requests.remotes.method, {});
    assert.deepEqual(remotes.map((r) => [r.name, r.line, r.projectCount]), [['mirror', 1], ['other', 5]].map(([n, l]) => [n, l, n === 'mirror' ? 1 : 0]));
    assert.equal(remotes[0].urls[0].example, `${s.dir}/mirrors/app.git`);
    assert.ok(remotes[0].nonDefaults.some((k) => k.key === 'threads' && k.value === '2'));
    assert.deepEqual(await c.request<ProjectSummary[]>(Requests.projects.method, {}), [{ name: 'app', remotes: ['mirror'] }]);

    const plan = await c.request<PlanResult>(Requests.plan.method, {});
    assert.equal(plan.refused, false);
    assert.deepEqual(plan.targets.map((t) => [t.project, t.remote, t.changes.map((x) => `${x.kind} ${x.ref}`)]), [['app', 'mirror', ['create refs/heads/master']]]);

    const started = await c.request<StartResult>(Requests.start.method, { all: true });
    assert.equal(started.scheduled, 1);
    const q = await c.request<QueueSnapshot>(Requests.queue.method, {});
    assert.equal(q.pending, 1);
    assert.deepEqual(q.tasks.map((t) => [t.id, t.state, t.refs]), [[started.taskIds[0], 'waiting', ['..all..']]]);
    for (let i = 0; i < 400 && refsOf(join(s.dir, 'mirrors', 'app.git')).get('refs/heads/master') !== tip; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(refsOf(join(s.dir, 'mirrors', 'app.git')).get('refs/heads/master'), tip);
    for (let i = 0; i < 100 && !changes.some((x) => x.inFlight === 0 && x.pending === 0 && changes.length > 1); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(changes.length >= 2, 'queueChanged notifications were sent');

    const waited = await c.request<StartResult>(Requests.start.method, { projects: ['app'], now: true, wait: true });
    assert.deepEqual(waited.output?.slice(-2), ['----------------------------------------------', 'Replication completed successfully!']);
    await assert.rejects(c.request(Requests.start.method, { all: true, projects: ['app'] }), reason('usage', /cannot combine --all and PROJECT/));
  } finally {
    await c.shutdown().catch(() => c.kill());
    s.cleanup();
  }
});

test('gitReplication.engine.enabled = false is enforced by the server, for any client', async () => {
  const s = scratch('gr-lsp-');
  const site = join(s.dir, 'site');
  writeSite(site, `[remote "m"]\n  url = /srv/\${name}.git\n`);
  const off = new LspClient({ initializationOptions: { site, trusted: true, engine: { enabled: false } } });
  try {
    await off.initialize();
    await assert.rejects(off.request(Requests.plan.method, {}), reason('engine-off', /engine is off/));
    await assert.rejects(off.request(Requests.start.method, { all: true }), reason('engine-off', /engine is off/));
    // Turned on through workspace/didChangeConfiguration, the same server plans again.
    await off.conn.sendNotification('workspace/didChangeConfiguration', { settings: { gitReplication: { engine: { enabled: true } } } });
    const plan = await off.request<PlanResult>(Requests.plan.method, {});
    assert.equal(plan.refused, false);
  } finally {
    await off.shutdown().catch(() => off.kill());
    s.cleanup();
  }
});

test('an untrusted workspace gets no git runs, and a refused config returns its diagnostics', async () => {
  const s = scratch('gr-lsp-');
  const site = join(s.dir, 'site');
  writeSite(site, `[remote "m"]\n  url = /srv/fixed.git\n`);
  const untrusted = new LspClient({ initializationOptions: { site, trusted: false } });
  const trusted = new LspClient({ initializationOptions: { site, trusted: true } });
  try {
    await untrusted.initialize();
    await assert.rejects(untrusted.request(Requests.plan.method, {}), reason('untrusted', /not trusted/));
    await trusted.initialize();
    const plan = await trusted.request<PlanResult>(Requests.plan.method, {});
    assert.equal(plan.refused, true);
    assert.ok(plan.diagnostics.some((d) => d.severity === 'error' && d.line === 2 && /\$\{name\}/.test(d.message)));
    // Starting on a refused config fails with the protocol's code and the errors in data, so a
    // client offers "Show Problems" without reading the message (typed protocol, issue 15).
    const refused = await trusted.request(Requests.start.method, { all: true }).then(() => undefined, (e: unknown) => e as { code: number; message: string; data?: EngineErrorData });
    assert.ok(refused, 'start on a refused config fails');
    assert.equal(refused.code, ENGINE_REQUEST_FAILED);
    assert.equal(refused.data?.code, 'config-refused');
    assert.ok(refused.data?.diagnostics?.some((d) => d.severity === 'error' && d.line === 2));
    assert.match(refused.message, /^the replication config has 1 error/, 'the message is the engine\'s own, not a wrapper');
  } finally {
    await untrusted.shutdown().catch(() => untrusted.kill());
    await trusted.shutdown().catch(() => trusted.kill());
    s.cleanup();
  }
});
