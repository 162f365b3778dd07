// The parser reads plain values in one sliced pass for speed. It must build exactly the
// document the straightforward character-at-a-time reference builds: same sections, entries,
// values, spans and errors, on thousands of generated files and on the corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigDocument, entriesOf, Entry, lastValue, parseGitConfig, Section, subsectionsOf } from '../../server/src/gitconfig/parser';
import { parseGitConfigReference } from '../support/gitconfig-reference-parser';
import { generateConfigs } from '../support/gitconfig-generator';
import { readCorpus } from '../support/gitconfig-corpus';

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

test('entries by number (EntryTable) agree with the Entry objects, in any order of use', () => {
  const texts = [...generateConfigs(7, 300), ...readCorpus().map((c) => c.text), 'k = 1\n[a]\nb = 2', '', '[a]\n[b]\n[c]\nx'];
  for (const text of texts) {
    // Ask by number first (nothing built yet), then build everything and compare.
    const doc = parseGitConfig(text);
    const byNumber: Array<{ key: string; value: string | null; section: Section | null; entry: Entry }> = [];
    for (let i = doc.entryCount - 1; i >= 0; i--) byNumber[i] = { key: doc.keyOf(i), value: doc.valueOf(i), section: doc.sectionOf(i), entry: doc.entry(i) };
    const fresh = parseGitConfig(text).entries;
    assert.equal(doc.entries.length, doc.entryCount, JSON.stringify(text));
    assert.equal(fresh.length, doc.entryCount);
    doc.entries.forEach((e, i) => {
      assert.equal(e, byNumber[i].entry, 'the same object every time');
      assert.equal(e, doc.entry(i));
      assert.equal(byNumber[i].key, e.key);
      assert.equal(byNumber[i].value, e.value);
      assert.equal(byNumber[i].section, e.section);
      assert.equal(JSON.stringify(e), JSON.stringify(fresh[i]));
    });
    for (const s of doc.sections) {
      assert.deepEqual(s.entries, doc.entries.slice(doc.firstEntryOf(s), doc.endEntryOf(s)));
      for (const e of s.entries) assert.equal(e.section, s);
    }
    assert.throws(() => parseGitConfig(text).entry(doc.entryCount), RangeError);
  }
});
