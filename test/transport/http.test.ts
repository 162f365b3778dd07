// Pushes over HTTP to the real `git http-backend` behind basic auth. The credentials come
// from secure.config-style options (or the URL) and must never show up in any process's
// argv, in git's output or in the errors we return.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { classifyGitFailure } from '../../server/src/engine/transport/gitErrors';
import { runGit } from '../../server/src/engine/transport/gitRun';
import { prepareGit, TransportOptions } from '../../server/src/engine/transport/invocation';
import { scratch } from '../support/helpers';
import { GitHttpServer, startGitHttpBackend } from '../infra/httpBackend';
import { makeBareRepo, makeSourceRepo, refsOf } from '../infra/gitRepos';
import { commandLinesNow, watchProcesses } from '../infra/procWatch';

const USER = 'replicator';
// Characters that need escaping in URLs and shells, to catch any leak in encoded form too.
const PASSWORD = "S3cr3t p@ss:w/rd'$(id)!";

let http: GitHttpServer;
let work: { dir: string; cleanup: () => void };
let root: string;
let source: string;

before(async () => {
  work = scratch('gr-http-');
  root = join(work.dir, 'srv');
  source = makeSourceRepo(join(work.dir, 'source.git'));
  http = await startGitHttpBackend({ projectRoot: root, username: USER, password: PASSWORD });
});

after(async () => {
  await http?.close();
  work?.cleanup();
});

async function push(url: string, o: TransportOptions, onSpawn?: (pid: number) => void) {
  const inv = prepareGit(url, o);
  try {
    const r = await runGit(inv, ['push', '--porcelain', inv.url, 'refs/*:refs/*'], { cwd: source, timeoutMs: 30_000, onSpawn });
    return { ...r, displayUrl: inv.displayUrl };
  } finally {
    inv.cleanup();
  }
}

function assertNoSecret(text: string, what: string) {
  for (const form of [PASSWORD, encodeURIComponent(PASSWORD), Buffer.from(`${USER}:${PASSWORD}`).toString('base64')]) {
    assert.ok(!text.includes(form), `${what} contains the password: ${text}`);
  }
}

test('http: push with basic auth from secure.config credentials; the password is in no argv', async () => {
  const target = makeBareRepo(join(root, 'a.git'));
  // Two views of every process's argv: a snapshot taken while the server holds each request
  // (git push and git-remote-http are then alive for certain), and a /proc watcher that
  // also catches git's short-lived children. A control process with a marker in its argv
  // proves the watcher can see one, so the check below is known to be able to fail.
  const held: string[] = [];
  http.onRequest = () => held.push(...commandLinesNow());
  const seen = { commandLines: [] as string[], scans: 0 };
  let r!: Awaited<ReturnType<typeof push>>;
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      const watch = watchProcesses();
      await watch.ready;
      const result = await push(`${http.baseUrl}/a.git`, { credentials: { username: USER, password: PASSWORD } });
      if (attempt === 0) r = result;
      // Each canary lives ~50 ms, about as long as git's own short children.
      for (let i = 0; i < 10; i++) spawnSync('/bin/sh', ['-c', 'sleep 0.05; :', 'canary-argv-marker']);
      const got = await watch.stop();
      seen.commandLines.push(...got.commandLines);
      seen.scans += got.scans;
      if (seen.commandLines.some((c) => c.includes('canary-argv-marker'))) break;
    }
  } finally {
    http.onRequest = undefined;
  }
  assert.equal(r.code, 0, r.stderr);
  assert.equal(refsOf(target), refsOf(source));
  assert.ok(http.requests.some((q) => q.path.includes('git-receive-pack') && q.method === 'POST' && q.user === USER));
  assert.ok(held.some((c) => /\bgit\b.*\bpush\b/.test(c)), 'git push was alive while the server held its request');
  assert.ok(held.some((c) => /remote-http/.test(c)), 'git-remote-http was alive while the server held its request');
  assert.ok(seen.scans > 0, 'the watcher scanned /proc');
  assert.ok(seen.commandLines.some((c) => c.includes('canary-argv-marker')), 'the watcher sees short-lived processes');
  for (const c of [...held, ...seen.commandLines]) assertNoSecret(c, `process argv "${c}"`);
  assertNoSecret(r.stdout + r.stderr + r.displayUrl, 'git output');
});

test('http: credentials written into the URL move out of band too', async () => {
  const target = makeBareRepo(join(root, 'b.git'));
  const url = `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${http.port}/b.git`;
  const watch = watchProcesses();
  await watch.ready;
  const r = await push(url, {});
  const seen = await watch.stop();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(refsOf(target), refsOf(source));
  assert.equal(r.displayUrl, `http://127.0.0.1:${http.port}/b.git`);
  for (const c of seen.commandLines) assertNoSecret(c, `process argv "${c}"`);
  assertNoSecret(r.stdout + r.stderr, 'git output');
});

test('http: a wrong password fails with a clear, redacted error', async () => {
  const target = makeBareRepo(join(root, 'c.git'));
  const wrong = PASSWORD + 'x';
  const r = await push(`${http.baseUrl}/c.git`, { credentials: { username: USER, password: wrong } });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /Authentication failed for 'http:\/\/127\.0\.0\.1:\d+\/c\.git\/'/);
  assert.equal(classifyGitFailure(r.stderr), 'authentication');
  assert.ok(!r.stderr.includes(wrong) && !r.stderr.includes(encodeURIComponent(wrong)));
  assert.equal(refsOf(target), '');
  assert.ok(http.requests.some((q) => q.authorization === 'bad'));

  const inUrl = await push(`http://${USER}:${encodeURIComponent(wrong)}@127.0.0.1:${http.port}/c.git`, {});
  assert.notEqual(inUrl.code, 0);
  assert.ok(!inUrl.stderr.includes(encodeURIComponent(wrong)) && !inUrl.stderr.includes(wrong), inUrl.stderr);
});

test('http: without credentials git fails at once instead of prompting', async () => {
  makeBareRepo(join(root, 'd.git'));
  const t0 = Date.now();
  const r = await push(`${http.baseUrl}/d.git`, {});
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /terminal prompts disabled|could not read Username/);
  assert.equal(classifyGitFailure(r.stderr), 'authentication');
  assert.ok(Date.now() - t0 < 10_000);
});

test('http: the credential helper answers only for the configured host', async () => {
  makeBareRepo(join(root, 'e.git'));
  const inv = prepareGit(`${http.baseUrl}/e.git`, { credentials: { username: USER, password: PASSWORD } });
  try {
    // Same server, other host name: git must not hand the password over.
    const r = await runGit(inv, ['push', `http://localhost:${http.port}/e.git`, 'refs/heads/master'], { cwd: source });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /could not read Username|terminal prompts disabled/);
    assert.ok(!http.requests.some((q) => q.path.startsWith('/e.git') && q.authorization !== 'none'));
  } finally {
    inv.cleanup();
  }
  assert.equal(existsSync(inv.config.find((c) => c.includes('.helper=!'))!.split('!')[1].replace(/^'|'$/g, '')), false);
});

test('http: a missing repository is reported as such (createMissingRepositories)', async () => {
  const r = await push(`${http.baseUrl}/missing.git`, { credentials: { username: USER, password: PASSWORD } });
  assert.notEqual(r.code, 0);
  assert.equal(classifyGitFailure(r.stderr), 'missing-repository', r.stderr);
  assertNoSecret(r.stderr, 'git output');
});

test('http: a user in the URL and only a password in secure.config work together', async () => {
  const target = makeBareRepo(join(root, 'f.git'));
  const r = await push(`http://${USER}@127.0.0.1:${http.port}/f.git`, { credentials: { username: '', password: PASSWORD } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(refsOf(target), refsOf(source));
  assert.equal(r.displayUrl, `http://127.0.0.1:${http.port}/f.git`);
});
