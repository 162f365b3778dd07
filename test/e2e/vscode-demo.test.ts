// `npm run demo` end to end, run through npm as the README says: it serves VS Code with the demo
// site and the demo gitolite home on 127.0.0.1, both answer, and SIGINT sent to the npm process
// stops code-server and the gitolite copies' sshds too (npm 11 forwards it to its child; without
// `exec` in the script, sh swallowed it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ROOT, scratch } from '../support/helpers';

const listening = (port: number) => new Promise<boolean>((res) => {
  const c = connect(port, '127.0.0.1', () => {
    c.destroy();
    res(true);
  }).on('error', () => res(false));
});

const status = (url: string) => new Promise<number>((res) => {
  get(url, (r) => {
    r.resume();
    res(r.statusCode ?? 0);
  }).on('error', () => res(0));
});

test('npm run demo serves the demo site in VS Code and stops on Ctrl-C', async () => {
  const { dir, cleanup } = scratch('gr-demo-test-');
  const child = spawn('npm', ['run', '--silent', 'demo', '--', `--dir=${dir}`, '--no-build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 180 s:\n${out}`)), 180000);
      child.stdout.on('data', () => {
        const m = /VS Code with the demo site: (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`demo exited (${code}) before printing the URL:\n${out}`)));
    });
    assert.equal(await status(url), 200);
    const config = readFileSync(join(dir, 'site', 'etc', 'replication.config'), 'utf8');
    assert.match(config, /replicationDelay = 15s/, 'the deliberate mistake is in the demo config');
    for (const p of ['alpha.git', 'beta.git', 'tools/gamma.git']) assert.ok(existsSync(join(dir, 'site', 'git', p)), p);
    assert.ok(existsSync(join(dir, 'mirrors', 'local', 'alpha.git')));
    // The loopback host answers git's smart HTTP (with the demo's credentials from secure.config).
    const loopback = /url = (http:\/\/127\.0\.0\.1:\d+\/)\$\{name\}\.git/.exec(config)![1];
    const secure = readFileSync(join(dir, 'site', 'etc', 'secure.config'), 'utf8');
    const password = /password = (\S+)/.exec(secure)![1];
    const refs = await new Promise<number>((res) => {
      get(`${loopback}beta.git/info/refs?service=git-receive-pack`, { headers: { authorization: `Basic ${Buffer.from(`mirror:${password}`).toString('base64')}` } }, (r) => {
        r.resume();
        res(r.statusCode ?? 0);
      }).on('error', () => res(0));
    });
    assert.equal(refs, 200, 'the loopback git host accepts the demo credentials');
    // The gitolite home: its own URL, a conf with the deliberate mistake, copies that answer ssh.
    const glUrl = /VS Code with the gitolite home: (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out)![1];
    assert.equal(await status(glUrl), 200);
    assert.match(decodeURIComponent(glUrl), new RegExp(`folder=${join(dir, 'gitolite', 'gl1')}$`));
    assert.match(readFileSync(join(dir, 'gitolite', 'gl1', '.gitolite', 'conf', 'gitolite.conf'), 'utf8'), /option mirror\.copy = gl2/);
    const ports = /copies gl2, gl3: 127\.0\.0\.1:(\d+), 127\.0\.0\.1:(\d+)/.exec(out)!.slice(1).map(Number);
    for (const p of ports) assert.equal(await listening(p), true, `the sshd of a copy listens on ${p}`);
    const demoPid = Number(/demo: pid (\d+)/.exec(out)?.[1]);
    assert.ok(demoPid > 0, `the demo names its pid:\n${out}`);
    child.kill('SIGINT');
    const gone = await Promise.race([exited, new Promise<'still running'>((res) => setTimeout(() => res('still running'), 60_000).unref())]);
    assert.equal(gone, 0, `npm run demo after SIGINT:\n${out}`);
    assert.equal(await status(url), 0, 'code-server is gone after SIGINT to npm');
    assert.ok(!existsSync(`/proc/${demoPid}`), 'the demo process is gone');
    for (const p of ports) assert.equal(await listening(p), false, `the sshd on ${p} is gone after SIGINT to npm`);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    // npm killed, its child would live on: stop the demo by its own pid (it stops code-server).
    const demoPid = Number(/demo: pid (\d+)/.exec(out)?.[1]);
    if (demoPid > 0 && existsSync(`/proc/${demoPid}`)) process.kill(demoPid, 'SIGTERM');
    cleanup();
  }
});
