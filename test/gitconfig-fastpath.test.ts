// The parser reads plain values in one sliced pass for speed. It must build exactly the
// document the straightforward character-at-a-time reference builds: same sections, entries,
// values, spans and errors, on thousands of generated files and on the corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigDocument, entriesOf, lastValue, parseGitConfig, subsectionsOf } from '../server/src/gitconfig/parser';
import { parseGitConfigReference } from './gitconfig-reference-parser';
import { generateConfigs } from './gitconfig-generator';
import { readCorpus } from './gitconfig-corpus';

function plain(doc: ConfigDocument) {
  return {
    // The Section interface field by field: the parser builds spans on demand from plain numbers.
    sections: doc.sections.map((s) => ({
      name: s.name,
      subsection: s.subsection,
      legacy: s.legacy,
      header: s.header,
      nameSpan: s.nameSpan,
      subsectionSpan: s.subsectionSpan,
      span: s.span,
      broken: s.broken,
      entries: s.entries.map((e) => doc.entries.indexOf(e)),
    })),
    entries: doc.entries.map((e) => ({
      section: e.section ? doc.sections.indexOf(e.section) : -1,
      key: e.key,
      rawKey: e.rawKey,
      keySpan: e.keySpan,
      value: e.value,
      valueSpan: e.valueSpan,
      span: e.span,
      fullName: e.fullName,
    })),
    errors: doc.errors,
  };
}

test('fast parser builds the same document as the reference parser', () => {
  const texts = [...generateConfigs(424242, 3000), ...readCorpus().map((c) => c.text)];
  // Plus the edges of the fast path: CRLF before and after comments, tabs, EOF without newline.
  texts.push('[a]\r\nb = x\ty \t\r\nc = ; c\r\nd = v # c\r\ne =\r\nf = \t z\t', 'k=v', 'k=', 'k = #', '[s]\nk = a\rb\n');
  for (const text of texts) assert.deepEqual(plain(parseGitConfig(text)), plain(parseGitConfigReference(text)), JSON.stringify(text));
});

test('indexed queries (entriesOf, lastValue, subsectionsOf) answer what a scan of the document answers', () => {
  for (const text of generateConfigs(99, 400)) {
    const doc = parseGitConfig(text);
    const scan = (section: string, sub: string | null | undefined, key: string) =>
      doc.entries.filter((e) => e.section && e.section.name === section && (sub === undefined || e.section.subsection === sub) && e.key === key.toLowerCase());
    const names = new Set(doc.sections.map((s) => s.name));
    const subs = [undefined, null, ...new Set(doc.sections.map((s) => s.subsection))];
    const keys = [...new Set(doc.entries.map((e) => e.rawKey)), 'nosuchkey'];
    for (const name of [...names, 'nosuchsection']) {
      const seen: string[] = [];
      for (const s of doc.sections) if (s.name === name && s.subsection !== null && !seen.includes(s.subsection)) seen.push(s.subsection);
      assert.deepEqual(subsectionsOf(doc, name), seen);
      for (const sub of subs)
        for (const key of keys) {
          const want = scan(name, sub, key);
          assert.deepEqual(entriesOf(doc, name, sub, key), want);
          if (sub !== undefined) assert.equal(lastValue(doc, name, sub, key), want[want.length - 1]);
        }
    }
    // Answers are copies: changing one does not change the next.
    const first = entriesOf(doc, 'remote', undefined, 'url');
    first.length = 0;
    assert.deepEqual(entriesOf(doc, 'remote', undefined, 'url'), scan('remote', undefined, 'url'));
  }
});
