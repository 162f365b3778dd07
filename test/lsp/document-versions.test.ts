// The server's open documents (server/src/lsp/documentVersion.ts, applied by lsp/textSync.ts):
// each change makes a new version whose text and positions are the text-document library's for
// the same changes, and the version before keeps its own text and positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { clampedTextDocuments, clampedUpdate } from '../../server/src/lsp/textSync';
import { DocumentVersion } from '../../server/src/lsp/documentVersion';
import { clampPosition } from '../../server/src/service/lineEnds';

const U = 'file:///site/etc/replication.config';

type Change = { text: string; range?: { start: { line: number; character: number }; end: { line: number; character: number } } };

/** The library's own update (in place), given each range clamped as the server clamps it. */
function libraryUpdate(lib: TextDocument, changes: Change[], version: number): void {
  for (const c of changes) {
    if (!c.range) {
      TextDocument.update(lib, [{ text: c.text }], version);
      continue;
    }
    let start = clampPosition(lib, c.range.start);
    let end = clampPosition(lib, c.range.end);
    if (start.line > end.line || (start.line === end.line && start.character > end.character)) [start, end] = [end, start];
    TextDocument.update(lib, [{ range: { start, end }, text: c.text }], version);
  }
}

/** Everything a caller can ask of a document, at every offset and at a spread of positions. */
function answers(doc: TextDocument) {
  const text = doc.getText();
  const positions = [];
  for (let o = -1; o <= text.length + 1; o++) positions.push(doc.positionAt(o));
  const offsets = [];
  const lines = [];
  for (let line = -1; line <= doc.lineCount + 1; line++) {
    for (const character of [-1, 0, 1, 2, 5, 40]) offsets.push(doc.offsetAt({ line, character }));
    lines.push(doc.getLineRange(line), doc.getEOLCharacters(line));
  }
  const slice = doc.getText({ start: { line: 1, character: 1 }, end: { line: 3, character: 2 } });
  return { text, lineCount: doc.lineCount, positions, offsets, lines, slice };
}

/** A deterministic stream of edits, weighted towards line breaks of every kind. */
function* edits(seed: number, text0: string): Generator<Change> {
  let a = seed >>> 0;
  const rnd = () => {
    a = (Math.imul(a ^ (a >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    return a / 4294967296;
  };
  const pieces = ['\n', '\r\n', '\r', 'x', 'url = a', '\n\n', '\r\r\n', ' ', '', '[remote "b"]\n', '\\\n'];
  let lines = text0.split('\n').length;
  for (;;) {
    const l1 = Math.floor(rnd() * (lines + 2)) - 1;
    const l2 = rnd() < 0.6 ? l1 : l1 + Math.floor(rnd() * 4);
    const c1 = Math.floor(rnd() * 12) - 1;
    const c2 = l2 === l1 ? c1 + Math.floor(rnd() * 4) : Math.floor(rnd() * 12);
    let text = '';
    for (let k = Math.floor(rnd() * 3); k >= 0; k--) text += pieces[Math.floor(rnd() * pieces.length)];
    const full = rnd() < 0.02;
    lines += 2;
    yield full ? { text: `full ${text}\n` } : { range: { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } }, text };
  }
}

test('each change gives the library\'s text and positions, and the version before keeps its own', () => {
  const start = '[remote "a"]\r\n  url = x\n\r\n  push = +refs/*:refs/*\rlast';
  for (let seed = 1; seed <= 12; seed++) {
    const lib = TextDocument.create(U, 'gerrit-replication', 1, start);
    let ours: TextDocument = clampedTextDocuments.create(U, 'gerrit-replication', 1, start);
    assert.ok(ours instanceof DocumentVersion);
    let version = 1;
    const stream = edits(seed, start);
    for (let n = 0; n < 120; n++) {
      const change = stream.next().value!;
      const before: TextDocument = ours;
      const beforeAnswers = answers(before);
      version++;
      libraryUpdate(lib, [change], version);
      ours = clampedUpdate(ours, [change], version);
      const what = `seed ${seed}, edit ${n}: ${JSON.stringify(change)}`;
      assert.notEqual(ours, before, `a new version: ${what}`);
      assert.equal(ours.version, version);
      assert.deepEqual(answers(ours), answers(lib), what);
      assert.deepEqual(answers(before), beforeAnswers, `the version before is unchanged: ${what}`);
    }
  }
});

test('several changes in one notification apply in order, each to the text the one before left', () => {
  const lib = TextDocument.create(U, 'gerrit-replication', 3, 'a\nb\nc\n');
  const changes: Change[] = [
    { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, text: 'B\r\nbb' },
    { range: { start: { line: 2, character: 2 }, end: { line: 9, character: 0 } }, text: '!' },
    { text: 'whole\ntext' },
    { range: { start: { line: 1, character: 99 }, end: { line: 1, character: 99 } }, text: '\r' },
  ];
  libraryUpdate(lib, changes, 4);
  const ours = clampedUpdate(clampedTextDocuments.create(U, 'gerrit-replication', 3, 'a\nb\nc\n'), changes, 4);
  assert.deepEqual(answers(ours), answers(lib));
  assert.equal(ours.getText(), 'whole\ntext\r');
});
