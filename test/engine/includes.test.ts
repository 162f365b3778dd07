// The engine loads replication.config with its [include] files, as JGit's FileBasedConfig does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratch } from '../support/helpers';
import { bare, git, workRepo, writeSite } from '../support/engine-helpers';
import { loadSite } from '../../server/src/engine/site/loadSite';

const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.001' };

test('plan over an include tree uses the remotes and settings of the included files', () => {
  const s = scratch('gr-eng-inc-');
  try {
    const dir = join(s.dir, 'site');
    // The url of "a" and the whole remote "b" come from included files; "b"'s nested include
    // is resolved against etc/ (JGit), not etc/remotes/ (git).
    writeSite(dir, `[remote "a"]\n  replicationDelay = 0\n[include]\n  path = remotes/a.inc\n  path = remotes/b.inc\n  path = missing.inc\n`, {
      'etc/remotes/a.inc': `[remote "a"]\n  url = ${s.dir}/mirror-a/\${name}.git\n  projects = alpha\n`,
      'etc/remotes/b.inc': `[remote "b"]\n  url = ${s.dir}/mirror-b/\${name}.git\n[include]\n  path = b-settings.inc\n`,
      'etc/b-settings.inc': `[remote "b"]\n  threads = 3\n`,
      'etc/remotes/b-settings.inc': `[remote "b"]\n  threads = 7\n`,
      'etc/secure.config': `[include]\n  path = secure-b.inc\n`,
      'etc/secure-b.inc': `[remote "b"]\n  username = bot\n`,
    });
    chmodSync(join(dir, 'etc', 'secure.config'), 0o600);
    chmodSync(join(dir, 'etc', 'secure-b.inc'), 0o600);
    const w = workRepo(join(s.dir, 'work'));
    const tip = w.commit('x');
    for (const p of ['alpha', 'beta']) git(w.dir, 'push', '-q', bare(join(dir, 'git', `${p}.git`)), `${tip}:refs/heads/master`);

    const site = loadSite(dir);
    assert.equal(site.refused, false, JSON.stringify(site.diagnostics));
    assert.deepEqual(site.remotes.map((r) => [r.name, r.urls, r.projects, r.threads, r.replicationDelay, r.username ?? null]), [
      ['a', [`${s.dir}/mirror-a/\${name}.git`], ['alpha'], 1, 0, null],
      ['b', [`${s.dir}/mirror-b/\${name}.git`], [], 3, 15, 'bot'],
    ]);
    assert.deepEqual(site.diagnostics.map((d) => [d.file, d.line, d.code]), [['etc/replication.config', 6, 'include-missing']]);
    assert.ok(site.files.includes(join(dir, 'etc', 'remotes', 'a.inc')));

    const r = runCli(['plan', '--site', dir, '--json'], { env: ENV });
    assert.equal(r.code, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as { targets: Array<{ project: string; remote: string }> };
    assert.deepEqual(plan.targets.map((t) => `${t.remote}:${t.project}`).sort(), ['a:alpha', 'b:alpha', 'b:beta']);
  } finally {
    s.cleanup();
  }
});

test('an include cycle refuses the site, as the plugin fails to load', () => {
  const s = scratch('gr-eng-inc-');
  try {
    const dir = join(s.dir, 'site');
    writeSite(dir, `[remote "a"]\n  url = ${s.dir}/m/\${name}.git\n[include]\n  path = loop.inc\n`, { 'etc/loop.inc': '[include]\n  path = loop.inc\n' });
    const site = loadSite(dir);
    assert.equal(site.refused, true);
    assert.deepEqual(site.diagnostics.map((d) => [d.line, d.code, d.severity]), [[4, 'include-too-deep', 'error']]);
    const r = runCli(['check', dir], { env: ENV });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /etc\/replication\.config:4:10: error: These includes are circular.*\[include-too-deep\]/);
  } finally {
    s.cleanup();
  }
});
