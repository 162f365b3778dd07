// `plan --against OLD_DIR`: the reload preview, against real repositories and a real task store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli, scratch } from '../support/helpers';
import { bare, git, workRepo, writeSite } from '../support/engine-helpers';
import { LspClient } from '../support/lsp-client';
import { taskJson, taskKey, type StoredTask } from '../../server/src/engine/queue/taskStore';
import { Requests, type ReloadPreview } from '../../server/src/protocol';

const PASSWORD = 'Reload-preview-secret-42';

function storeTask(eventsDir: string, t: StoredTask, state: 'waiting' | 'running' = 'waiting'): string {
  const dir = join(eventsDir, 'ref-updates', state);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, taskKey(t)), taskJson(t));
  return taskKey(t);
}

function scenario() {
  const s = scratch('gr-reload-');
  const site = join(s.dir, 'site');
  const old = join(s.dir, 'deployed');
  const m = join(s.dir, 'm');
  const oldConfig = [
    `[remote "m"]\n  url = ${m}/\${name}.git\n  push = +refs/*:refs/*\n`,
    `[remote "gone"]\n  url = ${s.dir}/gone/\${name}.git\n  projects = team/*\n`,
    `[remote "keep"]\n  url = ${s.dir}/keep/\${name}.git\n`,
  ].join('');
  const newConfig = [
    `[remote "keep"]\n  url = ${s.dir}/keep/\${name}.git\n`,
    `[remote "m"]\n  url = ${m}/\${name}.git\n  url = ${s.dir}/m2/\${name}.git\n  push = +refs/heads/*:refs/heads/*\n  mirror = true\n  excludeProjects = beta\n`,
    `[remote "new"]\n  url = ${s.dir}/new/\${name}.git\n  projects = alpha\n`,
  ].join('');
  writeSite(old, oldConfig, { 'etc/secure.config': `[remote "keep"]\n  username = u\n  password = old-${PASSWORD}\n` });
  writeSite(site, newConfig, { 'etc/secure.config': `[remote "keep"]\n  username = u\n  password = ${PASSWORD}\n` });
  const w = workRepo(join(s.dir, 'work'));
  const c = w.commit('one');
  for (const p of ['alpha', 'beta', 'team/gamma']) {
    const dir = bare(join(site, 'git', `${p}.git`));
    git(w.dir, 'push', '-q', dir, `${c}:refs/heads/master`, `${c}:refs/tags/v1`);
  }
  return { s, site, old, m, newConfig, oldConfig };
}

test('plan --against: remotes, urls, settings, projects and refs added, removed and changed; tasks a reload drops', () => {
  const x = scenario();
  try {
    // The deployed daemon's store (the site's eventsDirectory): what a reload replays.
    const events = join(x.site, 'data', 'replication');
    const keptKey = storeTask(events, { project: 'alpha', refs: ['..all..'], uri: `${x.m}/alpha.git`, remote: 'm' });
    const goneKey = storeTask(events, { project: 'team/gamma', refs: ['refs/heads/master'], uri: `${x.s.dir}/gone/team/gamma.git`, remote: 'gone' }, 'running');
    const excludedKey = storeTask(events, { project: 'beta', refs: ['refs/heads/master'], uri: `${x.m}/beta.git`, remote: 'm' });
    const narrowKey = storeTask(events, { project: 'alpha', refs: ['refs/heads/master', 'refs/tags/v1'], uri: `${x.m}/alpha.git`, remote: 'm' });
    const tagKey = storeTask(events, { project: 'team/gamma', refs: ['refs/tags/v1'], uri: `${x.m}/team/gamma.git`, remote: 'm' });
    const bogusKey = storeTask(events, { project: 'alpha', refs: ['refs/heads/master'], uri: `${x.s.dir}/elsewhere/alpha.git`, remote: 'keep' });
    const before = readdirSync(join(events, 'ref-updates', 'waiting')).sort();

    const r = runCli(['plan', '--site', x.site, '--against', x.old, '--json']);
    assert.equal(r.code, 1, `tasks are dropped: exit 1\n${r.stderr}`);
    const p = JSON.parse(r.stdout);
    assert.equal(p.newRefused, false);
    const by = Object.fromEntries(p.remotes.map((d: { remote: string }) => [d.remote, d]));
    assert.deepEqual(Object.keys(by).sort(), ['gone', 'keep', 'm', 'new']);

    assert.equal(by.new.change, 'added');
    assert.deepEqual(by.new.projectsAdded, ['alpha']);
    assert.equal(by.gone.change, 'removed');
    assert.deepEqual(by.gone.projectsRemoved, ['team/gamma']);

    const m = by.m;
    assert.equal(m.change, 'changed');
    assert.deepEqual(m.settings.map((s: { key: string; old: string; new: string }) => [s.key, s.old, s.new]), [
      ['push', '+refs/*:refs/*', '+refs/heads/*:refs/heads/*'],
      ['excludeProjects', '(none)', 'beta'],
      ['mirror', 'false', 'true'],
    ]);
    assert.deepEqual(m.urlsAdded, [`${x.s.dir}/m2/\${name}.git`]);
    assert.deepEqual(m.projectsRemoved, ['beta']);
    assert.deepEqual(m.targetsAdded.map((t: { project: string }) => t.project), ['alpha', 'team/gamma']);
    // The tag stops being replicated for the projects m keeps.
    assert.deepEqual(m.refs.map((c: { project: string; ref: string; change: string }) => `${c.change} ${c.project} ${c.ref}`), [
      'removed alpha refs/tags/v1',
      'removed team/gamma refs/tags/v1',
    ]);
    assert.ok(m.notes.some((n: string) => /mirror turns on/.test(n)));

    // keep: only its password changed, and the preview says so without the value.
    assert.deepEqual(by.keep.settings.map((s: { key: string; new: string }) => [s.key, s.new]), [['password', '(changed)']]);
    assert.ok(!r.stdout.includes(PASSWORD));

    const v = Object.fromEntries(p.tasks.map((t: { key: string }) => [t.key, t]));
    assert.equal(v[keptKey].verdict, 'kept');
    assert.equal(v[goneKey].verdict, 'dropped');
    assert.equal(v[goneKey].state, 'running');
    assert.match(v[goneKey].reason, /no remote of that name/);
    assert.equal(v[excludedKey].verdict, 'dropped');
    assert.match(v[excludedKey].reason, /does not replicate that project/);
    assert.equal(v[narrowKey].verdict, 'narrowed');
    assert.deepEqual(v[narrowKey].droppedRefs, ['refs/tags/v1']);
    assert.equal(v[tagKey].verdict, 'dropped');
    assert.match(v[tagKey].reason, /pushes none of its refs/);
    assert.equal(v[bogusKey].verdict, 'refused', 'a task the deployed config already refuses is not blamed on the reload');

    const text = runCli(['plan', '--site', x.site, '--against', x.old]);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^remote added: new \(etc\/replication\.config:\d+\)$/m);
    assert.match(text.stdout, /^remote removed: gone \(etc\/replication\.config:\d+ of the deployed config\)$/m);
    assert.match(text.stdout, /^  mirror: false → true$/m);
    assert.match(text.stdout, /^  stops replicating 1 project\(s\): beta$/m);
    assert.match(text.stdout, /^  ref no longer replicated: alpha refs\/tags\/v1 \(was → \+refs\/tags\/v1\)$/m);
    assert.match(text.stdout, /^  password: \(set\) → \(changed\)$/m);
    assert.match(text.stdout, /^stored tasks: 6 \(1 running, 5 waiting\)/m);
    assert.match(text.stdout, /^  dropped  team\/gamma → gone .*: .*no remote of that name/m);
    assert.match(text.stdout, /^  narrowed alpha → m .*: refs\/tags\/v1$/m);
    assert.match(text.stdout, /^  1 kept: replayed under the new config/m);
    assert.ok(!text.stdout.includes(PASSWORD));

    // A preview reads; it moves, writes and quarantines nothing.
    assert.deepEqual(readdirSync(join(events, 'ref-updates', 'waiting')).sort(), before);
    assert.deepEqual(readdirSync(join(events, 'ref-updates')).sort(), ['running', 'waiting']);
  } finally {
    x.s.cleanup();
  }
});

test('plan --against: the same config is no change (exit 0); an edited config with errors is a failed reload', () => {
  const x = scenario();
  try {
    const same = join(x.s.dir, 'same');
    cpSync(join(x.site, 'etc'), join(same, 'etc'), { recursive: true });
    const r = runCli(['plan', '--site', x.site, '--against', same]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^No change: after a reload the server replicates exactly as now\.$/m);

    writeFileSync(join(x.site, 'etc', 'replication.config'), x.newConfig + '[remote "bad"]\n  url = /b/${name}.git\n  threads = many\n');
    const bad = runCli(['plan', '--site', x.site, '--against', x.old, '--json']);
    assert.equal(bad.code, 1);
    const p = JSON.parse(bad.stdout);
    assert.equal(p.newRefused, true);
    assert.deepEqual(p.remotes, []);
    assert.ok(p.diagnostics.some((d: { code: string }) => d.code === 'invalid-value' || d.code === 'invalid-int'));
    const text = runCli(['plan', '--site', x.site, '--against', x.old]);
    assert.match(text.stdout, /a reload fails and the server keeps the deployed config/);

    // eventsDirectory moved: the deployed site's store is no longer read.
    writeFileSync(join(x.site, 'etc', 'replication.config'), x.oldConfig + `[replication]\n  eventsDirectory = ${x.s.dir}/events2\n`);
    const t = storeTask(join(x.old, 'data', 'replication'), { project: 'alpha', refs: ['..all..'], uri: `${x.m}/alpha.git`, remote: 'm' });
    const moved = JSON.parse(runCli(['plan', '--site', x.site, '--against', x.old, '--json']).stdout);
    assert.deepEqual(moved.siteSettings.map((s: { key: string }) => s.key), ['replication.eventsDirectory']);
    const task = moved.tasks.find((y: { key: string }) => y.key === t);
    assert.equal(task.verdict, 'dropped');
    assert.match(task.reason, /eventsDirectory changes/);

    assert.equal(runCli(['plan', '--site', x.site, '--against', x.old, 'alpha']).code, 2, '--against takes no PROJECT');
    assert.equal(runCli(['plan', '--site', x.site, '--against', join(x.s.dir, 'nope')]).code, 2);
  } finally {
    x.s.cleanup();
  }
});

test('the language server previews a reload of the open (unsaved) config against the saved file and against git HEAD', async () => {
  const x = scenario();
  const cfg = join(x.site, 'etc', 'replication.config');
  // The committed config is the deployed one; the saved file adds remote "new" on top of it.
  writeFileSync(cfg, x.oldConfig);
  git(x.site, 'init', '-q');
  git(x.site, 'add', 'etc/replication.config');
  git(x.site, 'commit', '-q', '-m', 'deployed');
  const saved = x.oldConfig + `[remote "new"]\n  url = ${x.s.dir}/new/\${name}.git\n  projects = alpha\n`;
  writeFileSync(cfg, saved);
  const c = new LspClient({ initializationOptions: { trusted: true } });
  try {
    await c.initialize(pathToFileURL(x.site).href);
    // Unsaved in the editor: remote "gone" deleted.
    c.open(pathToFileURL(cfg).href, saved.replace(/\[remote "gone"\][^[]*/, ''));
    const vsSaved = await c.request<ReloadPreview>(Requests.reloadPreview.method, { against: 'saved' });
    assert.deepEqual(vsSaved.remotes.map((r) => [r.remote, r.change]), [['gone', 'removed']]);
    const vsHead = await c.request<ReloadPreview>(Requests.reloadPreview.method, { against: 'head' });
    assert.deepEqual(vsHead.remotes.map((r) => [r.remote, r.change]), [['gone', 'removed'], ['new', 'added']]);
    // secure.config is not committed: it is the same on both sides, not a changed password.
    assert.ok(!vsHead.remotes.some((r) => r.settings.some((st) => st.key === 'password')));
    const vsDir = await c.request<ReloadPreview>(Requests.reloadPreview.method, { against: { dir: x.old } });
    assert.ok(vsDir.remotes.some((r) => r.remote === 'keep' && r.settings.some((st) => st.key === 'password' && st.new === '(changed)')));
    assert.ok(!JSON.stringify(vsDir).includes(PASSWORD));
    await assert.rejects(c.request(Requests.reloadPreview.method, { against: 'yesterday' }), /against is/);
  } finally {
    await c.shutdown().catch(() => c.kill());
    x.s.cleanup();
  }
});
