import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { CLI, runCli, scratch } from '../support/helpers';
import { bare, git, workRepo, writeSite } from '../support/engine-helpers';
import { startGitHttpBackend } from '../infra/httpBackend';

const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.001' };

/** The CLI as a child the event loop keeps serving (the HTTP server runs in this process). */
function runCliAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Five projects, one per health, against local mirrors; `dead` is a second, unreachable remote. */
function scenario(extraRemote = '') {
  const s = scratch('gr-status-');
  const site = join(s.dir, 'site');
  const mirrors = join(s.dir, 'mirrors');
  writeSite(site, `[remote "m"]\n  url = ${mirrors}/\${name}.git\n  mirror = true\n  createMissingRepositories = false\n  threads = 2\n${extraRemote}`);
  const w = workRepo(join(s.dir, 'work'));
  const a = w.commit('a');
  const b = w.commit('b', a);
  const side = w.commit('side', a);
  const src = (p: string) => bare(join(site, 'git', `${p}.git`));
  const mir = (p: string) => bare(join(mirrors, `${p}.git`));
  for (const p of ['sync', 'behind', 'diverged', 'extra']) git(w.dir, 'push', '-q', src(p), `${b}:refs/heads/master`);
  src('missing');
  git(w.dir, 'push', '-q', join(site, 'git', 'missing.git'), `${b}:refs/heads/master`);
  git(w.dir, 'push', '-q', mir('sync'), `${b}:refs/heads/master`);
  git(w.dir, 'push', '-q', mir('behind'), `${a}:refs/heads/master`);
  git(w.dir, 'push', '-q', mir('diverged'), `${side}:refs/heads/master`);
  git(w.dir, 'push', '-q', mir('extra'), `${b}:refs/heads/master`, `${a}:refs/heads/stale`);
  return { s, site, mirrors, w, a, b };
}

test('status: each health, exit 1, JSON, and a clean exit 0 after start --wait', () => {
  const x = scenario();
  try {
    const r = runCli(['status', '--site', x.site, '--json'], { env: ENV });
    assert.equal(r.code, 1, r.stderr);
    const j = JSON.parse(r.stdout) as { targets: Array<{ project: string; health: string; refs: Array<{ ref: string; kind: string }>; oldestUnreplicated?: string }>; counts: Record<string, number> };
    const by = Object.fromEntries(j.targets.map((t) => [t.project, t]));
    assert.equal(by.sync.health, 'in-sync');
    assert.equal(by.behind.health, 'behind');
    assert.deepEqual(by.behind.refs.map((f) => [f.ref, f.kind]), [['refs/heads/master', 'fast-forward']]);
    assert.ok(by.behind.oldestUnreplicated && Date.now() - Date.parse(by.behind.oldestUnreplicated) < 3600_000);
    assert.equal(by.diverged.health, 'diverged');
    assert.equal(by.extra.health, 'diverged', 'a mirror ref the source lacks (mirror = true)');
    assert.deepEqual(by.extra.refs.map((f) => [f.ref, f.kind]), [['refs/heads/stale', 'delete']]);
    assert.equal(by.missing.health, 'missing-repository');
    assert.deepEqual(j.counts, { 'in-sync': 1, behind: 1, diverged: 2, 'missing-repository': 1, unreachable: 0 });

    // Status agrees with plan, target by target.
    const plan = JSON.parse(runCli(['plan', '--site', x.site, '--json'], { env: ENV }).stdout) as { targets: Array<{ project: string; changes: Array<{ kind: string; remoteRef: string }> }> };
    for (const p of plan.targets) {
      const differing = p.changes.filter((c) => c.kind !== 'up-to-date').map((c) => c.remoteRef);
      assert.deepEqual(by[p.project].refs.map((f) => f.ref), differing, p.project);
    }

    const text = runCli(['status', '--site', x.site], { env: ENV });
    assert.equal(text.code, 1);
    for (const l of text.stdout.split('\n')) assert.ok([...l].length <= 80, `wider than 80: ${l}`);
    assert.match(text.stdout, /^behind +behind → m$/m);
    assert.match(text.stdout, /1 ref\(s\) differ, oldest update \d+s ago/);
    assert.match(text.stdout, /last success: never recorded/);
    assert.match(text.stdout, /5 target\(s\): 1 in sync, 1 behind, 2 diverged, 1 missing, 0 unreachable/);

    // Pattern selection: only the in-sync project → exit 0.
    assert.equal(runCli(['status', '--site', x.site, 'sync'], { env: ENV }).code, 0);
    assert.equal(runCli(['status', '--site', x.site, '--remote', 'nope'], { env: ENV }).code, 2);
    assert.equal(runCli(['status', '--site', x.site, '--bogus'], { env: ENV }).code, 2);

    // A push records its success; status then shows it.
    const start = runCli(['start', '--site', x.site, '--wait', '--now', 'behind'], { env: ENV });
    assert.equal(start.code, 0, start.stderr);
    const after = JSON.parse(runCli(['status', '--site', x.site, '--json', 'behind'], { env: ENV }).stdout) as { targets: Array<{ health: string; lastSuccess?: string; lastAttempt?: { result: string } }> };
    assert.equal(after.targets[0].health, 'in-sync');
    assert.ok(after.targets[0].lastSuccess);
    assert.equal(after.targets[0].lastAttempt?.result, 'ok');

    // A failed push's error shows in the text.
    const failed = runCli(['start', '--site', x.site, '--wait', '--now', 'missing'], { env: ENV });
    assert.notEqual(failed.code, null);
    const miss = runCli(['status', '--site', x.site, 'missing'], { env: ENV });
    assert.equal(miss.code, 1);
    assert.match(miss.stdout, /last error: .*Cannot replicate/);
  } finally {
    x.s.cleanup();
  }
});

test('status over real git http-backend: in sync with the password, unreachable without, never leaking it', async () => {
  const x = scenario();
  const root = join(x.s.dir, 'srv');
  const PASSWORD = 'Zq9-status-secret';
  bare(join(root, 'sync.git'));
  git(x.w.dir, 'push', '-q', join(root, 'sync.git'), `${x.b}:refs/heads/master`);
  const http = await startGitHttpBackend({ projectRoot: root, username: 'alice', password: PASSWORD });
  try {
    const cfg = (pw: string) =>
      writeSite(x.site, `[remote "h"]\n  url = ${http.baseUrl}/\${name}.git\n  projects = sync\n[remote "dead"]\n  url = git://127.0.0.1:1/\${name}.git\n  projects = sync\n  timeout = 5\n`, { 'etc/secure.config': `[remote "h"]\n  username = alice\n  password = ${pw}\n` });
    cfg(PASSWORD);
    const ok = await runCliAsync(['status', '--site', x.site, '--json', '--remote', 'h']);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal(JSON.parse(ok.stdout).targets[0].health, 'in-sync');
    assert.ok(http.requests.some((q) => q.authorization === 'good'));

    const dead = await runCliAsync(['status', '--site', x.site, '--json', '--remote', 'dead']);
    assert.equal(dead.code, 1);
    assert.equal(JSON.parse(dead.stdout).targets[0].health, 'unreachable');

    cfg('wrong-' + PASSWORD);
    const bad = await runCliAsync(['status', '--site', x.site, '--remote', 'h']);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^(unreachable|missing-repository) +sync → h/m);
    assert.ok(!(bad.stdout + bad.stderr).includes(PASSWORD), bad.stdout);
  } finally {
    await http.close();
    x.s.cleanup();
  }
});
