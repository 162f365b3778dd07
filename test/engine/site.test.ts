import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratch } from '../support/helpers';
import { bare, writeSite } from '../support/engine-helpers';
import { listProjects, loadSite } from '../../server/src/engine/site/loadSite';
import { Destination } from '../../server/src/engine/site/destinations';
import { Engine } from '../../server/src/engine/engine';

function withSite(cfg: string, extra: Record<string, string> = {}) {
  const s = scratch('gr-site-');
  writeSite(s.dir, cfg, extra);
  return s;
}

test('defaults come from the catalog; floors apply (row 57)', () => {
  const s = withSite('[remote "a"]\n  url = /m/${name}.git\n[remote "b"]\n  url = /n/${name}.git\n  rescheduleDelay = 1\n  replicationDelay = -5\n  threads = -1\n[replication]\n  maxRetries = 4\n  lockErrorMaxRetries = 2\n');
  try {
    const site = loadSite(s.dir);
    assert.equal(site.refused, false, JSON.stringify(site.diagnostics));
    const [a, b] = site.remotes;
    assert.deepEqual(
      [a.replicationDelay, a.rescheduleDelay, a.replicationRetry, a.threads, a.createMissingRepositories, a.replicatePermissions, a.mirror, a.remoteNameStyle, a.replicationMaxRetries, a.updateRefErrorMaxRetries],
      [15, 3, 1, 1, true, true, false, 'slash', 4, 2],
    );
    assert.deepEqual([b.rescheduleDelay, b.replicationDelay, b.threads], [3, 0, 0]);
    assert.equal(site.eventsDir, join(s.dir, 'data', 'replication'));
    assert.equal(site.basePath, join(s.dir, 'git'));
  } finally {
    s.cleanup();
  }
});

test('fan-out directory: replication.config remotes ignored, one [remote] per file, other files skipped (rows 18-24)', () => {
  const s = withSite('[remote "foo"]\n  url = /x/${name}.git\n[gerrit]\n  defaultForceUpdate = true\n', {
    'etc/replication/bar.config': '[remote]\n  url = /bar/${name}.git\n',
    'etc/replication/baz.config': '[remote]\n  url = /baz/${name}.git\n[remote "other"]\n  url = /o/${name}.git\n',
    'etc/replication/empty.config': '',
    'etc/replication/notes.yaml': '[remote]\n  url = /y/${name}.git\n',
    'etc/replication/sub/deep.config': '[remote]\n  url = /d/${name}.git\n',
    'etc/replication/global.config': '[remote]\n  url = /g/${name}.git\n  push = refs/heads/*:refs/heads/*\n[replication]\n  maxRetries = 7\n',
  });
  try {
    const site = loadSite(s.dir);
    assert.deepEqual(site.remotes.map((r) => r.name), ['bar', 'global']);
    assert.ok(site.warnings.some((w) => w.includes('cannot contain remote configuration. Ignoring: foo')));
    assert.ok(site.warnings.some((w) => w.includes('baz.config cannot contain remote subsections')));
    assert.equal(site.remotes[1].replicationMaxRetries, 7, 'other sections of fan-out files take effect');
    assert.deepEqual(new Destination(site.remotes[0]).specs.map((x) => x.text), ['+refs/*:refs/*'], 'defaultForceUpdate from replication.config');
  } finally {
    s.cleanup();
  }
});

test('URL expansion: ${name}, remoteNameStyle, http escaping, single-project exemption (rows 12, 54, 60)', () => {
  const s = withSite(
    '[remote "dash"]\n  url = /m/${name}.git\n  remoteNameStyle = dash\n' +
      '[remote "base"]\n  url = /m/${name}.git\n  remoteNameStyle = basenameOnly\n' +
      '[remote "odd"]\n  url = /m/${name}.git\n  remoteNameStyle = Dash\n' +
      '[remote "web"]\n  url = https://h.example/${name}.git\n' +
      '[remote "one"]\n  url = /fixed/only.git\n  projects = foo/bar/my-repo\n',
  );
  try {
    const site = loadSite(s.dir);
    assert.equal(site.refused, false, JSON.stringify(site.diagnostics));
    const d = Object.fromEntries(site.remotes.map((r) => [r.name, new Destination(r)]));
    assert.equal(d.dash.urls('foo/bar/my-repo')[0].url, '/m/foo-bar-my-repo.git');
    assert.equal(d.base.urls('foo/bar/my-repo')[0].url, '/m/my-repo.git');
    assert.equal(d.odd.urls('foo/bar/my-repo')[0].url, '/m/foo/bar/my-repo.git');
    assert.equal(d.web.urls('name/with a space')[0].url, 'https://h.example/name/with%20a%20space.git');
    assert.equal(d.one.urls('foo/bar/my-repo')[0].url, '/fixed/only.git');
    assert.equal(d.one.wouldPushProject('other'), false);
  } finally {
    s.cleanup();
  }
});

test('projects are the bare repositories under gerrit.basePath; unsafe names are skipped', () => {
  const s = withSite('[remote "m"]\n  url = /m/${name}.git\n', { 'etc/gerrit.config': '[gerrit]\n  basePath = repos\n' });
  try {
    bare(join(s.dir, 'repos', 'a.git'));
    bare(join(s.dir, 'repos', 'team', 'b.git'));
    bare(join(s.dir, 'repos', 'plain'));
    bare(join(s.dir, 'repos', '-evil.git'));
    mkdirSync(join(s.dir, 'repos', 'notarepo'));
    writeFileSync(join(s.dir, 'repos', 'notarepo', 'x'), '');
    assert.deepEqual(listProjects(join(s.dir, 'repos')), ['-evil', 'a', 'plain', 'team/b']);
    const logs: string[] = [];
    const e = Engine.open(s.dir, { persist: false, log: (_l, m) => logs.push(m) });
    assert.deepEqual(e.projects(), ['a', 'plain', 'team/b']);
    assert.ok(logs.some((m) => m.includes("starts with '-'")));
    assert.deepEqual(e.targets({ projects: ['team/*'] }).map((t) => t.url), ['/m/team/b.git']);
  } finally {
    s.cleanup();
  }
});

test('which refs a destination pushes: NoteDb meta refs, excludedRefsPattern, refs/meta/config (rows 47, 48)', () => {
  const s = withSite(
    '[remote "nodb"]\n  url = /m/${name}.git\n  replicateNoteDbMetaRefs = false\n' +
      '[remote "ex"]\n  url = /m/${name}.git\n  excludedRefsPattern = refs/foo/.*\n  excludedRefsPattern = refs/bar/.*\n  replicatePermissions = false\n',
  );
  try {
    // Remotes come in JGit's order (sorted by name), not the file's.
    const [ex, nodb] = loadSite(s.dir).remotes.map((r) => new Destination(r));
    assert.deepEqual(['refs/changes/11/11111/1', 'refs/changes/11/11111/meta'].filter((r) => nodb.wouldPushRef(r)), ['refs/changes/11/11111/1']);
    assert.deepEqual(['refs/heads/master', 'refs/foo/test', 'refs/bar/test', 'refs/meta/config', 'refs/cache-automerge/ab/cd'].filter((r) => ex.wouldPushRef(r)), ['refs/heads/master']);
  } finally {
    s.cleanup();
  }
});

test('a stored task is data: one whose URL the config does not produce is never pushed', () => {
  const s = withSite('[remote "m"]\n  url = /m/${name}.git\n');
  try {
    bare(join(s.dir, 'git', 'p.git'));
    const e = Engine.open(s.dir);
    e.store!.create({ project: 'p', refs: ['refs/heads/master'], uri: 'ext::sh -c evil', remote: 'm' });
    e.store!.create({ project: 'p', refs: ['refs/heads/master'], uri: '/elsewhere/p.git', remote: 'm' });
    e.store!.create({ project: '../p', refs: ['refs/heads/master'], uri: '/m/../p.git', remote: 'm' });
    e.store!.create({ project: 'p', refs: ['refs/heads/master'], uri: '/m/p.git', remote: 'nope' });
    assert.equal(e.pickUp(), 0);
    e.store!.create({ project: 'p', refs: ['refs/heads/master'], uri: '/m/p.git', remote: 'm' });
    assert.equal(e.pickUp(), 1);
    e.queue.cancel();
  } finally {
    s.cleanup();
  }
});
