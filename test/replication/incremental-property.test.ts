// Issue 15 item 7: a property test (fast-check) guarding the incremental validation before it
// is made cheaper. On a generated 5,000-line config (1,200 remotes), a random sequence of edits
// (line inserts from the rule-finding set, deletes, digit changes, remote renames, character
// garbage) is applied; after every edit the live module's diagnostics must equal those of a
// fresh module's full validation of the same text. Shrinking gives the shortest failing sequence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createReplicationModule } from '../../server/src/replication';
import { memoryWorkspace } from '../support/replication-helpers';

const REPL = '/site/etc/replication.config';
const URI = 'file://' + REPL;

function bigText(remotes: number): string {
  const out = ['[gerrit]', '  autoReload = true', '[replication]', '  maxRetries = 3'];
  for (let i = 0; i < remotes; i++) {
    out.push(`[remote "m${i}"]`, `  url = ssh://gerrit@h${i % 7}.example.com/srv/\${name}.git`, '  push = +refs/heads/*:refs/heads/*', `  threads = ${1 + (i % 4)}`);
    if (i % 5 === 0) out.push('  projects = ^team/.*');
  }
  return out.join('\n') + '\n';
}

const LINES = [
  '  threads = 4', '  threads = x', '  url = ssh://h/x.git', '  push = refs/heads/*', '  mirror = maybe', '  replicationDelay = 15s',
  '  bogus = 1', '  projects = ^(bad', '[remote "m3"]', '[remote "new"]', '[remote]', '[gerrit]\n  pushBatchSize = 5',
  '[url "ssh://mirror/"]\n  insteadOf = m:', '# a comment', '', '[unknown]',
];
const PIECES = ['[', ']', '"', '\\', '\n', '#', '=', ' ', 'a', '1'];

// One edit: where (a fraction of the file), what kind, and its operand.
const editArb = fc.record({
  where: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  kind: fc.constantFrom('insert', 'delete', 'digit', 'rename', 'garbage'),
  pick: fc.nat({ max: 1000 }),
});
type Edit = { where: number; kind: string; pick: number };

function apply(text: string, e: Edit): string {
  const lines = text.split('\n');
  const at = Math.floor(e.where * lines.length);
  switch (e.kind) {
    case 'insert': lines.splice(at, 0, LINES[e.pick % LINES.length]); break;
    case 'delete': lines.splice(at, 1 + (e.pick % 3)); break;
    case 'digit': lines[at] = lines[at].replace(/\d/, String(e.pick % 10)); break;
    case 'rename': lines[at] = lines[at].replace(/"m(\d+)"/, `"m${e.pick}"`); break;
    default: {
      const p = Math.floor(e.where * (text.length + 1));
      return text.slice(0, p) + PIECES[e.pick % PIECES.length] + text.slice(p + (e.pick % 4));
    }
  }
  return lines.join('\n');
}

test('on a 5,000-line config, incremental diagnostics equal a full validation after every random edit', () => {
  const start = bigText(1200);
  assert.ok(start.split('\n').length >= 5000);
  const ws = memoryWorkspace({ [REPL]: start });
  fc.assert(fc.property(fc.array(editArb, { minLength: 1, maxLength: 8 }), (edits) => {
    const live = createReplicationModule();
    let text = start;
    live.validate(TextDocument.create(URI, 'gerrit-replication', 1, text), { path: REPL, ws });
    edits.forEach((e, i) => {
      text = apply(text, e);
      const got = live.validate(TextDocument.create(URI, 'gerrit-replication', i + 2, text), { path: REPL, ws });
      const want = createReplicationModule().validate(TextDocument.create(URI, 'gerrit-replication', 1, text), { path: REPL, ws });
      assert.deepEqual(got, want, `after edit ${i + 1} of ${JSON.stringify(edits)}`);
    });
  }), { numRuns: 25, seed: 15_7 });
});
