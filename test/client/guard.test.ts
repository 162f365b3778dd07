// The ref deletion guard in the editor: gitReplication.refDeletionGuard is a contributed setting
// (the server reads it; before, only an undocumented initialization option), its schema accepts
// exactly what the engine parses, every setting is documented, and the modal that answers the
// server's needsConfirmation names every target and ref it would delete, without credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { guardQuestion } from '../../client/src/models/guardText';
import { DEFAULT_DELETION_GUARD, describeGuard, parseDeletionGuard } from '../../server/src/engine/preview/deletionGuard';
import { ROOT } from '../support/helpers';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const props: Record<string, { default?: unknown; pattern?: string }> = pkg.contributes.configuration.properties;

test('package.json declares gitReplication.refDeletionGuard with the engine\'s default, and its pattern accepts what the engine parses', () => {
  const g = props['gitReplication.refDeletionGuard'];
  assert.ok(g, 'the setting is contributed');
  assert.equal(describeGuard(parseDeletionGuard(String(g.default))), describeGuard(DEFAULT_DELETION_GUARD));
  const re = new RegExp(g.pattern!);
  for (const v of ['10,50%', 'off', '5', '0', '50%', '50%,3', ' 10 , 50% ', 'x', '10,50', '10%,50%', '5,5', '1,2,3%', '']) {
    let parses = true;
    try {
      parseDeletionGuard(v);
    } catch {
      parses = false;
    }
    // An empty value parses nowhere useful: the server falls back to the environment; the schema flags it.
    if (v === '') parses = false;
    assert.equal(re.test(v), parses, `pattern vs engine on ${JSON.stringify(v)}`);
  }
});

test('every contributed setting has a row in docs/vscode.md', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'vscode.md'), 'utf8');
  for (const key of Object.keys(props)) assert.match(doc, new RegExp(`^\\| \`${key.replace(/\./g, '\\.')}\` \\|`, 'm'), key);
});

test('the mass-deletion question lists every target and ref, the guard, and no credentials', () => {
  const deletes = Array.from({ length: 23 }, (_v, i) => `refs/heads/b${i}`);
  const q = guardQuestion('Replicating alpha', {
    guard: "more than 10 ref(s) or more than 50% of the mirror's refs",
    targets: [
      { project: 'alpha', remote: 'local', url: 'https://bot:s3cret@h/alpha.git', deletes, mirrorRefs: 30 },
      { project: 'beta', remote: 'local', url: '/m/beta.git', deletes: ['refs/heads/x'], mirrorRefs: 1 },
    ],
  });
  assert.equal(q.message, 'Replicating alpha: mass deletion. 2 targets would delete 24 refs, more than the ref deletion guard allows.');
  assert.equal(q.action, 'Delete 24 refs and push');
  const lines = q.detail.split('\n');
  assert.equal(lines[0], 'alpha → https://h/alpha.git (remote local): delete 23 of 30 refs on the mirror');
  assert.equal(lines[1], '  refs/heads/b0');
  assert.ok(lines.includes('  … and 3 more'));
  assert.ok(lines.includes('beta → /m/beta.git (remote local): delete 1 of 1 ref on the mirror'));
  assert.match(q.detail, /stops a push that deletes more than 10 ref\(s\) or more than 50% of the mirror's refs\. Nothing has been pushed yet\./);
  assert.ok(!JSON.stringify(q).includes('s3cret'));
});
