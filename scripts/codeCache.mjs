// Makes V8's code cache for the CLI bundles (see server/src/cli/codeCache.ts): runs each bundle
// once, on a small site with every file kind, with GIT_REPLICATION_WRITE_CODE_CACHE=1, so the
// cache holds the functions a real run compiles. `node scripts/codeCache.mjs DIST` (esbuild.mjs
// runs it after a build). Nothing here touches the network or anything outside a temp folder.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export function makeCodeCache(dist) {
  const cli = join(resolve(dist), 'cli.js');
  const work = mkdtempSync(join(tmpdir(), 'gr-code-cache-'));
  try {
    const site = join(work, 'site');
    const write = (p, text) => {
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, text);
    };
    write(join(site, 'etc', 'replication.config'), `[gerrit]\n  autoReload = true\n[remote "m"]\n  url = ${work}/mirror/\${name}.git\n  push = +refs/heads/*:refs/heads/*\n  threads = 2\n  projects = ^team/.*\n  replicationDelay = 15\n`);
    write(join(site, 'etc', 'secure.config'), '[remote "m"]\n  username = u\n');
    write(join(site, 'etc', 'replication', 'fan.config'), `[remote]\n  url = ${work}/fan/\${name}.git\n`);
    write(join(work, 'admin', 'conf', 'gitolite.conf'), 'repo team/app\n    RW+ = alice\n    option mirror.master = a\n');
    write(join(work, 'admin', '.gitolite.rc'), "%RC = (\n    HOSTNAME => 'a',\n);\n1;\n");
    mkdirSync(join(site, 'git', 'team', 'app.git'), { recursive: true });
    const env = { ...process.env, GIT_REPLICATION_WRITE_CODE_CACHE: '1', GIT_CONFIG_NOSYSTEM: '1' };
    const zero = '0'.repeat(40);
    const runs = [
      { args: ['check', site, join(work, 'admin')] },
      { args: ['hook', 'post-receive', '--site', site], cwd: join(site, 'git', 'team', 'app.git'), input: `${zero} ${'1'.repeat(40)} refs/heads/master\n`, env: { GIT_DIR: '.' } },
      { args: ['list', '--site', site] },
    ];
    for (const r of runs) {
      const p = spawnSync(process.execPath, [cli, ...r.args], { cwd: r.cwd ?? work, input: r.input ?? '', env: { ...env, ...r.env }, encoding: 'utf8' });
      if (p.status === null || p.status > 1) throw new Error(`code cache: ${r.args.join(' ')} exited ${p.status}: ${p.stderr}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) makeCodeCache(process.argv[2] ?? 'dist');
