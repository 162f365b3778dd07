// A cold `check` and the post-receive hook (which git waits for on every push) load only the
// node modules their work needs: no child processes, sockets or readline (writing to a piped
// stdout would load net by itself, so the runs measured print nothing). Each run is the real
// dist/cli.js in a fresh node, with a preload that writes the modules node loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, scratch } from '../support/helpers';

/** Runs the CLI with `args`; returns its exit code and the node built-in modules it loaded. */
function loaded(dir: string, args: string[], o: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): { code: number | null; stderr: string; modules: string[] } {
  const preload = join(dir, 'preload.js');
  const out = join(dir, 'modules.txt');
  writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, process.moduleLoadList.join('\\n')));\n`);
  const r = spawnSync(process.execPath, ['-r', preload, CLI, ...args], { cwd: o.cwd ?? dir, input: o.input ?? '', encoding: 'utf8', env: { ...process.env, ...o.env } });
  const modules = readFileSync(out, 'utf8').split('\n').filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  return { code: r.status, stderr: r.stderr, modules };
}

const HEAVY = ['child_process', 'internal/child_process', 'net', 'dgram', 'readline', 'fs/promises', 'tty'];

test('post-receive stores its task without loading child_process, net, readline, tty or fs/promises', () => {
  const s = scratch();
  try {
    const site = join(s.dir, 'site');
    mkdirSync(join(site, 'etc'), { recursive: true });
    writeFileSync(join(site, 'etc', 'replication.config'), `[remote "m"]\n  url = ${s.dir}/mirror/\${name}.git\n  replicationDelay = 15\n`);
    const repo = join(site, 'git', 'team', 'app.git');
    mkdirSync(repo, { recursive: true });
    const r = loaded(s.dir, ['hook', 'post-receive', '--site', site], { cwd: repo, env: { GIT_DIR: '.' }, input: `${'0'.repeat(40)} ${'1'.repeat(40)} refs/heads/master\n` });
    assert.equal(r.code, 0, r.stderr);
    // It still did its work: one task, waiting for the daemon.
    const waiting = join(site, 'data', 'replication', 'ref-updates', 'waiting');
    assert.equal(readdirSync(waiting).length, 1);
    assert.match(readFileSync(join(waiting, readdirSync(waiting)[0]), 'utf8'), /"project":"team\/app","refs":\["refs\/heads\/master"\]/);
    assert.deepEqual(r.modules.filter((m) => HEAVY.includes(m)), []);
  } finally {
    s.cleanup();
  }
});

test('check of a clean Gerrit site loads no child_process, net, readline, tty or fs/promises', () => {
  const s = scratch();
  try {
    mkdirSync(join(s.dir, 'etc'));
    const config = join(s.dir, 'etc', 'replication.config');
    writeFileSync(config, '[remote "a"]\n  url = ssh://h/${name}.git\n  2bad = 1\n');
    assert.equal(loaded(s.dir, ['check', s.dir]).code, 1); // it does check: the bad key is an error
    writeFileSync(config, '[remote "a"]\n  url = ssh://h/${name}.git\n');
    const r = loaded(s.dir, ['check', s.dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.modules.filter((m) => HEAVY.includes(m)), []);
  } finally {
    s.cleanup();
  }
});
