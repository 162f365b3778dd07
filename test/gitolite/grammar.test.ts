// The TextMate grammar for gitolite.conf, checked with vscode-tmgrammar-test against
// test/grammar/*.test.conf, and the manifest entries that attach it to the right files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/helpers';

const GRAMMAR = join(ROOT, 'syntaxes', 'gitolite.tmLanguage.json');
const BIN = join(ROOT, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');

test('package.json claims gitolite.conf, conf/**/*.conf of an admin tree or home, and .gitolite.rc', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'gitolite');
  assert.deepEqual(lang.filenames, ['gitolite.conf']);
  assert.deepEqual(lang.filenamePatterns, ['**/gitolite-admin/conf/**/*.conf', '**/.gitolite/conf/**/*.conf']);
  assert.equal(lang.extensions, undefined, 'never claim .conf by extension: that would fight the ini extension everywhere');
  const rc = pkg.contributes.languages.find((l: { id: string }) => l.id === 'gitolite-rc');
  assert.deepEqual(rc.filenames, ['.gitolite.rc']);
  for (const id of ['gitolite', 'gitolite-rc']) {
    const g = pkg.contributes.grammars.find((x: { language: string }) => x.language === id);
    assert.equal(JSON.parse(readFileSync(join(ROOT, g.path), 'utf8')).scopeName, g.scopeName);
  }
});

test('grammar assertions in test/grammar/*.test.conf hold (vscode-tmgrammar-test)', () => {
  const r = spawnSync(process.execPath, [BIN, '--compact', '-g', GRAMMAR, 'test/grammar/*.test.conf'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.error, undefined);
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, out);
  assert.match(out, /gitolite\.test\.conf/);
});

test('a wrong scope assertion fails (the harness can fail)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gr-gl-grammar-'));
  try {
    writeFileSync(join(dir, 'bad.test.conf'), ';; SYNTAX TEST "source.gitolite" "negative control"\nrepo foo\n;; <- storage.modifier.permission.gitolite\n');
    const r = spawnSync(process.execPath, [BIN, '--compact', '-g', GRAMMAR, join(dir, 'bad.test.conf')], { cwd: ROOT, encoding: 'utf8' });
    assert.notEqual(r.status, 0, r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
