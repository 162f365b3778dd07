import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/helpers';
import { KEY_MARKER, RULES_END, RULES_START, updateReadme } from '../../server/src/docs/readme';
import { REPLICATION_CATALOG } from '../../server/src/catalog/keyCatalog';
import { RULES } from '../../server/src/replication/checks/replicationRules';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

test('README key reference and diagnostics table are up to date (run `npm run docs`)', () => {
  assert.equal(updateReadme(readme), readme, 'README.md is out of date: run `npm run docs`');
});

test('the generated reference names every key and every rule', () => {
  const ref = readme.slice(readme.indexOf(KEY_MARKER));
  for (const s of REPLICATION_CATALOG.sections) for (const k of s.keys) assert.ok(ref.includes(`| \`${k.name}\` |`), `${s.name}.${k.name}`);
  const table = readme.slice(readme.indexOf(RULES_START), readme.indexOf(RULES_END, readme.indexOf(RULES_START)));
  for (const code of Object.keys(RULES)) assert.ok(table.includes(`| \`${code}\` |`), code);
});

test('a stale or hand-edited reference is replaced, and text after it is kept', () => {
  const stale = readme.replace('| `replicateOnStartup` | bool |', '| `replicateOnStartup` | int |');
  assert.notEqual(updateReadme(stale), stale);
  assert.equal(updateReadme(stale), readme);
  const withTail = updateReadme(readme + '\n## Later section\n\nkept\n');
  assert.ok(withTail.endsWith('\n## Later section\n\nkept\n'));
  assert.throws(() => updateReadme('# no markers\n'), /marker/);
});
