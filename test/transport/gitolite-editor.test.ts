// The editor's engine requests on a gitolite home (issue 12 item 1), against the demo's real
// gitolite3 hosts (gl1 master; gl2 async and gl3 nosync copies behind loopback sshds): remotes
// are the copies, the dry run is per repo × copy with what is skipped, Replicate pushes as
// `mirror push` does and gitolite on the copy accepts it, and the queue shows nosync copies
// waiting and failed copies with the error gitolite recorded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, scratch } from '../support/helpers';
import { EngineBridge } from '../../server/src/lsp/engineBridge';
import type { QueueSnapshot } from '../../server/src/protocol';

const importEsm = new Function('u', 'return import(u)') as (u: string) => Promise<any>;

let demo: { hosts: { repoPath(h: string, r: string): string; setConf(c: string): void; stop(): Promise<void> }; home: string; conf: string };
let mod: { gitoliteDemoConf(o?: { mistake?: boolean }): string };
let git: (args: string[], cwd: string) => string;
let s: ReturnType<typeof scratch>;
let bridge: EngineBridge;
const snaps: QueueSnapshot[] = [];

before(async () => {
  s = scratch('gr-gl-editor-');
  mod = await importEsm(pathToFileURL(join(ROOT, 'scripts', 'demoGitolite.mjs')).href);
  git = (await importEsm(pathToFileURL(join(ROOT, 'scripts', 'demoSite.mjs')).href)).git;
  demo = await (mod as unknown as { createGitoliteDemo(o: object): Promise<typeof demo> }).createGitoliteDemo({ dir: join(s.dir, 'gitolite'), root: ROOT });
  bridge = new EngineBridge({ queueChanged: (q) => snaps.push(q), log: () => undefined }, { site: demo.home, trusted: true });
});

after(async () => {
  await bridge?.dispose();
  await demo?.hosts.stop();
  s?.cleanup();
});

const refs = (host: string, repo: string) => git(['for-each-ref', '--format=%(refname) %(objectname)'], demo.hosts.repoPath(host, repo));

test('gitolite home in the editor: the Remotes are its copies, with sync mode, redirectOK and the repos each receives', () => {
  const r = bridge.remotes({});
  assert.deepEqual(r.map((x) => x.name), ['gl2', 'gl3']);
  assert.deepEqual(r[0].gitolite?.repos, [
    { name: 'alpha', mode: 'async', redirectOK: true },
    { name: 'beta', mode: 'async', redirectOK: true },
    { name: 'tools/gamma', mode: 'async', redirectOK: true },
  ]);
  assert.deepEqual(r[1].gitolite?.repos.map((x) => `${x.name}:${x.mode}:${x.redirectOK}`), ['alpha:nosync:false', 'beta:nosync:false', 'tools/gamma:nosync:false']);
  assert.deepEqual(r[0].nonDefaults, [{ key: 'sync mode', value: 'async' }, { key: 'redirectOK', value: 'yes' }]);
  assert.equal(r[0].file, demo.conf);
  assert.equal(readFileSync(demo.conf, 'utf8').split('\n')[r[0].line - 1].trim(), 'option mirror.copies        =   gl2');
  // sandbox's copy is written with a key gitolite never reads: it is nobody's copy, and the conf says so.
  assert.ok(!r.some((x) => x.gitolite?.repos.some((y) => y.name === 'sandbox')));
  assert.deepEqual(bridge.projects({}).filter((p) => p.remotes.length).map((p) => `${p.name}:${p.remotes.join(',')}`), ['alpha:gl2,gl3', 'beta:gl2,gl3', 'tools/gamma:gl2,gl3']);
});

test('gitolite home in the editor: the dry run per repo × copy, the nosync note, and the repos this host skips', async () => {
  const plan = await bridge.plan({});
  assert.equal(plan.siteKind, 'gitolite');
  assert.equal(plan.refused, false);
  const alpha = plan.targets.find((t) => t.project === 'alpha' && t.remote === 'gl2')!;
  assert.equal(alpha.url, 'gl2:alpha');
  assert.deepEqual(alpha.changes.map((c) => `${c.kind} ${c.ref}`).sort(), ['create refs/heads/stable-1.0', 'create refs/tags/v1.0', 'delete refs/heads/stale', 'fast-forward refs/heads/main']);
  const main = alpha.changes.find((c) => c.ref === 'refs/heads/main')!;
  assert.equal(main.newId, git(['rev-parse', 'main'], demo.hosts.repoPath('gl1', 'alpha')));
  assert.ok(main.oldId && git(['rev-parse', 'main'], demo.hosts.repoPath('gl2', 'alpha')).startsWith(main.oldId));
  assert.match(plan.targets.find((t) => t.remote === 'gl3')!.note!, /^nosync copy: .*manual mirror push pending for 'gl3'/);
  assert.deepEqual(plan.skipped, [{ project: 'docs', reason: "gl1: 'docs' is a copy on this host (its master is 'gl2'); only the master pushes to copies" }]);
  assert.deepEqual(refs('gl2', 'beta'), '', 'a dry run pushes nothing');
  // The queue: the nosync copies wait for a manual push.
  const q = bridge.queue({});
  assert.deepEqual(q.tasks.filter((t) => t.state === 'waiting').map((t) => `${t.project}→${t.remote}`), ['alpha→gl3', 'beta→gl3', 'tools/gamma→gl3']);
  assert.match(q.tasks[0].lastError!, /manual mirror push pending for 'gl3'/);
  assert.equal(q.pending, 3);
});

test('gitolite home in the editor: Replicate pushes as mirror push does, gitolite on the copy takes it; a picked nosync copy is pushed', async () => {
  const r = await bridge.start({ projects: ['beta'], remotes: ['gl2', 'gl3'], now: true, wait: true });
  assert.equal(r.scheduled, 2);
  assert.deepEqual(r.output?.sort(), ['Mirror beta -> gl2 (async): Succeeded! (2 refs updated)', 'Mirror beta -> gl3 (nosync): Succeeded! (2 refs updated)']);
  assert.equal(refs('gl2', 'beta'), refs('gl1', 'beta'));
  assert.equal(refs('gl3', 'beta'), refs('gl1', 'beta'));
  // beta's nosync copy is now up to date: no longer pending, until beta moves.
  assert.ok(!bridge.queue({}).tasks.some((t) => t.project === 'beta'));
  const all = await bridge.start({ all: true, now: true });
  assert.equal(all.scheduled, 3, 'Replicate All: the async copies (nosync ones wait, as gitolite does)');
  await until(() => bridge.queue({}).inFlight === 0);
  assert.equal(refs('gl2', 'alpha'), refs('gl1', 'alpha'));
  assert.equal(refs('gl3', 'alpha'), '', 'nosync copies are not pushed by Replicate All');
  assert.ok(snaps.some((q) => q.inFlight > 0), 'the queue showed the pushes in flight');
});

test('gitolite home in the editor: "Replicate these" pushes a target only as shown; a repo that moved since is left alone', async () => {
  const plan = await bridge.plan({ projects: ['alpha'], remotes: ['gl3'] });
  const shown = plan.targets.map((t) => ({ project: t.project, remote: t.remote, url: t.url, changes: t.changes.filter((c) => c.kind !== 'up-to-date' && c.kind !== 'rejected').map((c) => ({ ...c, kind: c.kind as 'create' })) }));
  // alpha moves on gl1 after the dry run.
  const moved = git(['commit-tree', '-p', 'main', '-m', 'moved', `main^{tree}`], demo.hosts.repoPath('gl1', 'alpha'));
  git(['update-ref', 'refs/heads/main', moved], demo.hosts.repoPath('gl1', 'alpha'));
  const stale = await bridge.start({ changes: shown });
  assert.ok(stale.refs!.length > 0 && stale.refs!.every((x) => x.status === 'REJECTED_REMOTE_CHANGED'), JSON.stringify(stale.refs));
  assert.equal(refs('gl3', 'alpha'), '');
  const again = await bridge.plan({ projects: ['alpha'], remotes: ['gl3'] });
  const ok = await bridge.start({ changes: again.targets.map((t) => ({ project: t.project, remote: t.remote, url: t.url, changes: t.changes.map((c) => ({ ...c, kind: c.kind as 'create' })) })) });
  assert.ok(ok.refs!.every((x) => x.status === 'OK'), JSON.stringify(ok.refs));
  assert.equal(refs('gl3', 'alpha'), refs('gl1', 'alpha'));
});

test('gitolite home in the editor: a failing copy is in the queue with the error gitolite recorded; Dismiss removes the record', async () => {
  demo.hosts.setConf(mod.gitoliteDemoConf().replace('option mirror.copies        =   gl2', 'option mirror.copies        =   gl2 gl9'));
  try {
    const r = await bridge.start({ projects: ['tools/gamma'], remotes: ['gl9'], now: true, wait: true });
    assert.match(r.output![0], /^Mirror tools\/gamma -> gl9 \(async\): FAILED! /);
    const status = join(demo.hosts.repoPath('gl1', 'tools/gamma'), 'gl-copy-gl9.status');
    assert.ok(existsSync(status), 'gitolite\'s status file is written');
    const failed = bridge.queue({}).tasks.filter((t) => t.state === 'failed');
    assert.deepEqual(failed.map((t) => `${t.project}→${t.remote}`), ['tools/gamma→gl9']);
    assert.match(failed[0].lastError!, /Could not resolve hostname gl9/);
    // A new engine (the server restarted) still shows it: from gitolite's status file.
    const fresh = new EngineBridge({ queueChanged: () => undefined, log: () => undefined }, { site: demo.home, trusted: true });
    const kept = fresh.queue({}).tasks.filter((t) => t.state === 'failed');
    assert.equal(kept[0].id, 'gl-status:tools/gamma:gl9');
    assert.match(kept[0].lastError!, /Could not resolve hostname gl9/);
    assert.doesNotMatch(kept[0].lastError!, /^\d{4}-/, 'without gitolite\'s timestamp columns');
    assert.deepEqual(fresh.dismiss({ taskIds: [kept[0].id] }), { dismissed: 1 });
    assert.equal(existsSync(status), false);
    assert.equal(bridge.queue({}).tasks.filter((t) => t.state === 'failed' && t.remote === 'gl9').length, 1, 'this engine\'s own record stays until dismissed here');
    bridge.dismiss({ all: true });
    assert.equal(bridge.queue({}).failed, 0);
  } finally {
    demo.hosts.setConf(mod.gitoliteDemoConf());
  }
});

test('gitolite-admin clone in the editor: language features only, and the views say why', () => {
  const clone = join(s.dir, 'gitolite-admin');
  mkdirSync(join(clone, 'conf'), { recursive: true });
  writeFileSync(join(clone, 'conf', 'gitolite.conf'), mod.gitoliteDemoConf());
  const b = new EngineBridge({ queueChanged: () => undefined, log: () => undefined }, { workspaceFolders: [clone], trusted: true });
  assert.throws(() => b.remotes({}), (e: Error & { code?: string }) => e.code === 'no-site' && /is a gitolite-admin clone: gitolite mirrors from the server/.test(e.message));
  assert.deepEqual(b.queue({}), { pending: 0, inFlight: 0, failed: 0, tasks: [] });
  // Untrusted: nothing that runs git, for a gitolite home as for a Gerrit site.
  const untrusted = new EngineBridge({ queueChanged: () => undefined, log: () => undefined }, { site: demo.home, trusted: false });
  return assert.rejects(untrusted.plan({}), (e: Error & { code?: string }) => e.code === 'untrusted');
});

async function until(fn: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !fn(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(fn(), 'condition never held');
}
