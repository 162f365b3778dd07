// Bad input never breaks the gitolite checks: arbitrary conf and rc text gives diagnostics,
// never an internal error, and every diagnostic range lies inside its file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { scratch } from '../support/helpers';
import { validate } from '../../server/src/formats';
import { diskWorkspace } from '../../server/src/service/workspace';

const WORDS = ['repo', 'RW+', 'R', '-', 'C', '=', '@g', '@all', 'include', 'subconf', '"x.conf"', 'option', 'mirror.master', 'mirror.copies', 'config', 'gitolite.mirror.slaves',
  'desc', '%HOSTNAME', '\\', '#', '"', "'", '=begin', 'testconf', '=end', 'NAME/x', 'refs/heads/', 'u1', 'foo.git', ';', '$x', '\t', '..*'];

test('random gitolite.conf / .gitolite.rc text: no internal errors, ranges inside the file', () => {
  const s = scratch('gr-gl-fuzz-');
  try {
    mkdirSync(join(s.dir, '.gitolite', 'conf'), { recursive: true });
    const conf = join(s.dir, '.gitolite', 'conf', 'gitolite.conf');
    const rc = join(s.dir, '.gitolite.rc');
    writeFileSync(join(s.dir, '.gitolite', 'conf', 'x.conf'), 'repo x\n  RW = u\n');
    const line = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 6 })), { maxLength: 8 }).map((ws) => ws.join(' '));
    const file = fc.array(line, { maxLength: 25 }).map((ls) => ls.join('\n'));
    const rcText = fc.oneof(
      fc.constant("%RC = ( HOSTNAME => 'gl1', ENABLE => [ 'Mirroring', 'continuation-lines' ], GIT_CONFIG_KEYS => '.*' );\n"),
      fc.constant("$GL_HOSTNAME = 'gl1';\n$GL_GITCONFIG_KEYS = 'gitolite.mirror.*';\n"),
      fc.string({ maxLength: 80 }).map((t) => `%RC = ( ${t}`),
    );
    fc.assert(fc.property(file, rcText, (confText, rcT) => {
      writeFileSync(conf, confText);
      writeFileSync(rc, rcT);
      for (const [path, text] of [[conf, confText], [rc, rcT]] as const) {
        const doc = TextDocument.create('file://' + path, 'x', 1, text);
        const ds = validate(doc, { path, ws: diskWorkspace });
        for (const d of ds) {
          assert.notEqual(d.code, 'internal', d.message);
          assert.ok(d.range.start.line >= 0 && d.range.end.line < Math.max(1, doc.lineCount) + 1, JSON.stringify(d.range));
        }
      }
    }), { numRuns: 150, seed: 20261122 });
  } finally {
    s.cleanup();
  }
});
