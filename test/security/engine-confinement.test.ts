// The engine reads nothing outside the Gerrit site either (issue 10, item 1): `plan`, `start`,
// `status`, `daemon` and the editor's engine requests read replication.config, secure.config,
// their [include] files and gerrit.config through the one site model, which refuses a file
// whose real path (symlinks resolved, `../` and absolute paths taken as JGit takes them) is
// outside the site, with a diagnostic that names the file and quotes none of its text. A site
// with such a file is refused: the engine cannot know what Gerrit would read there (a
// `projects` filter, a narrower `push`), so it pushes nothing rather than push too much.
// Real files, real git, the built CLI and the built server over stdio.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, scratch } from '../support/helpers';
import { bare, git, workRepo, writeSite } from '../support/engine-helpers';
import { LspClient } from '../support/lsp-client';
import { ENGINE_REQUEST_FAILED, Requests, type EngineErrorData, type PlanResult, type RemoteSummary } from '../../server/src/protocol';

const MARK = 'MARKER_SECRET_91d4';
const s = scratch('gr-engine-confine-');
after(() => s.cleanup());

// Files outside every site, with the marker where each reader would quote or use it: a remote
// and its url (plan lists them), an integer JGit rejects (the engine's invalid-value quotes
// it), a password, a syntax error and an include fault (JGit's messages quote the line).
const outside = join(s.dir, 'outside');
mkdirSync(outside);
const secretText = `[remote "${MARK}"]\n  url = ${s.dir}/${MARK}/\${name}.git\n  password = ${MARK}\n[gerrit]\n  maxRefsToShow = ${MARK}\n[include]\n  ${MARK} = 1\n[${MARK}\n`;
for (const f of ['linked.txt', 'dotdot.txt', 'absolute.txt', 'secure.txt', 'top.txt', 'gerrit.txt']) writeFileSync(join(outside, f), secretText);
writeFileSync(join(outside, 'gerrit.txt'), `[gerrit]\n  basePath = ${s.dir}/${MARK}\n`);

/** A site with one project and a mirror, so that plan, start and status have work to show. */
function site(name: string, replicationConfig: string, extra: Record<string, string> = {}): string {
  const dir = join(s.dir, name);
  writeSite(dir, replicationConfig, extra);
  const w = workRepo(join(s.dir, `${name}-work`));
  const src = bare(join(dir, 'git', 'app.git'));
  git(w.dir, 'push', '-q', src, `${w.commit('x')}:refs/heads/master`);
  bare(join(s.dir, `${name}-mirror`, 'app.git'));
  return dir;
}

const remote = (name: string) => `[remote "a"]\n  url = ${s.dir}/${name}-mirror/\${name}.git\n  replicationDelay = 0\n`;

// Includes that lead out: a symlink in etc/, a `../` path, an absolute path; secure.config's too.
const inc = site('inc', `${remote('inc')}[include]\n  path = linked.config\n  path = ../../outside/dotdot.txt\n  path = ${outside}/absolute.txt\n`, { 'etc/secure.config': '[include]\n  path = creds.config\n' });
symlinkSync(join(outside, 'linked.txt'), join(inc, 'etc', 'linked.config'));
symlinkSync(join(outside, 'secure.txt'), join(inc, 'etc', 'creds.config'));
chmodSync(join(inc, 'etc', 'secure.config'), 0o600);

// The site's own files as symlinks that lead out: replication.config, secure.config, gerrit.config.
writeFileSync(join(outside, 'top.txt'), `${remote('top')}${secretText}`);
const top = site('top', '');
rmSync(join(top, 'etc', 'replication.config'));
symlinkSync(join(outside, 'top.txt'), join(top, 'etc', 'replication.config'));
symlinkSync(join(outside, 'secure.txt'), join(top, 'etc', 'secure.config'));
symlinkSync(join(outside, 'gerrit.txt'), join(top, 'etc', 'gerrit.config'));

// Fan-out: a file of etc/replication/ that links out, and an etc/replication/ that does.
const fan = site('fan', '[gerrit]\n  autoReload = true\n', { 'etc/replication/a.config': remote('fan') });
symlinkSync(join(outside, 'linked.txt'), join(fan, 'etc', 'replication', 'leak.config'));
const fanDir = site('fandir', '[gerrit]\n  autoReload = true\n');
mkdirSync(join(outside, 'fanout'));
writeFileSync(join(outside, 'fanout', 'b.config'), secretText);
symlinkSync(join(outside, 'fanout'), join(fanDir, 'etc', 'replication'));

/** The built CLI, killed after 30 s; the marker must be in none of its output. */
function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.001' } });
  const out = r.stdout + r.stderr;
  assert.ok(!out.includes(MARK), `${args.join(' ')} printed a file from outside the site:\n${out}`);
  assert.equal(r.signal, null, `${args.join(' ')} did not stop (killed by ${r.signal}):\n${out}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('plan, start, status and daemon refuse a site whose [include] files lead outside it, naming each include line', () => {
  for (const args of [['plan', '--json'], ['plan'], ['start', '--all'], ['start', '--all', '--now', '--wait'], ['status'], ['status', '--json'], ['daemon']]) {
    const r = cli([...args, '--site', inc]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    for (const want of [/etc\/replication\.config:5:\d+: error: .*linked\.config is a symlink that leads outside the Gerrit site.*\[include-outside-site\]/,
      /etc\/replication\.config:6:\d+: error: .*dotdot\.txt is outside the Gerrit site.*\[include-outside-site\]/,
      /etc\/replication\.config:7:\d+: error: .*absolute\.txt is outside the Gerrit site.*\[include-outside-site\]/,
      /etc\/secure\.config:2:\d+: error: .*creds\.config is a symlink that leads outside the Gerrit site.*\[include-outside-site\]/])
      assert.match(r.stderr, want, args.join(' '));
  }
});

test('plan, start, status and daemon refuse a site whose replication.config, secure.config, gerrit.config or fan-out files lead outside it', () => {
  const sites: Array<[string, string[]]> = [[top, ['replication.config', 'secure.config', 'gerrit.config']], [fan, ['replication/leak.config']], [fanDir, ['replication']]];
  for (const [dir, files] of sites) {
    for (const args of [['plan', '--json'], ['start', '--all', '--now', '--wait'], ['status'], ['daemon']]) {
      const r = cli([...args, '--site', dir]);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      for (const f of files)
        assert.match(r.stderr, new RegExp(`etc/${f.replace('.', '\\.')}:1:1: error: .*symlink that leads outside the Gerrit site.*\\[outside-root\\]`), `${args.join(' ')}: ${f}`);
    }
  }
});

test("the editor's engine requests (plan, start, remotes) refuse the same sites and show nothing of the outside files", async () => {
  const c = new LspClient({ initializationOptions: { trusted: true, timeScale: 0.001 } });
  try {
    await c.initialize(pathToFileURL(s.dir).href);
    const answers: unknown[] = [];
    for (const dir of [inc, top, fan]) {
      const plan = await c.request<PlanResult>(Requests.plan.method, { site: dir });
      answers.push(plan);
      assert.equal(plan.refused, true, JSON.stringify(plan));
      const codes = plan.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.code}`);
      const want = dir === inc
        ? ['etc/replication.config:5:include-outside-site', 'etc/replication.config:6:include-outside-site', 'etc/replication.config:7:include-outside-site', 'etc/secure.config:2:include-outside-site']
        : dir === top ? ['etc/replication.config:1:outside-root', 'etc/secure.config:1:outside-root', 'etc/gerrit.config:1:outside-root'] : ['etc/replication/leak.config:1:outside-root'];
      for (const w of want) assert.ok(codes.includes(w), `${w} missing in ${codes.join(', ')}`);
      const err = await c.request(Requests.start.method, { site: dir, all: true, now: true, wait: true }).then(() => undefined, (e: unknown) => e as { code: number; message: string; data?: EngineErrorData });
      answers.push(err);
      assert.equal(err?.code, ENGINE_REQUEST_FAILED, 'start on a site with an outside file fails');
      assert.equal(err?.data?.code, 'config-refused');
      answers.push(await c.request<RemoteSummary[]>(Requests.remotes.method, { site: dir }));
      answers.push(await c.request(Requests.queue.method, { site: dir }));
    }
    const all = JSON.stringify([answers, c.published]) + c.stderr;
    assert.ok(!all.includes(MARK), `the server showed a file from outside the site:\n${all}`);
    assert.ok(c.alive);
  } finally {
    await c.shutdown().catch(() => c.kill());
  }
});
