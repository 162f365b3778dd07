// The TextMate grammar for replication.config / secure.config / etc/replication/*.config,
// checked with vscode-tmgrammar-test against the assertion files in test/grammar/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/helpers';

const GRAMMAR = join(ROOT, 'syntaxes', 'gerrit-replication.tmLanguage.json');
const BIN = join(ROOT, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');

test('package.json contributes the grammar for the files it claims', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'gerrit-replication');
  assert.deepEqual([...lang.filenames].sort(), ['replication.config', 'secure.config']);
  assert.deepEqual(lang.filenamePatterns, ['**/etc/replication/*.config']);
  const grammar = pkg.contributes.grammars.find((g: { language: string }) => g.language === 'gerrit-replication');
  assert.equal(join(ROOT, grammar.path), GRAMMAR);
  assert.equal(JSON.parse(readFileSync(GRAMMAR, 'utf8')).scopeName, grammar.scopeName);
});

test('grammar assertions in test/grammar/*.test.config hold (vscode-tmgrammar-test)', () => {
  const r = spawnSync(process.execPath, [BIN, '--compact', '-g', GRAMMAR, 'test/grammar/*.test.config'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.error, undefined);
  const out = `${r.stdout}\n${r.stderr}`;
  assert.equal(r.status, 0, out);
  // Both files ran: one asserts `;` comments (header uses #), the other `#` comments.
  assert.match(out, /replication\.test\.config/);
  assert.match(out, /secure\.test\.config/);
});
