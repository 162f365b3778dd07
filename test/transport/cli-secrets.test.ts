// The engine's own commands against a real http-backend with basic auth from secure.config:
// the password must never appear in any process's argv, in plan/start/list output, in error
// messages or in any file the engine writes (logs, task store).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, scratch } from '../support/helpers';
import { GitHttpServer, startGitHttpBackend } from '../infra/httpBackend';
import { makeBareRepo, makeSourceRepo, refsOf } from '../infra/gitRepos';
import { commandLinesNow, watchProcesses } from '../infra/procWatch';

const USER = 'replicator';
// No '"', '\\', ';' or '#': it goes into secure.config as a quoted git-config value.
const PASSWORD = 'S3cr3t-p@ss:w/rd%21!x';
const WRONG = 'Wr0ng-p@ss:w/rd!y';

let http: GitHttpServer;
let work: { dir: string; cleanup: () => void };

before(async () => {
  work = scratch('gr-cli-secrets-');
  http = await startGitHttpBackend({ projectRoot: join(work.dir, 'srv'), username: USER, password: PASSWORD });
});

after(async () => {
  await http?.close();
  work?.cleanup();
});

function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(`${USER}:${secret}`).toString('base64')];
}

function assertClean(text: string, what: string, secrets = [PASSWORD, WRONG]) {
  for (const s of secrets) for (const f of forms(s)) assert.ok(!text.includes(f), `${what} leaks a password:\n${text}`);
}

/** Every file the engine may have written under dir (etc/ holds the inputs). */
function filesUnder(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (p !== join(dir, 'etc')) filesUnder(p, out);
    } else if (statSync(p).size < 1_000_000) out.push(p);
  }
  return out;
}

function runCliAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.001' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function makeSite(name: string, url: string, password?: string): string {
  const site = join(work.dir, name);
  mkdirSync(join(site, 'etc'), { recursive: true });
  writeFileSync(join(site, 'etc', 'replication.config'), `[remote "web"]\n  url = ${url}\n  replicationDelay = 0\n  replicationMaxRetries = 1\n  createMissingRepositories = true\n`);
  if (password !== undefined) writeFileSync(join(site, 'etc', 'secure.config'), `[remote "web"]\n  username = ${USER}\n  password = "${password}"\n`);
  makeSourceRepo(join(site, 'git', 'alpha.git'));
  makeSourceRepo(join(site, 'git', 'beta.git'));
  return site;
}

async function runAll(site: string, commands: string[][]) {
  const outputs: string[] = [];
  const results = [];
  const lines: string[] = [];
  // Besides the /proc watcher, a snapshot of every argv while the server holds a request:
  // git and its http helper are alive then for certain, so the check below can fail.
  http.onRequest = () => lines.push(...commandLinesNow());
  try {
    const watch = watchProcesses();
    await watch.ready;
    for (const c of commands) {
      const r = await runCliAsync([...c, '--site', site]);
      outputs.push(`$ ${c.join(' ')}\n${r.stdout}\n${r.stderr}`);
      results.push(r);
    }
    lines.push(...(await watch.stop()).commandLines);
  } finally {
    http.onRequest = undefined;
  }
  for (const line of lines) assertClean(line, `argv "${line}"`);
  assert.ok(lines.some((l) => /remote-http/.test(l)), 'git talked http while the password was in play');
  for (const f of filesUnder(site)) assertClean(readFileSync(f, 'latin1'), f);
  return { results, all: outputs.join('\n') };
}

test('cli secrets: plan, start and list with secure.config credentials never show the password', async () => {
  makeBareRepo(join(work.dir, 'srv', 'alpha.git'));
  const site = makeSite('site-good', `${http.baseUrl}/\${name}.git`, PASSWORD);
  const { results, all } = await runAll(site, [['plan'], ['plan', '--json'], ['start', '--wait', '--now', '--all'], ['list', '--detail'], ['list', '--json']]);
  assertClean(all, 'CLI output');
  const [plan, , start] = results;
  assert.match(plan.stdout, /alpha/);
  assert.match(start.stdout + start.stderr, /Replicate alpha refs .* Succeeded!/);
  assert.equal(refsOf(join(work.dir, 'srv', 'alpha.git')), refsOf(join(site, 'git', 'alpha.git')));
  // beta is missing on the server and plain http has no admin API: an error, but no secret.
  assert.match(start.stdout + start.stderr, /beta/);
});

test('cli secrets: a wrong password gives a clear error and no password anywhere', async () => {
  makeBareRepo(join(work.dir, 'srv', 'gamma.git'));
  const site = makeSite('site-wrong', `${http.baseUrl}/\${name}.git`, WRONG);
  const { results, all } = await runAll(site, [['plan'], ['start', '--wait', '--now', 'alpha']]);
  assertClean(all, 'CLI output');
  assert.equal(results[0].code, 1);
  assert.match(all, /Authentication failed/);
});

test('cli secrets: a password written into the URL is not shown either', async () => {
  makeBareRepo(join(work.dir, 'srv', 'delta', 'alpha.git'));
  const url = `http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${http.port}/delta/\${name}.git`;
  const site = makeSite('site-url', url);
  // `start` without --wait leaves a task in the store for a daemon: it is scanned too.
  const { results, all } = await runAll(site, [['plan'], ['start', '--wait', '--now', 'alpha'], ['start', 'beta'], ['list', '--detail'], ['list', '--json', '--detail']]);
  assertClean(all, 'CLI output');
  assert.equal(refsOf(join(work.dir, 'srv', 'delta', 'alpha.git')), refsOf(join(site, 'git', 'alpha.git')));
  // Listed without the password (the user may or may not be shown).
  assert.match(results[3].stdout, new RegExp(`Url: http://(${USER}@)?127\\.0\\.0\\.1:${http.port}/delta/\\$\\{name\\}\\.git`));
  assert.match(results[3].stdout, /Pending: 1\n {2}\[[0-9a-f]{8}\] push http:\/\/(replicator@)?127\.0\.0\.1:\d+\/delta\/beta\.git/);
});
