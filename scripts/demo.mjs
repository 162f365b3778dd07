// `npm run demo`: the README's main command. On a fresh machine it installs what it needs,
// packages the .vsix, creates a demo site (bare repositories, local mirrors, a
// replication.config with one deliberate mistake), installs code-server into the cache with the
// .vsix, and serves VS Code on 127.0.0.1 until Ctrl-C.
//   --dir=DIR   where the demo site goes (default .cache/demo, recreated on each run)
//   --check     start, check that the URL answers, stop, exit (also: GIT_REPLICATION_DEMO_CHECK=1)
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { get } from 'node:http';
import { root, ensureSystemPackages, ensureNpmDependencies } from './setup.mjs';

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const check = process.argv.includes('--check') || process.env.GIT_REPLICATION_DEMO_CHECK === '1';
const dir = resolve(arg('dir') ?? join(root, '.cache', 'demo'));
const say = (m) => console.log(`demo: ${m}`);

ensureSystemPackages();
ensureNpmDependencies();
// Imported after the npm dependencies exist (package.mjs needs esbuild and vsce).
const { packageExtension } = await import('./package.mjs');
const { createDemoSite } = await import('./demoSite.mjs');
const { ensureCodeServer, startCodeServer } = await import('./codeServer.mjs');

say('building and packaging the extension');
const { vsix, bytes } = packageExtension({ out: join(root, '.cache', 'git-replication-demo.vsix') });
say(`${vsix} (${(bytes / 1024).toFixed(0)} KiB)`);

rmSync(dir, { recursive: true, force: true });
const demo = createDemoSite({ dir });
say(`demo site in ${demo.site} (mirrors in ${demo.mirrors})`);

await ensureCodeServer({ log: (m) => say(m) });
const cs = await startCodeServer({ workspace: demo.site, vsix, trust: true });
let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  say(`stopping code-server (pid ${cs.pid})`);
  await cs.stop();
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

const status = await new Promise((res) => get(cs.folderUrl, (r) => { r.resume(); res(r.statusCode); }).on('error', () => res(0)));
if (status !== 200) {
  console.error(`demo: ${cs.folderUrl} answered ${status}`);
  await stop(1);
}
console.log(`\nVS Code with the demo site: ${cs.folderUrl}\n`);
say('open replication.config (etc/), look at the Problems panel, then try the Git Replication view and the command palette.');
if (check) {
  say('check passed');
  await stop(0);
} else {
  say('press Ctrl-C to stop');
}
