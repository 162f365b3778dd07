// One analysis per document version (kind, site layout, parse, resolved view), handed to every
// replication feature: none of them parses the document or works out its kind on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from '../../server/src/replication/analysis';
import { createReplicationModule } from '../../server/src/replication';
import { memoryWorkspace } from '../support/replication-helpers';

const ROOT = join(__dirname, '..', '..', '..');
const REPL = '/site/etc/replication.config';

test('the cache hands out one analysis per URI and version, and a new one when the text, version or kind changes', () => {
  const cache = new AnalysisCache(2);
  const doc = TextDocument.create('file://' + REPL, 'gerrit-replication', 1, '[remote "a"]\n  url = ssh://h/${name}\n');
  const a = cache.of(doc, REPL);
  assert.equal(cache.of(doc, REPL), a);
  assert.equal(a.kind, 'replication');
  assert.equal(a.site.secureConfig, '/site/etc/secure.config');
  assert.deepEqual(a.resolved.remotes.map((g) => g.name), ['a']);
  // Same URI and version, other text (hosts that do not count versions): a fresh parse.
  const other = TextDocument.create(doc.uri, 'gerrit-replication', 1, '[remote "b"]\n  url = ssh://h/${name}\n');
  assert.deepEqual(cache.of(other, REPL).resolved.remotes.map((g) => g.name), ['b']);
  const edited = TextDocument.update(other, [{ text: '[remote "c"]\n' }], 2);
  const c = cache.of(edited, REPL);
  assert.deepEqual(c.resolved.remotes.map((g) => g.name), ['c']);
  assert.equal(cache.of(edited, REPL), c);
  // check --kind: the same file read as another kind is another analysis.
  assert.equal(cache.of(edited, REPL, 'secure').kind, 'secure');
  // Bounded: a third document pushes out the oldest.
  for (const n of ['x', 'y']) cache.of(TextDocument.create(`file:///site/etc/${n}.config`, 'gerrit-replication', 1, ''), `/site/etc/${n}.config`);
  assert.notEqual(cache.of(edited, REPL), c);
});

test('two module instances keep their own analyses; each feature gives the answers it gave before', () => {
  const text = '[remote "a"]\n  url = ssh://h/${name}\n  threads = 2x\n';
  const ws = memoryWorkspace({ [REPL]: text, '/site/etc/secure.config': '[remote "a"]\n  username = u\n' });
  const doc = TextDocument.create('file://' + REPL, 'gerrit-replication', 1, text);
  const ctx = { path: REPL, ws };
  const m1 = createReplicationModule();
  const m2 = createReplicationModule();
  assert.deepEqual(m1.validate(doc, ctx).map((d) => d.code), ['invalid-int']);
  assert.deepEqual(m2.validate(doc, ctx), m1.validate(doc, ctx));
  assert.equal(m1.documentSymbols!(doc, ctx)[0].name, 'a');
  assert.match(JSON.stringify(m1.hover!(doc, { line: 0, character: 2 }, ctx)), /Remote \*\*a\*\*/);
  assert.deepEqual(m1.definition!(doc, { line: 0, character: 10 }, ctx).map((l) => l.uri), ['file:///site/etc/secure.config']);
  assert.deepEqual(m1.prepareRename!(doc, { line: 0, character: 10 }, ctx), { start: { line: 0, character: 9 }, end: { line: 0, character: 10 } });
});

test('no replication feature parses its document or works out its kind and site on its own', () => {
  const dir = join(ROOT, 'server', 'src', 'replication', 'features');
  const offenders: string[] = [];
  for (const f of readdirSync(dir)) {
    const src = readFileSync(join(dir, f), 'utf8');
    for (const pattern of [/parseGitConfig\(\s*doc\.getText\(\)/, /replicationKind\(/, /siteLayout\(/, /resolveConfig\(/]) {
      if (pattern.test(src)) offenders.push(`${f}: ${pattern.source}`);
    }
  }
  assert.deepEqual(offenders, []);
});
