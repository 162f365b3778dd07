// `npm run demo`: the README's main command. On a fresh machine it installs what it needs,
// packages the .vsix, creates a demo site (bare repositories, local mirrors, a
// replication.config with one deliberate mistake) and a demo gitolite home (host gl1 with two
// real gitolite3 copies behind loopback sshds, a gitolite.conf with one deliberate mistake),
// installs code-server into the cache with the .vsix, and serves VS Code on 127.0.0.1 until
// Ctrl-C, with one URL per workspace.
//   --dir=DIR   where the demo site goes (default .cache/demo, recreated on each run)
//   --no-build  skip the tsc/esbuild step (out/ is already built, e.g. under npm test)
//   --check     start, check that the URL answers, stop, exit (also: GIT_REPLICATION_DEMO_CHECK=1)
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { get } from 'node:http';
import { root, ensureSystemPackages, ensureNpmDependencies, build } from './setup.mjs';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const check = process.argv.includes('--check') || process.env.GIT_REPLICATION_DEMO_CHECK === '1';
const dir = resolve(arg('dir') ?? join(root, '.cache', 'demo'));
const say = (m) => console.log(`demo: ${m}`);

ensureSystemPackages();
ensureNpmDependencies();
// tsc + esbuild (the loopback host below runs from out/); --no-build when out/ is already built.
if (!process.argv.includes('--no-build')) build();
// Imported after the npm dependencies exist (package.mjs needs esbuild and vsce).
const { packageExtension } = await import('./package.mjs');
const { createDemoSite } = await import('./demoSite.mjs');
const { ensureCodeServer, startCodeServer } = await import('./codeServer.mjs');
const { createGitoliteDemo } = await import('./demoGitolite.mjs');

say('building and packaging the extension');
const { vsix, bytes } = packageExtension({ out: join(root, '.cache', 'git-replication-demo.vsix') });
say(`${vsix} (${(bytes / 1024).toFixed(0)} KiB)`);

rmSync(dir, { recursive: true, force: true });
// The loopback host: the real `git http-backend` behind basic auth on 127.0.0.1 (ephemeral port),
// the same server the transport tests use (built to out/ by the build step above).
const httpRoot = join(dir, 'mirrors', 'http');
mkdirSync(httpRoot, { recursive: true });
const require = createRequire(import.meta.url);
const { startGitHttpBackend } = require(join(root, 'out', 'test', 'infra', 'httpBackend.js'));
const password = randomBytes(12).toString('hex');
const http = await startGitHttpBackend({ projectRoot: httpRoot, username: 'mirror', password });
const demo = createDemoSite({ dir, loopback: { port: http.port, root: httpRoot, username: 'mirror', password } });
say(`demo site in ${demo.site} (mirrors in ${demo.mirrors}; loopback git host ${http.baseUrl})`);
// The gitolite home: gl1, with its copies gl2 and gl3 on loopback sshds (stopped by their pids).
const gitolite = await createGitoliteDemo({ dir: join(dir, 'gitolite'), root });
say(`gitolite home ${gitolite.home} (copies gl2, gl3: ${gitolite.hosts.copies.map((c) => `127.0.0.1:${c.sshd.port}`).join(', ')})`);

await ensureCodeServer({ log: (m) => say(m) });
const cs = await startCodeServer({ workspace: demo.site, vsix, trust: true });
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  say(`stopping code-server (pid ${cs.pid}), the loopback git host and the gitolite copies' sshds`);
  await cs.stop();
  await http.close();
  await gitolite.hosts.stop();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
cs.child.on('exit', (code) => {
  if (!stopping) {
    console.error(`demo: code-server exited unexpectedly (${code})\n${cs.output().slice(-2000)}`);
    process.exit(1);
  }
});

const gitoliteUrl = `${cs.url}?folder=${encodeURIComponent(gitolite.home)}`;
for (const u of [cs.folderUrl, gitoliteUrl]) {
  const status = await new Promise((res) => get(u, (r) => { r.resume(); res(r.statusCode); }).on('error', () => res(0)));
  if (status !== 200) {
    console.error(`demo: ${u} answered ${status}`);
    await stop(1);
  }
}
console.log(`\nVS Code with the demo site: ${cs.folderUrl}\nVS Code with the gitolite home: ${gitoliteUrl}\n`);
say('open replication.config (etc/), look at the Problems panel, then try the Git Replication view and the command palette.');
say('in the gitolite home, open .gitolite/conf/gitolite.conf: mirror.copy is a key gitolite never reads; the Remotes view shows the copies gl2 and gl3.');
if (check) {
  say('check passed');
  await stop(0);
} else {
  say(`pid ${process.pid}; press Ctrl-C to stop`);
}
