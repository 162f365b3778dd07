// reparseGitConfig re-reads only the sections an edit touches. Whatever the edit, the document
// it builds must be the one a full parse of the new text builds: same sections, entries, values,
// spans, errors and entry table, over random edits of generated files (every oddity git's parser
// knows) and edits that make and break headers, quotes and continuations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigDocument, parseGitConfig, reparseGitConfig, type ParsedConfig } from '../../server/src/gitconfig/parser';
import { jgitReadAfter, jgitReadOf } from '../../server/src/gitconfig/jgitRead';
import { generateConfigs, prng } from '../support/gitconfig-generator';

function plain(doc: ParsedConfig) {
  const d: ConfigDocument = doc;
  return {
    sections: d.sections.map((s) => ({
      name: s.name, subsection: s.subsection, legacy: s.legacy, header: s.header, nameSpan: s.nameSpan,
      subsectionSpan: s.subsectionSpan, span: s.span, broken: s.broken,
      entries: s.entries.map((e) => [e.key, e.value, e.span]),
      first: doc.firstEntryOf(s), end: doc.endEntryOf(s),
    })),
    entries: d.entries.map((e) => ({ section: e.section ? d.sections.indexOf(e.section) : -1, key: e.key, rawKey: e.rawKey, keySpan: e.keySpan, value: e.value, valueSpan: e.valueSpan, span: e.span, fullName: e.fullName })),
    table: Array.from({ length: doc.entryCount }, (_, i) => [doc.keyOf(i), doc.valueOf(i), d.sections.indexOf(doc.sectionOf(i)!)]),
    errors: d.errors,
  };
}

// Pieces an edit inserts: what opens and closes headers, quotes, comments and continuations.
const PIECES = ['[', ']', '"', '\\', '\n', '\r\n', '\r', '#', ';', '=', ' ', '\t', 'a', 'Z', '1', '-', '.', '[remote "x"]\n', '[gerrit]', '\n[a]\n', 'url = v\n', ' = ', '\\\n', '"\n', 'k\n', '\0', 'é'];

function edit(rnd: () => number, text: string): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const cut = rnd() < 0.5 ? 0 : Math.floor(rnd() * Math.min(40, text.length - at + 1));
  let ins = '';
  for (let n = Math.floor(rnd() * 4); n > 0; n--) ins += PIECES[Math.floor(rnd() * PIECES.length)];
  return text.slice(0, at) + ins + text.slice(at + cut);
}

test('a re-parse after an edit builds the document a full parse builds', () => {
  const rnd = prng(20261203);
  let reused = 0;
  let runs = 0;
  const clean = Array.from({ length: 100 }, (_, n) => Array.from({ length: 1 + (n % 9) }, (_, i) => `[remote "r${i}"]\n  url = ssh://h/\${name}\n  threads = ${i}\n`).join(''));
  for (const start of [...generateConfigs(31337, 400), ...clean]) {
    let prev = parseGitConfig(start);
    for (let step = 0; step < 8; step++) {
      const text = edit(rnd, prev.text);
      if (text === prev.text) continue;
      const full = parseGitConfig(text);
      const was = plain(prev);
      const re = reparseGitConfig(prev, text);
      runs++;
      if (re) {
        assert.deepEqual(plain(re.parsed), plain(full), JSON.stringify({ before: prev.text, after: text }));
        // The new parse shares the old one's columns: the old one still reads as it did.
        assert.deepEqual(plain(prev), was);
        // JGit's reading, decided from the re-read lines when the old file read as git's.
        jgitReadOf(prev);
        jgitReadAfter(prev, re.parsed, re.splice);
        assert.deepEqual(jgitReadOf(re.parsed), jgitReadOf(full), JSON.stringify({ before: prev.text, after: text }));
        const { splice } = re;
        // What the splice says was kept is the same, section by section.
        assert.equal(splice.oldSectionEnd - splice.firstSection + (full.sections.length - prev.sections.length), splice.newSectionEnd - splice.firstSection);
        if (splice.newSectionEnd < full.sections.length) reused++;
        prev = re.parsed;
      } else prev = full;
    }
  }
  // Many edits leave sections after them to reuse (the generated files are small, and a
  // random edit often breaks a quote or header that runs to the end): the re-parse is partial.
  assert.ok(reused > runs / 8, `${reused} of ${runs} re-parses reused later sections`);
});

// Typing in one block lays each version's re-read entries over the same shared columns; an edit
// elsewhere copies them once. Every version must read as a full parse of its text, and the
// versions before it must still read as they did.
test('typing in one block, then in another, re-parses to what a full parse builds, and leaves the old versions intact', () => {
  let text = '';
  for (let i = 0; i < 300; i++) text += `[remote "m${i}"]\n  url = ssh://h/\${name}.git\n  threads = ${i % 8}\n`;
  const versions: Array<{ parsed: ParsedConfig; plain: ReturnType<typeof plain> }> = [];
  let prev = parseGitConfig(text);
  versions.push({ parsed: prev, plain: plain(prev) });
  const typeAt = (block: string, pieces: string[]) => {
    for (const piece of pieces) {
      const at = prev.text.indexOf('\n', prev.text.indexOf(block)) ; // end of the header line
      const next = prev.text.slice(0, at) + piece + prev.text.slice(at);
      const re = reparseGitConfig(prev, next)!;
      assert.ok(re, piece);
      assert.deepEqual(plain(re.parsed), plain(parseGitConfig(next)), JSON.stringify(piece));
      prev = re.parsed;
      versions.push({ parsed: prev, plain: plain(prev) });
    }
  };
  // Keys typed after a header: entries appear and grow, so the ones after move in number.
  typeAt('[remote "m150"]', ['\n', ' ', ' ', 'p', 'u', 's', 'h', ' = ', 'x', '\n  mirror', ' = true']);
  typeAt('[remote "m20"]', ['\n  threads = 3', '4']);
  typeAt('[remote "m299"]', ['\n  bogus']);
  typeAt('[remote "m150"]', ['\n  timeout = 1']);
  for (const v of versions) assert.deepEqual(plain(v.parsed), v.plain);
});

test('a re-parse of a big file re-reads the edited section only', () => {
  let text = '';
  for (let i = 0; i < 500; i++) text += `[remote "m${i}"]\n  url = ssh://h/\${name}.git\n  threads = ${i % 8}\n`;
  const prev = parseGitConfig(text);
  const at = text.indexOf('threads = 3', text.indexOf('[remote "m251"]'));
  const next = text.slice(0, at) + 'threads = 4' + text.slice(at + 'threads = 3'.length);
  const re = reparseGitConfig(prev, next)!;
  assert.deepEqual(plain(re.parsed), plain(parseGitConfig(next)));
  assert.deepEqual([re.splice.firstSection, re.splice.oldSectionEnd, re.splice.newSectionEnd], [251, 252, 252]);
  // An edit that removes a header joins two sections into one, and reads the rest as before.
  const h = next.indexOf('[remote "m300"]');
  const joined = next.slice(0, h) + 'x' + next.slice(h + 1);
  const j = reparseGitConfig(re.parsed, joined)!;
  assert.deepEqual(plain(j.parsed), plain(parseGitConfig(joined)));
  assert.deepEqual([j.splice.firstSection, j.splice.oldSectionEnd, j.splice.newSectionEnd], [299, 301, 300]);
  // Before the first header there is nothing to resume from: a full parse.
  assert.equal(reparseGitConfig(prev, 'x' + text), undefined);
});

test('a long run of edits that each type a new value ends in a full parse, not in a table that only grows', () => {
  // A parse and the re-parses of its edits share one table of key and value strings; each new
  // value an edit types stays in it. After enough of them reparseGitConfig declines (the host
  // then parses afresh), so a long session does not keep every value it ever typed.
  const head = '[gerrit]\n\tautoReload = true\n[remote "a"]\n\turl = ';
  let prev: ParsedConfig = parseGitConfig(`${head}v0\n`);
  let declined = -1;
  for (let i = 1; i <= 100_000 && declined < 0; i++) {
    const text = `${head}v${i}\n`;
    const re = reparseGitConfig(prev, text);
    if (!re) {
      declined = i;
      prev = parseGitConfig(text);
      break;
    }
    if (i % 5000 === 0) assert.deepEqual(plain(re.parsed), plain(parseGitConfig(text)), `edit ${i}`);
    prev = re.parsed;
  }
  assert.ok(declined > 1000 && declined < 100_000, `declined at edit ${declined}`);
  // The fresh parse reads on as before.
  const re = reparseGitConfig(prev, `${head}w\n`);
  assert.ok(re);
  assert.equal(re.parsed.valueOf(1), 'w');
});
