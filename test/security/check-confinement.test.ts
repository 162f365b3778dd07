// `check` and the language server read nothing outside the site they check (issue 10, D7): a
// symlinked gitolite include, a JGit `[include] path`, secure.config, a fan-out file or a FILE
// argument that leads outside is reported, never read, and a FIFO never makes them hang. Real
// files, the built CLI and the built server over stdio.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, scratch } from '../support/helpers';
import { LspClient } from '../support/lsp-client';

const MARK = 'MARKER_SECRET_7f3a';
const ENV_MARK = 'ENVMARK_c0ffee';
const s = scratch('gr-confine-');
after(() => s.cleanup());

/** A file outside every site, with the secret in forms each parser would quote. */
const secret = join(s.dir, 'outside', 'secret.txt');
mkdirSync(join(s.dir, 'outside'));
writeFileSync(secret, `${MARK}=1\n[remote "${MARK}"]\n  url = ${MARK}\nrepo ${MARK}\n  RW+ = ${MARK}\n[${MARK}\n`);

function fifo(p: string) {
  execFileSync('mkfifo', [p]);
}

/** The CLI with a marker in its environment (what /proc/self/environ would print), killed after 20 s. */
function check(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, GR_TEST_SECRET: ENV_MARK } });
  assert.equal(r.signal, null, `check hung (killed by ${r.signal}): ${r.stderr}`);
  const out = r.stdout + r.stderr;
  assert.ok(!out.includes(MARK), `check printed the outside file:\n${out}`);
  assert.ok(!out.includes(ENV_MARK), `check printed its environment:\n${out}`);
  return { code: r.status, diags: JSON.parse(r.stdout).diagnostics as Array<{ file: string; line: number; code: string; message: string; severity: string }> };
}

const gl = join(s.dir, 'ga');
mkdirSync(join(gl, 'conf'), { recursive: true });
const glConf = 'repo a\n    RW+ = u\ninclude "evil.conf"\ninclude "env.conf"\ninclude "fifo.conf"\ninclude "../../outside/*.conf"\n';
writeFileSync(join(gl, 'conf', 'gitolite.conf'), glConf);
symlinkSync(secret, join(gl, 'conf', 'evil.conf'));
symlinkSync('/proc/self/environ', join(gl, 'conf', 'env.conf'));
fifo(join(gl, 'conf', 'fifo.conf'));
writeFileSync(join(s.dir, 'outside', 'x.conf'), `repo ${MARK}\n  RW+ = ${MARK}\n[${MARK}\n`);

test('gitolite: includes that lead outside conf/ (a file, /proc/self/environ) or are FIFOs are named at the include line, never read', () => {
  const r = check([gl]);
  assert.equal(r.code, 1);
  const got = r.diags.map((d) => `${d.file}:${d.line}:${d.code}`);
  for (const want of ['conf/gitolite.conf:3:gl-include-outside', 'conf/gitolite.conf:4:gl-include-outside', 'conf/gitolite.conf:5:gl-include-not-regular',
    'conf/evil.conf:1:outside-root', 'conf/env.conf:1:outside-root', 'conf/fifo.conf:1:not-regular']) assert.ok(got.includes(want), `${want} missing in ${got.join(', ')}`);
  // A glob outside conf/ lists nothing there: not even the names of the files it would match.
  assert.ok(!r.diags.some((d) => d.message.includes('x.conf')), JSON.stringify(r.diags));
  assert.ok(!got.some((g) => /gl-syntax/.test(g)), got.join(', '));
  // The conf file itself, named as a FILE argument: the same refusals.
  const one = check([join(gl, 'conf', 'gitolite.conf')]);
  assert.deepEqual(one.diags.filter((d) => d.code.startsWith('gl-include')).map((d) => `${d.line}:${d.code}`), ['3:gl-include-outside', '4:gl-include-outside', '5:gl-include-not-regular', '6:gl-include-outside']);
});

test('gitolite: an rc that is a symlink leading out is not read; --rc and FILE arguments that lead out are refused', () => {
  const d = join(s.dir, 'ga-rc');
  mkdirSync(join(d, 'conf'), { recursive: true });
  writeFileSync(join(d, 'conf', 'gitolite.conf'), 'repo a\n    RW+ = u\n');
  writeFileSync(join(s.dir, 'outside', 'rc'), `%RC = ( HOSTNAME => '${MARK}', ${MARK} => ${MARK}( );\n`);
  symlinkSync(join(s.dir, 'outside', 'rc'), join(d, '.gitolite.rc'));
  const r = check([d]);
  assert.ok(r.diags.some((x) => x.file === 'conf/gitolite.conf' && x.code === 'gl-rc-outside'), JSON.stringify(r.diags));
  assert.ok(r.diags.some((x) => x.file === '.gitolite.rc' && x.code === 'outside-root'), JSON.stringify(r.diags));
  const viaRc = check(['--rc', join(d, '.gitolite.rc'), join(d, 'conf', 'gitolite.conf')]);
  assert.ok(viaRc.diags.some((x) => x.code === 'outside-root'), JSON.stringify(viaRc.diags));
  const link = join(d, 'conf', 'link.conf');
  symlinkSync(secret, link);
  assert.deepEqual(check([link]).diags.map((x) => x.code), ['outside-root']);
  assert.deepEqual(check(['--kind', 'gitolite', link]).diags.map((x) => x.code), ['outside-root']);
});

const site = join(s.dir, 'site');
mkdirSync(join(site, 'etc', 'replication'), { recursive: true });
writeFileSync(join(site, 'etc', 'replication.config'), '[include]\n  path = ../../outside/secret.txt\n  path = evil.config\n  path = fifo.config\n  path = env.config\n[gerrit]\n  autoReload = true\n');
symlinkSync(secret, join(site, 'etc', 'evil.config'));
symlinkSync('/proc/self/environ', join(site, 'etc', 'env.config'));
fifo(join(site, 'etc', 'fifo.config'));
symlinkSync(secret, join(site, 'etc', 'secure.config'));
symlinkSync(secret, join(site, 'etc', 'replication', 'leak.config'));
fifo(join(site, 'etc', 'replication', 'pipe.config'));

test('replication: [include] paths, secure.config and fan-out files that lead outside the site or are FIFOs are refused with file:line', () => {
  const r = check([site]);
  assert.equal(r.code, 1);
  const got = r.diags.map((d) => `${d.file}:${d.line}:${d.code}`);
  for (const want of ['etc/replication.config:2:include-outside-site', 'etc/replication.config:3:include-outside-site', 'etc/replication.config:4:include-not-regular',
    'etc/replication.config:5:include-outside-site', 'etc/secure.config:1:outside-root', 'etc/replication/leak.config:1:outside-root', 'etc/replication/pipe.config:1:not-regular'])
    assert.ok(got.includes(want), `${want} missing in ${got.join(', ')}`);
  // Named one by one (a FIFO as a FILE argument must not hang either).
  assert.deepEqual(check([join(site, 'etc', 'secure.config')]).diags.map((d) => d.code), ['outside-root']);
  assert.deepEqual(check([join(site, 'etc', 'replication', 'pipe.config')]).diags.map((d) => d.code), ['not-regular']);
  assert.deepEqual(check(['--kind', 'replication', join(site, 'etc', 'env.config')]).diags.map((d) => d.code), ['outside-root']);
});

test('the walk: a directory symlinked out of the checked tree is reported, not entered; a symlink loop ends', () => {
  const d = join(s.dir, 'walk');
  mkdirSync(join(d, 'a'), { recursive: true });
  mkdirSync(join(s.dir, 'outside', 'etc'), { recursive: true });
  writeFileSync(join(s.dir, 'outside', 'etc', 'replication.config'), `[${MARK}\n`);
  symlinkSync(join(s.dir, 'outside'), join(d, 'a', 'out'));
  symlinkSync('..', join(d, 'a', 'loop'));
  const r = check([d]);
  assert.deepEqual(r.diags.map((x) => `${x.file}:${x.code}:${x.severity}`), ['a/out:outside-root:warning']);
});

test('LSP: the server reads no included file, fan-out file or secure.config outside the site, and a FIFO does not stall it', async () => {
  process.env.GR_TEST_SECRET = ENV_MARK;
  const c = new LspClient({ initializationOptions: { diagnosticsDelay: 0 } });
  delete process.env.GR_TEST_SECRET;
  try {
    await c.initialize(pathToFileURL(s.dir).toString());
    const confUri = pathToFileURL(join(gl, 'conf', 'gitolite.conf')).toString();
    c.open(confUri, glConf);
    const gd = await c.diagnosticsFor(confUri, 1, 20_000);
    assert.deepEqual(gd.diagnostics.filter((d) => String(d.code).startsWith('gl-include')).map((d) => `${d.range.start.line}:${d.code}`),
      ['2:gl-include-outside', '3:gl-include-outside', '4:gl-include-not-regular', '5:gl-include-outside']);
    const repUri = pathToFileURL(join(site, 'etc', 'replication.config')).toString();
    const repText = '[include]\n  path = ../../outside/secret.txt\n  path = evil.config\n  path = fifo.config\n[remote "a"]\n  url = git@h:${name}.git\n';
    c.open(repUri, repText);
    const rd = await c.diagnosticsFor(repUri, 1, 20_000);
    assert.deepEqual(rd.diagnostics.filter((d) => String(d.code).startsWith('include')).map((d) => `${d.range.start.line}:${d.code}`),
      ['1:include-outside-site', '2:include-outside-site', '3:include-not-regular']);
    // Every feature of both documents, and the secure.config that links out.
    const secUri = pathToFileURL(join(site, 'etc', 'secure.config')).toString();
    c.open(secUri, '[remote "a"]\n  password = x\n');
    await c.diagnosticsFor(secUri, 1, 20_000);
    const answers: unknown[] = [];
    for (const uri of [confUri, repUri, secUri]) {
      answers.push(await c.request('textDocument/documentSymbol', { textDocument: { uri } }));
      for (let line = 0; line < 6; line++) {
        answers.push(await c.request('textDocument/hover', { textDocument: { uri }, position: { line, character: 10 } }));
        answers.push(await c.request('textDocument/definition', { textDocument: { uri }, position: { line, character: 10 } }));
        answers.push(await c.request('textDocument/completion', { textDocument: { uri }, position: { line, character: 2 } }));
      }
    }
    const all = JSON.stringify([answers, c.published]) + c.stderr;
    assert.ok(!all.includes(MARK), 'the server showed the outside file');
    assert.ok(!all.includes(ENV_MARK), 'the server showed its environment');
    assert.ok(c.alive);
  } finally {
    c.kill();
  }
});
