// D11: gitolite ends lines at \n only, an editor also at a lone \r. Over the real server, a
// gitolite.conf and a .gitolite.rc with lone-CR line ends get positions the editor can use
// (inside their lines, on the text they name) and a gl-lone-cr warning at each lone \r. Then a
// property over every gitolite file kind and line-end style, open and on disk, that `check` and
// workspace diagnostics must pass too.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';
import { CLI, scratch } from '../support/helpers';

const home = scratch('gr-lone-cr-');
mkdirSync(join(home.dir, '.gitolite', 'conf'), { recursive: true });
const c = new LspClient({ pull: true });
after(() => {
  c.kill();
  home.cleanup();
});

const lines = (t: string) => t.split(/\r\n|\r|\n/);
function inside(text: string, ds: Diagnostic[]) {
  const ls = lines(text);
  for (const d of ds) {
    for (const p of [d.range.start, d.range.end]) {
      assert.ok(p.line < ls.length && p.character <= ls[p.line].length, `${d.code} at ${JSON.stringify(d.range)} is outside its line`);
    }
  }
}

test('gitolite.conf with lone CRs: ranges inside their lines, on the right text, and a gl-lone-cr warning', async () => {
  await c.initialize(pathToFileURL(home.dir).toString());
  const uri = pathToFileURL(join(home.dir, '.gitolite', 'conf', 'gitolite.conf')).toString();
  // Line 2 for the editor ("repo foo") is the tail of line 1 for gitolite.
  const text = 'repo gitolite-admin\n    RW+ = admin\r    RW+ = @nosuchgroup\n';
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'gitolite', version: 1, text } });
  const r = await c.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  inside(text, r.items);
  const cr = r.items.filter((d) => d.code === 'gl-lone-cr');
  assert.equal(cr.length, 1, JSON.stringify(r.items));
  assert.deepEqual(cr[0].range.start, { line: 1, character: 15 }, 'at the \\r, as the editor counts');
  const undef = r.items.find((d) => d.code === 'gl-undeclared-group');
  assert.ok(undef, JSON.stringify(r.items));
  const ls = lines(text);
  assert.equal(ls[undef.range.start.line].slice(undef.range.start.character, undef.range.end.character), '@nosuchgroup');
  // The editor's line 3 is gitolite's line 2: a hover there reaches the group on it.
  const text2 = '@g = alice bob\r# a note\nrepo foo\n    RW+ = @g\n';
  await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: text2 }] });
  const h = await c.request<{ contents: unknown } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 11 } });
  assert.match(JSON.stringify(h), /alice/, 'hover on @g names its members');
});

test('.gitolite.rc with lone CRs: warned, and every range inside its line', async () => {
  const uri = pathToFileURL(join(home.dir, '.gitolite.rc')).toString();
  const text = "%RC = (\r    UMASK => 0077,\r    HOSTNAME => 'm1', # the mirror name\r    ENABLE => ['help'],\r);\r1;\r";
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'gitolite-rc', version: 1, text } });
  const r = await c.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  inside(text, r.items);
  assert.equal(r.items.filter((d) => d.code === 'gl-lone-cr').length, 6);
  const folds = await c.request<Array<{ startLine: number; endLine: number }>>('textDocument/foldingRange', { textDocument: { uri } });
  for (const f of folds) assert.ok(f.endLine < lines(text).length, JSON.stringify(f));
  assert.equal(await c.shutdown(), 0);
});

// The property (issue 10, item 2): every gitolite file — the rc (v3 and v2), gitolite.conf, a
// conf file it includes, a v2 conf — in every line-end style (LF, CRLF, lone CR, mixed), written
// to disk and opened or not. Every range the server returns, for the document asked about and
// for every other file it points into (an include line, a group's definition, the rc), lies
// inside its line as the editor counts lines; and so does every position `check` prints.
const GL_TOKENS = ['repo ', 'RW+ = ', 'R = ', 'RW = ', '- = ', 'C = ', '@all', '@g', '@g = a b', 'alice', 'foo', 'include "sub/*.conf"', 'subconf "sub/a.conf"',
  'option mirror.master = m1', 'option mirror.copies = s1', 'config gitolite.mirror.master = "m1"', 'config gitolite.mirror.slaves = "s1 s2"', 'desc = "d"', '#', '\\', '"', '=', ' ', '\t', '..*', 'é', '😀'];
const RC_SEEDS = [
  "%RC = (\n    UMASK => 0077,\n    GIT_CONFIG_KEYS => 'gitolite.mirror.*',\n    HOSTNAME => 'm1',\n    ENABLE => [\n        'help',\n        'Mirroring',\n    ],\n);\n1;\n",
  "$GL_HOSTNAME = 'm1';\n$GL_GITCONFIG_KEYS = 'gitolite.mirror.*';\n$GL_SLAVE_MODE = 1;\n$REPO_UMASK = 0077;\n1;\n",
];
const RC_TOKENS = ['%RC = (', '=>', "'", '[', ']', '(', ')', ',', 'ENABLE', 'HOSTNAME', '$GL_HOSTNAME = ', "'m1'", '#', '1;', ' ', '\t', 'é'];
type Eol = 'lf' | 'crlf' | 'cr' | 'mixed';
const EOL_RE = /\r\n|\r|\n/g;

function withEols(text: string, eol: Eol, picks: number[]): string {
  let i = 0;
  return text.replace(EOL_RE, () => (eol === 'lf' ? '\n' : eol === 'crlf' ? '\r\n' : eol === 'cr' ? '\r' : ['\n', '\r\n', '\r'][picks[i++ % picks.length] % 3]));
}

type Pos = { line: number; character: number };
/** Every range in `value`, with the uri it refers to (its own `uri`/`targetUri`/`textDocument`, a `changes` key, else `ctx`). */
function rangesByUri(value: unknown, ctx: string, into: Array<{ uri: string; range: { start: Pos; end: Pos }; where: string }> = [], where = ''): typeof into {
  if (Array.isArray(value)) value.forEach((v, i) => rangesByUri(v, ctx, into, `${where}[${i}]`));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const here = typeof o.targetUri === 'string' ? o.targetUri : typeof o.uri === 'string' ? o.uri : ctx;
    const isPos = (p: unknown) => !!p && typeof p === 'object' && 'line' in (p as object) && 'character' in (p as object);
    if (isPos(o.start) && isPos(o.end)) into.push({ uri: here, range: o as { start: Pos; end: Pos }, where });
    // A WorkspaceEdit's `changes` are keyed by uri; a documentChanges entry names its textDocument.
    const td = o.textDocument as { uri?: unknown } | undefined;
    const own = td && typeof td.uri === 'string' ? td.uri : here;
    for (const [k, v] of Object.entries(o)) rangesByUri(v, k.startsWith('file:') ? k : own, into, `${where}.${k}`);
  }
  return into;
}

function outsideLine(text: string, r: { start: Pos; end: Pos }): string | undefined {
  const ls = lines(text);
  for (const p of [r.start, r.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character)) return `not integers: ${JSON.stringify(p)}`;
    if (p.line < 0 || p.line >= ls.length) return `line ${p.line} of ${ls.length}`;
    if (p.character < 0 || p.character > ls[p.line].length) return `character ${p.character} on line ${p.line} of length ${ls[p.line].length} (${JSON.stringify(ls[p.line]).slice(0, 80)})`;
  }
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) return 'start after end';
  return undefined;
}

test('every gitolite file, every line end, on disk and open: every range the server returns and every position check prints is inside its line', async () => {
  const root = scratch('gr-eol-prop-');
  const p = new LspClient({ pull: true, initializationOptions: { diagnosticsDelay: 0 } });
  try {
    await p.initialize(pathToFileURL(root.dir).toString());
    const eol = fc.constantFrom<Eol>('lf', 'crlf', 'cr', 'mixed');
    const soup = (tokens: string[]) => fc.array(fc.array(fc.constantFrom(...tokens), { maxLength: 8 }).map((t) => t.join('')), { maxLength: 10 }).map((ls) => ls.join('\n'));
    const file = (seed: string, tokens: string[]) => fc.record({ eol, body: soup(tokens), keep: fc.boolean() }).map(({ eol: e, body, keep }) => ({ eol: e, text: (keep ? seed : '') + body + '\n' }));
    const confSeed = '@g = alice bob\nrepo gitolite-admin\n    RW+ = @g\nrepo foo\n    RW = alice\n    option mirror.master = m1\ninclude "sub/*.conf"\nsubconf "sub/a.conf"\n';
    const v2Seed = 'repo bar\n    RW = alice\n    config gitolite.mirror.master = "m1"\n    config gitolite.mirror.slaves = "s1 s2"\n';
    const site = fc.record({
      rc: fc.record({ seed: fc.constantFrom(...RC_SEEDS), eol, tail: soup(RC_TOKENS) }).map(({ seed, eol: e, tail }) => ({ eol: e, text: seed + tail })),
      conf: file(confSeed, GL_TOKENS),
      included: file('@h = carol\nrepo sub-a\n    RW = @g\n', GL_TOKENS),
      v2: file(v2Seed, GL_TOKENS),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 16 }),
      open: fc.subarray(['rc', 'conf', 'included', 'v2'] as const),
      query: fc.record({ line: fc.nat(12), character: fc.nat(30) }),
    });
    let run = 0;
    let version = 0;
    // Every file of every run (each run has its own home, never edited): late publications of an
    // earlier run are checked against their own files.
    const texts = new Map<string, string>();
    await fc.assert(fc.asyncProperty(site, async (s) => {
      const home = join(root.dir, `h${run++}`);
      const paths = { rc: join(home, '.gitolite.rc'), conf: join(home, '.gitolite', 'conf', 'gitolite.conf'), included: join(home, '.gitolite', 'conf', 'sub', 'a.conf'), v2: join(home, '.gitolite', 'conf', 'sub', 'v2.conf') };
      mkdirSync(join(home, '.gitolite', 'conf', 'sub'), { recursive: true });
      for (const k of ['rc', 'conf', 'included', 'v2'] as const) {
        const text = withEols(s[k].text, s[k].eol, s.picks);
        writeFileSync(paths[k], text);
        texts.set(pathToFileURL(paths[k]).toString(), text);
      }
      const mine = [...texts.keys()].filter((u) => u.startsWith(pathToFileURL(home).toString() + '/'));
      const what = JSON.stringify(Object.fromEntries([...texts].filter(([u]) => mine.includes(u)).map(([u, t]) => [u.slice(u.lastIndexOf('/') + 1), t]))).slice(0, 900);
      const check = (uri: string, answer: unknown, method: string) => {
        for (const { uri: u, range, where } of rangesByUri(answer, uri)) {
          const text = texts.get(u);
          assert.ok(text !== undefined, `${method}${where} points into ${u}, not a file of the site`);
          const bad = outsideLine(text, range);
          assert.equal(bad, undefined, `${method}${where} in ${u.slice(u.lastIndexOf('/') + 1)} ${JSON.stringify(range)}: ${bad}\n${what}`);
        }
      };
      // `check` on the whole home: file:line:column and the end, as the editor counts lines.
      const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', home], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.signal, null, r.stderr);
      for (const d of (JSON.parse(r.stdout) as { diagnostics: Array<{ file: string; line: number; column: number; endLine: number; endColumn: number; code: string }> }).diagnostics) {
        const text = texts.get(pathToFileURL(join(home, d.file)).toString());
        assert.ok(text !== undefined, d.file);
        const bad = outsideLine(text, { start: { line: d.line - 1, character: d.column - 1 }, end: { line: d.endLine - 1, character: d.endColumn - 1 } });
        assert.equal(bad, undefined, `check ${d.code} at ${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn}: ${bad}\n${what}`);
      }
      const opened = s.open.map((k) => pathToFileURL(paths[k]).toString());
      for (const uri of opened) await p.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: uri.endsWith('.rc') ? 'gitolite-rc' : 'gitolite', version: ++version, text: texts.get(uri) } });
      // Asked about every file: open ones from the editor's text, the others read from disk.
      for (const uri of mine) {
        const td = { textDocument: { uri } };
        const at = { ...td, position: s.query };
        if (opened.includes(uri)) {
          const diag = await p.request<{ items: Diagnostic[] }>('textDocument/diagnostic', td);
          check(uri, diag, 'diagnostic');
          // Quick fixes and the fix-all edit other files too (changes keyed by their uris).
          check(uri, await p.request('textDocument/codeAction', { ...td, range: { start: s.query, end: s.query }, context: { diagnostics: diag.items.slice(0, 8) } }), 'codeAction');
          check(uri, await p.request('textDocument/completion', at), 'completion');
          const renamed = await p.request('textDocument/rename', { ...at, newName: 'renamed' }).catch(() => null);
          check(uri, renamed, 'rename');
        }
        check(uri, await p.request('textDocument/documentSymbol', td), 'documentSymbol');
        check(uri, await p.request('textDocument/hover', at), 'hover');
        check(uri, await p.request('textDocument/definition', at), 'definition');
        check(uri, await p.request('textDocument/references', { ...at, context: { includeDeclaration: true } }), 'references');
        const folds = await p.request<Array<{ startLine: number; endLine: number }> | null>('textDocument/foldingRange', td);
        for (const f of folds ?? []) assert.ok(f.endLine < lines(texts.get(uri)!).length, `folding ${JSON.stringify(f)}\n${what}`);
      }
      for (const uri of opened) await p.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      check('', p.published.splice(0), 'publishDiagnostics');
    }), { seed: 0x10ce, numRuns: 40, endOnFailure: true });
    assert.ok(p.alive);
    // Workspace diagnostics: a server started on all of them checks every file from disk.
    const w = new LspClient({ initializationOptions: { diagnosticsDelay: 0 } });
    try {
      await w.initialize(pathToFileURL(root.dir).toString());
      await w.waitFor('the workspace pass', () => /workspace diagnostics: \d+ of \d+ config file/.test(w.stderr), 60_000);
      assert.ok(w.published.length >= texts.size, `${w.published.length} files published of ${texts.size}`);
      for (const pub of w.published) {
        for (const { uri, range, where } of rangesByUri(pub, pub.uri)) {
          const bad = outsideLine(texts.get(uri) ?? '', range);
          assert.equal(bad, undefined, `workspace diagnostics${where} in ${uri}: ${bad}\n${JSON.stringify(texts.get(pub.uri))}`);
        }
      }
    } finally {
      w.kill();
    }
  } finally {
    p.kill();
    root.cleanup();
  }
});
