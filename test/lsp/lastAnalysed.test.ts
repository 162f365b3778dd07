// Which older version a request may be answered from while the new one is being analysed
// (server/src/lsp/lastAnalysed.ts): only one whose lines the edits since did not move, and only
// for a line they did not touch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LastAnalysed } from '../../server/src/lsp/lastAnalysed';

const U = 'file:///x/etc/replication.config';
const at = (line: number, a: number, b: number, text: string) => ({ range: { start: { line, character: a }, end: { line, character: b } }, text });

test('an edit within one line leaves the other lines answerable from the older version, not that line', () => {
  const l = new LastAnalysed<string>();
  l.analysed(U, 1, 'v1');
  assert.equal(l.olderFor(U, 1, 5), undefined, 'the same version: answered on itself');
  l.changed(U, at(3, 2, 3, 'a'));
  l.changed(U, at(7, 0, 4, ''));
  assert.equal(l.olderFor(U, 3, 5), 'v1');
  assert.equal(l.olderFor(U, 3, 3), undefined);
  assert.equal(l.olderFor(U, 3, 7), undefined);
  assert.equal(l.olderFor('file:///other', 3, 5), undefined);
});

test('an edit that adds or removes a line break, spans lines or replaces the whole text makes the older version unusable', () => {
  for (const change of [at(3, 2, 3, 'a\nb'), at(3, 2, 3, '\r'), { range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }, text: '' }, { text: 'all new' }]) {
    const l = new LastAnalysed<string>();
    l.analysed(U, 1, 'v1');
    l.changed(U, change);
    assert.equal(l.olderFor(U, 2, 10), undefined, JSON.stringify(change));
    // A newer analysed version starts afresh.
    l.analysed(U, 2, 'v2');
    l.changed(U, at(3, 0, 0, 'x'));
    assert.equal(l.olderFor(U, 3, 10), 'v2');
  }
});

test('an older version never replaces a newer one; a closed document is forgotten', () => {
  const l = new LastAnalysed<string>();
  l.analysed(U, 5, 'v5');
  l.analysed(U, 4, 'v4');
  l.changed(U, at(0, 0, 0, 'x'));
  assert.equal(l.olderFor(U, 6, 1), 'v5');
  l.forget(U);
  assert.equal(l.olderFor(U, 6, 1), undefined);
});
