import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY_MARKER, RULES_END, RULES_START, updateDocs } from '../../server/src/docs/generatedDocs';
import { allDocs, editDocs, readDocs } from '../support/docs';
import { REPLICATION_CATALOG } from '../../server/src/catalog/keyCatalog';
import { RULES } from '../../server/src/replication/checks/replicationRules';

const docs = readDocs();
const readme = allDocs(docs);

test('the key reference and diagnostics table are up to date (run `npm run docs`)', () => {
  assert.deepEqual(updateDocs(docs), docs, 'the docs are out of date: run `npm run docs`');
});

test('the generated reference names every key and every rule', () => {
  const ref = readme.slice(readme.indexOf(KEY_MARKER));
  for (const s of REPLICATION_CATALOG.sections) for (const k of s.keys) assert.ok(ref.includes(`| \`${k.name}\` |`), `${s.name}.${k.name}`);
  const table = readme.slice(readme.indexOf(RULES_START), readme.indexOf(RULES_END, readme.indexOf(RULES_START)));
  for (const code of Object.keys(RULES)) assert.ok(table.includes(`| \`${code}\` |`), code);
});

test('a stale or hand-edited reference is replaced, and text after it is kept', () => {
  const stale = editDocs(docs, '| `replicateOnStartup` | bool |', '| `replicateOnStartup` | int |');
  assert.notDeepEqual(stale, docs);
  assert.deepEqual(updateDocs(stale), docs);
  const keys = 'docs/keys.md';
  const withTail = updateDocs({ ...docs, [keys]: docs[keys] + '\n## Later section\n\nkept\n' });
  assert.ok(withTail[keys].endsWith('\n## Later section\n\nkept\n'));
  assert.throws(() => updateDocs({ 'README.md': '# no markers\n' }), /marker/);
});
