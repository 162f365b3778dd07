// The dry run says what an update lands (issue 13 item 1): commit count and subjects from the
// source repository with real git, capped at 10 subjects; a forced update also counts what it
// drops; the mirror's old commit, when the source lacks it, is read from a mirror that is a
// local path, and is "unknown" (null) otherwise.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scratch } from '../support/helpers';
import { bare, git, workRepo, writeSite } from '../support/engine-helpers';
import { loadSite } from '../../server/src/engine/site/loadSite';
import { Destination } from '../../server/src/engine/site/destinations';
import { classify, planTarget, pushedRefs } from '../../server/src/engine/preview/plan';
import { localRefs, lsRemote } from '../../server/src/engine/transport/refs';
import { formatTarget } from '../../server/src/cli/plan';

const s = scratch('gr-plan-commits-');
after(() => s.cleanup());

const src = bare(join(s.dir, 'site', 'git', 'proj.git'));
const mirror = bare(join(s.dir, 'mirrors', 'proj.git'));
const w = workRepo(join(s.dir, 'work'));
const base = w.commit('base');
let tip = base;
const subjects: string[] = [];
for (let i = 1; i <= 12; i++) {
  const msg = i === 12 ? '<img src=x onerror=alert(1)> & "quoted"' : `change ${i}`;
  tip = w.commit(msg, tip);
  subjects.unshift(msg);
}
const side = w.commit('only on the mirror', base);
const setRef = (repo: string, ref: string, id: string) => git(w.dir, 'push', '-q', '--force', repo, `${id}:${ref}`);
setRef(src, 'refs/heads/main', tip); // mirror at base: 12 commits to land
setRef(src, 'refs/heads/rewritten', tip); // mirror at `side`, which the source lacks: forced
setRef(mirror, 'refs/heads/main', base);
setRef(mirror, 'refs/heads/rewritten', side);

async function plan(url: string) {
  writeSite(join(s.dir, 'site'), `[remote "m"]\n  url = ${join(s.dir, 'mirrors')}/\${name}.git\n  push = +refs/heads/*:refs/heads/*\n`);
  const site = loadSite(join(s.dir, 'site'));
  assert.equal(site.refused, false, JSON.stringify(site.diagnostics));
  return planTarget({ project: 'proj', repoDir: src, dest: new Destination(site.remotes[0]), url, transport: {} });
}

test('an update lists what it lands: the commit count and the newest 10 subjects, as git has them', async () => {
  const t = await plan(mirror);
  const main = t.changes.find((c) => c.ref === 'refs/heads/main')!;
  assert.equal(main.kind, 'fast-forward');
  assert.equal(main.commits!.count, Number(git(src, 'rev-list', '--count', `${base}..${tip}`)));
  assert.equal(main.commits!.count, 12);
  assert.deepEqual(main.commits!.subjects, subjects.slice(0, 10), 'newest first, capped at 10, the HTML left as text for the panel to escape');
  assert.equal(main.commits!.dropped, undefined, 'a fast-forward drops nothing');
});

test('a forced update over a commit the source lacks: read with the objects of a path mirror, plain or file://', async () => {
  for (const url of [mirror, pathToFileURL(mirror).href]) {
    const t = await plan(url);
    const rewritten = t.changes.find((c) => c.ref === 'refs/heads/rewritten')!;
    assert.equal(rewritten.kind, 'force', url);
    assert.deepEqual({ count: rewritten.commits!.count, dropped: rewritten.commits!.dropped }, { count: 12, dropped: 1 }, url);
    assert.equal(rewritten.commits!.subjects.length, 10);
  }
  // The source itself still lacks the mirror's commit: nothing was copied into it.
  assert.throws(() => git(src, 'cat-file', '-e', side));
});

test('without the mirror\'s objects (not a path) the forced update says unknown', async () => {
  const local = await localRefs(src);
  const remote = await lsRemote(mirror, {});
  assert.ok(remote.ok);
  const site = loadSite(join(s.dir, 'site'));
  const changes = await classify(src, local, remote.refs, pushedRefs(new Destination(site.remotes[0]), local));
  assert.equal(changes.find((c) => c.ref === 'refs/heads/rewritten')!.commits, null);
  assert.equal(changes.find((c) => c.ref === 'refs/heads/main')!.commits!.count, 12, 'the source has the old side of a fast-forward');
});

test('plan\'s text output names the count and lists the subjects under the update', async () => {
  const lines = formatTarget(await plan(mirror));
  const at = lines.findIndex((l) => /fast-forward\s+refs\/heads\/main/.test(l));
  assert.match(lines[at], /\(12 commits\)$/);
  assert.deepEqual(lines.slice(at + 1, at + 12).map((l) => l.trim()), [...subjects.slice(0, 10).map((x) => `| ${x}`), '| … 2 more']);
  assert.match(lines.find((l) => /force\s+refs\/heads\/rewritten/.test(l))!, /\(12 commits, drops 1\)$/);
});
