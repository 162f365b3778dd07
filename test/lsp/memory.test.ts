// Bounded memory in the real server (issue 10, item 4): five 4 MB replication.config files open,
// then rounds of "a one-character edit to one document, and at once an outline of another",
// the work that drove the peak over 300 MB (BENCHMARKS.md, "Where the peak RSS comes from").
// The answers must stay right, and the server's peak resident memory (VmHWM, from /proc) must
// stay within 300 MB. Memory, not time: nothing here depends on how fast the machine is.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, DocumentSymbol } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';
import { ROOT, scratch } from '../support/helpers';

const importEsm = new Function('u', 'return import(u)') as (u: string) => Promise<any>;
const DOCS = 5;
const REMOTES = 11_500; // ≈ 4.2 MB each, as in `npm run bench:bounded`
const ROUNDS = 12;
const PEAK_MB = 300;

const root = scratch('gr-memory-');
let client: LspClient | undefined;
after(() => {
  client?.kill();
  root.cleanup();
});

/** The server's peak and current resident memory, in MB. */
function memoryOf(pid: number): { peakMB: number; rssMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)![1]);
  return { peakMB: kb('VmHWM') / 1024, rssMB: kb('VmRSS') / 1024 };
}

const key = (d: Diagnostic) => `${d.range.start.line}:${d.range.start.character} ${d.code}`;

test(`five 4 MB documents, ${ROUNDS} rounds of an edit and an outline of another: right answers, peak RSS ≤ ${PEAK_MB} MB`, { timeout: 900_000 }, async () => {
  const { generateConfig } = await importEsm(pathToFileURL(join(ROOT, 'scripts', 'benchConfig.mjs')).href);
  const texts: string[] = Array.from({ length: DOCS }, (_, i) => generateConfig(REMOTES, i + 1));
  const uris = texts.map((t, i) => {
    const etc = join(root.dir, `site${i}`, 'etc');
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, 'replication.config'), t);
    return pathToFileURL(join(etc, 'replication.config')).toString();
  });
  // Line 3 is `  replicateOnStartup = false`: the edit turns the key into an unknown one.
  assert.match(texts[0].split('\n')[3], /^ {2}replicateOnStartup = /);

  const c = (client = new LspClient({ initializationOptions: { diagnosticsDelay: 0 } }));
  await c.initialize();
  for (let i = 0; i < DOCS; i++) await c.open(uris[i], texts[i], 1);
  const opened = [];
  for (const u of uris) opened.push(await c.diagnosticsFor(u, 1, 600_000));
  const before = opened.map((p) => p.diagnostics.map(key).sort());
  for (const b of before) assert.ok(!b.some((k) => k.startsWith('3:')), 'line 3 is clean before the edit');
  const afterOpen = memoryOf(c.pid);

  const version = uris.map(() => 1);
  let outlineTop = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const edited = round % DOCS;
    const other = (round + 1) % DOCS;
    const v = ++version[edited];
    await c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: uris[edited], version: v },
      contentChanges: [{ range: { start: { line: 3, character: 2 }, end: { line: 3, character: 3 } }, text: v % 2 ? 'a' : 'b' }],
    });
    // At once, while the edited document is being validated.
    const outline = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uris[other] } });
    // The outline lists the file's sections in order: [gerrit], [replication], then the remotes
    // mirror-0, mirror-1, …: all of them, or as many as the server computes for one document.
    assert.ok(outline.length >= 1000, `outline of document ${other}: ${outline.length} symbols`);
    assert.deepEqual(outline.slice(0, 2).map((s) => s.name), ['gerrit', 'replication']);
    const wrong = outline.slice(2).findIndex((s, i) => s.name !== `mirror-${i}` || s.detail !== 'remote');
    assert.equal(wrong, -1, `outline of document ${other}: symbol ${wrong + 2} is ${JSON.stringify(outline[wrong + 2]?.name)}`);
    outlineTop = outline.length;
    // The edited version's diagnostics: the same as at open, plus the unknown key on line 3.
    const got = (await c.diagnosticsFor(uris[edited], v, 600_000)).diagnostics;
    const keys = got.map(key).sort();
    assert.deepEqual(keys.filter((k) => !k.startsWith('3:')), before[edited], `document ${edited} v${v}: diagnostics off line 3 changed`);
    assert.deepEqual(keys.filter((k) => k.startsWith('3:')), ['3:2 unknown-key'], `document ${edited} v${v}: the edited key`);
  }
  const end = memoryOf(c.pid);
  // The figure, for the record (and the bench): printed whether or not it passes.
  console.log(`memory: RSS after opening ${afterOpen.rssMB.toFixed(0)} MB, peak (VmHWM) after ${ROUNDS} rounds ${end.peakMB.toFixed(0)} MB; outline ${outlineTop} top-level symbols`);
  assert.ok(end.peakMB <= PEAK_MB, `peak RSS (VmHWM) ${end.peakMB.toFixed(0)} MB > ${PEAK_MB} MB`);
  assert.equal(await c.shutdown(60_000), 0);
});
