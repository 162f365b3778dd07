// HTTPS to the real `git http-backend` behind TLS with a throw-away certificate: the
// certificate is checked (refused without its CA), and credentials stay out of argv and output.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { classifyGitFailure } from '../../server/src/engine/transport/gitErrors';
import { runGit } from '../../server/src/engine/transport/gitRun';
import { prepareGit, TransportOptions } from '../../server/src/engine/transport/invocation';
import { scratch } from '../support/helpers';
import { GitHttpServer, selfSignedCertificate, startGitHttpBackend } from '../infra/httpBackend';
import { makeBareRepo, makeSourceRepo, refsOf } from '../infra/gitRepos';
import { watchProcesses } from '../infra/procWatch';

const USER = 'mirror';
const PASSWORD = 'tls-only-p4ss word';

let https: GitHttpServer;
let work: { dir: string; cleanup: () => void };
let root: string;
let source: string;
let certFile: string;

before(async () => {
  work = scratch('gr-https-');
  root = join(work.dir, 'srv');
  source = makeSourceRepo(join(work.dir, 'source.git'));
  const tls = selfSignedCertificate(work.dir);
  certFile = tls.certFile;
  https = await startGitHttpBackend({ projectRoot: root, username: USER, password: PASSWORD, tls });
});

after(async () => {
  await https?.close();
  work?.cleanup();
});

async function push(url: string, o: TransportOptions) {
  const inv = prepareGit(url, o);
  try {
    return await runGit(inv, ['push', '--porcelain', inv.url, 'refs/*:refs/*'], { cwd: source, timeoutMs: 30_000 });
  } finally {
    inv.cleanup();
  }
}

test('https: an unknown certificate is refused', async () => {
  const target = makeBareRepo(join(root, 'untrusted.git'));
  const r = await push(`${https.baseUrl}/untrusted.git`, { credentials: { username: USER, password: PASSWORD } });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /SSL certificate problem|server certificate verification failed/);
  assert.equal(classifyGitFailure(r.stderr), 'connection');
  assert.ok(!r.stderr.includes(PASSWORD));
  assert.equal(refsOf(target), '');
  assert.ok(!https.requests.some((q) => q.path.startsWith('/untrusted.git')), 'no request got past the TLS handshake');
});

test('https: push with basic auth and the server CA; no secret in argv or output', async () => {
  const target = makeBareRepo(join(root, 'a.git'));
  const watch = watchProcesses();
  await watch.ready;
  const r = await push(`${https.baseUrl}/a.git`, { credentials: { username: USER, password: PASSWORD }, sslCaInfo: certFile });
  const seen = await watch.stop();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(refsOf(target), refsOf(source));
  assert.ok(https.requests.some((q) => q.method === 'POST' && q.user === USER));
  for (const c of seen.commandLines) assert.ok(!c.includes(PASSWORD) && !c.includes(encodeURIComponent(PASSWORD)), c);
  assert.ok(!(r.stdout + r.stderr).includes(PASSWORD));
});
