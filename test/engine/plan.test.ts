import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { scratch } from '../support/helpers';
import { bare, git, GIT_ENV, workRepo, writeSite } from '../support/engine-helpers';
import { loadSite } from '../../server/src/engine/site/loadSite';
import { Destination } from '../../server/src/engine/site/destinations';
import { planTarget } from '../../server/src/engine/preview/plan';
import { parsePorcelain } from '../../server/src/engine/transport/push';

/** Source and mirror prepared so that every kind of change occurs once. */
function scenario(dir: string) {
  const src = bare(join(dir, 'site', 'git', 'proj.git'));
  const mirror = bare(join(dir, 'mirrors', 'proj.git'));
  const w = workRepo(join(dir, 'work'));
  const a = w.commit('a');
  const b = w.commit('b', a);
  const c = w.commit('c', b);
  const other = w.commit('other', a); // not a descendant of b
  const unknown = w.commit('unknown-to-source', a);
  const blob = git(w.dir, 'hash-object', '-w', '--stdin');
  const setRef = (repo: string, ref: string, id: string) => {
    git(w.dir, 'push', '-q', '--force', repo, `${id}:${ref}`);
  };
  const setRefAny = (repo: string, ref: string, id: string) => {
    // blobs cannot be pushed with porcelain refspec sugar; update the ref directly after sending objects
    git(w.dir, 'push', '-q', repo, `${a}:refs/tmp/x`);
    execFileSync('git', ['update-ref', ref, id], { cwd: repo, env: GIT_ENV });
    execFileSync('git', ['update-ref', '-d', 'refs/tmp/x'], { cwd: repo, env: GIT_ENV });
  };
  // Source refs.
  setRef(src, 'refs/heads/master', c); // mirror has c: up to date
  setRef(src, 'refs/heads/new', b); // absent on mirror: create
  setRef(src, 'refs/heads/ff', c); // mirror has a: fast-forward
  setRef(src, 'refs/heads/diverged', other); // mirror has b: non-fast-forward
  setRef(src, 'refs/heads/fetchfirst', c); // mirror has an object the source lacks
  setRef(src, 'refs/tags/v1', c); // mirror tag at a: already exists
  setRef(src, 'refs/meta/config', a);
  setRef(mirror, 'refs/tmp/blob', a);
  execFileSync('git', ['update-ref', '-d', 'refs/tmp/blob'], { cwd: mirror, env: GIT_ENV });
  // Mirror refs.
  setRef(mirror, 'refs/heads/master', c);
  setRef(mirror, 'refs/heads/ff', a);
  setRef(mirror, 'refs/heads/diverged', b);
  setRef(mirror, 'refs/heads/fetchfirst', unknown);
  setRef(mirror, 'refs/tags/v1', a);
  setRef(mirror, 'refs/heads/gone', a); // not in the source: deleted by mirror
  // A non-commit update: the source points refs/misc/obj at a blob the mirror's commit precedes.
  execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: src, env: GIT_ENV, input: '' });
  setRefAny(src, 'refs/misc/obj', blob);
  setRef(mirror, 'refs/misc/obj', b);
  void unknown;
  return { src, mirror };
}

const KIND: Record<string, string> = { '*': 'create', ' ': 'fast-forward', '+': 'force', '-': 'delete', '=': 'up-to-date', '!': 'rejected' };

async function compare(t: { name: string }, pushLines: string[], mirror: boolean) {
  const s = scratch('gr-plan-');
  try {
    const { src, mirror: mir } = scenario(s.dir);
    const cfg = `[remote "m"]\n  url = ${join(s.dir, 'mirrors')}/\${name}.git\n${pushLines.map((p) => `  push = ${p}\n`).join('')}  mirror = ${mirror}\n`;
    writeSite(join(s.dir, 'site'), cfg);
    const site = loadSite(join(s.dir, 'site'));
    assert.equal(site.refused, false, JSON.stringify(site.diagnostics));
    const dest = new Destination(site.remotes[0]);
    const plan = await planTarget({ project: 'proj', repoDir: src, dest, url: mir, transport: {} });
    assert.equal(plan.unreachable, undefined);
    const args = ['push', '--porcelain', '--dry-run', ...(mirror ? ['--prune'] : []), '--', mir, ...pushLines];
    let out = '';
    try {
      out = execFileSync('git', args, { cwd: src, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      out = (e as { stdout: string }).stdout; // rejected refs make git exit 1
    }
    const fromGit = parsePorcelain(out).map((r) => `${r.dst} ${KIND[r.flag]}${r.flag === '!' ? ` (${r.reason})` : ''}`).sort();
    const fromPlan = plan.changes.map((c) => `${c.remoteRef} ${c.kind}${c.kind === 'rejected' ? ` (${c.reason})` : ''}`).sort();
    assert.deepEqual(fromPlan, fromGit, t.name);
    // Every kind the scenario is built for shows up somewhere across the cases.
    return fromPlan;
  } finally {
    s.cleanup();
  }
}

test('plan equals git push --dry-run --porcelain, ref by ref', async (t) => {
  const seen = new Set<string>();
  const cases: Array<[string, string[], boolean]> = [
    ['default refspec, no mirror', ['refs/*:refs/*'], false],
    ['forced refspec with mirror', ['+refs/*:refs/*'], true],
    ['mirror without force', ['refs/*:refs/*'], true],
    ['wildcard mapping', ['refs/heads/*:refs/heads/mirror/*', '+refs/tags/*:refs/tags/*'], true],
    ['single ref without destination', ['refs/heads/ff', '+refs/heads/diverged:refs/heads/diverged'], false],
  ];
  for (const [name, specs, mirror] of cases) {
    await t.test(name, async (tt) => {
      for (const line of await compare(tt, specs, mirror)) seen.add(line.replace(/^\S+ /, ''));
    });
  }
  assert.deepEqual([...seen].sort(), [
    'create', 'delete', 'fast-forward', 'force',
    'rejected (already exists)', 'rejected (fetch first)', 'rejected (needs force)', 'rejected (non-fast-forward)',
    'up-to-date',
  ]);
});

test('plan reports a missing repository to create, and an unreachable URL with git\'s error', async () => {
  const s = scratch('gr-plan-');
  try {
    const src = bare(join(s.dir, 'site', 'git', 'p.git'));
    const w = workRepo(join(s.dir, 'work'));
    git(w.dir, 'push', '-q', src, `${w.commit('x')}:refs/heads/master`);
    writeSite(join(s.dir, 'site'), `[remote "m"]\n  url = ${s.dir}/nowhere/\${name}.git\n[remote "n"]\n  url = ${s.dir}/nowhere/\${name}.git\n  createMissingRepositories = false\n`);
    const site = loadSite(join(s.dir, 'site'));
    const [m, n] = site.remotes.map((r) => new Destination(r));
    const pm = await planTarget({ project: 'p', repoDir: src, dest: m, url: `${s.dir}/nowhere/p.git`, transport: {} });
    assert.equal(pm.createRepository, true);
    assert.deepEqual(pm.changes.map((c) => c.kind), ['create']);
    const pn = await planTarget({ project: 'p', repoDir: src, dest: n, url: `${s.dir}/nowhere/p.git`, transport: {} });
    assert.match(pn.unreachable ?? '', /does not appear to be a git repository/);
  } finally {
    s.cleanup();
  }
});
