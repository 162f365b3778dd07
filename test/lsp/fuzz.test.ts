// Property tests (fast-check, fixed seeds) over the real server on stdio: random documents of
// every file kind, in every line-end style, edited by random incremental changes (ranges inside,
// at and past the ends), then queried with every feature. It must keep answering (no request
// waits 5 s), every range it returns must lie inside the document as LSP counts lines (\n, \r\n
// and a lone \r), and the edited document must get the diagnostics a fresh open of the same text
// gets. A second property throws random frames at the transport.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, withTimeout } from '../support/lsp-client';
import { frame, RawServer } from '../support/lsp-frames';
import { scratch } from '../support/helpers';

const site = scratch('gr-fuzz-');
for (const d of ['etc/replication', 'conf']) mkdirSync(join(site.dir, d), { recursive: true });
const clients: Array<{ kill(): void }> = [];
after(() => {
  for (const c of clients) c.kill();
  site.cleanup();
});

const SECRET = 'Zq8sEcReT4x'; // in urls and secure.config, so every path sees a password
/** Files on disk that the fuzzed documents include or are included by (a site of each kind). */
const DISK: Record<string, string> = {
  'inc/etc/extra.config': `[remote "extra"]\n  url = https://bot:${SECRET}@h/\${name}.git\n  push = +refs/heads/*:refs/heads/*\n`,
  'inc/outside.config': `[remote "outside"]\n  url = https://bot:${SECRET}@h/\${name}.git\n`,
  'conf/gitolite.conf': '@admins = alice bob\nrepo gitolite-admin\n    RW+ = @admins\ninclude "other.conf"\nsubconf "team.conf"\n',
  'conf/team.conf': '@devs = carol\nrepo team/..*\n    RW = @devs\n',
  'v2/conf/gitolite.conf': 'repo gitolite-admin\n    RW+ = alice\nrepo foo\n    RW = bob\n    config gitolite.mirror.master = serer1\n    config gitolite.mirror.slaves = s2\n',
};
for (const [p, t] of Object.entries(DISK)) {
  mkdirSync(join(site.dir, p, '..'), { recursive: true });
  writeFileSync(join(site.dir, p), t);
}
const KINDS: Array<{ path: string; languageId: string; seed: string; tokens: string[]; eols?: Eol[] }> = [
  {
    path: 'etc/replication.config', languageId: 'gerrit-replication',
    seed: `[gerrit]\n  autoReload = true\n[remote "mirror"]\n  url = ssh://git@host/\${name}.git\n  push = +refs/heads/*:refs/heads/*\n  projects = ^team/.*\n  threads = 3\n[remote "b"]\n  url = https://bot:${SECRET}@h/\${name}.git\n`,
    tokens: ['[remote "', '[gerrit]', '[replication]', 'url = ', 'push = ', 'threads = ', '${name}', 'ssh://', 'https://u:p@h/', 'projects = ', 'adminUrl = ', 'mirror = true', '[include]', 'path = x.config'],
  },
  {
    path: 'etc/secure.config', languageId: 'gerrit-replication',
    seed: `[remote "mirror"]\n  username = bot\n  password = ${SECRET}\n[remote "gone"]\n  password = x\n`,
    tokens: ['[remote "', 'username = ', 'password = ', '[auth]', 'mirror', '"'],
  },
  {
    path: 'etc/replication/mirror.config', languageId: 'gerrit-replication',
    seed: `[remote]\n  url = ssh://git@host/\${name}.git\n  push = +refs/heads/*:refs/heads/*\n[url "https://bot:${SECRET}@h/"]\n  insteadOf = m:\n`,
    tokens: ['[remote]', '[remote "x"]', 'url = ', 'push = ', '[url "', 'insteadOf = ', '${name}'],
  },
  {
    // A replication.config with includes: one inside the site, one that leads out of it, one missing.
    path: 'inc/etc/replication.config', languageId: 'gerrit-replication',
    seed: `[include]\n  path = extra.config\n[include]\n  path = ../outside.config\n[remote "a"]\n  url = ssh://h/\${name}.git\n  push = +refs/heads/*:refs/heads/*\n`,
    tokens: ['[include]', 'path = ', 'extra.config', '../outside.config', '/etc/passwd', 'missing.config', '[remote "', 'url = ', '${name}', `https://bot:${SECRET}@h/`],
  },
  {
    path: 'conf/gitolite.conf', languageId: 'gitolite',
    seed: '@admins = alice bob\nrepo gitolite-admin\n    RW+ = @admins\nrepo foo/..*\n    C = @all\n    RW = alice\n    option mirror.master = m1\n    option mirror.slaves = s1 s2\ninclude "other.conf"\n',
    tokens: ['repo ', 'RW+ = ', 'R = ', '-', '@all', '@g = a b', 'include "', 'subconf "', 'option ', 'config core.x = 1', 'desc = "d"', '..*', 'refs/tags/'],
  },
  {
    // An included conf: gitolite.conf on disk includes it, so it is checked as part of that site.
    path: 'conf/other.conf', languageId: 'gitolite',
    seed: '@g = a b\nrepo bar\n    RW = @g @devs\n    option mirror.master = m1\n',
    tokens: ['repo ', 'RW+ = ', 'R = ', '@g', '@devs', '@all', 'include "', 'subconf "team.conf"', 'option mirror.copies = ', 'config core.x = 1', '..*'],
  },
  {
    // A v2 rc ($GL_* variables), beside a v2 conf on disk.
    path: 'v2/.gitolite.rc', languageId: 'gitolite-rc',
    seed: "$GL_HOSTNAME = 'serer1';\n$GL_GITCONFIG_KEYS = \"gitolite.mirror.*\";\n$REPO_UMASK = 0077;\n1;\n",
    tokens: ['$GL_HOSTNAME = ', '$GL_SLAVES', '$GL_GITCONFIG_KEYS', '$REPO_UMASK = 0077;', "'", '"', ';', '#', '1;', 's2', 'serer1'],
  },
  {
    path: '.gitolite.rc', languageId: 'gitolite-rc',
    seed: "%RC = (\n    UMASK => 0077,\n    GIT_CONFIG_KEYS => '',\n    HOSTNAME => 'm1',\n    ENABLE => [\n        'help',\n        'Mirroring',\n    ],\n);\n1;\n",
    tokens: ['%RC = (', '=>', "'", '[', ']', '(', ')', ',', 'ENABLE', 'HOSTNAME', 'LOCAL_CODE', '#', '1;', 'UMASK'],
  },
];
const COMMON = [' ', '  ', '\t', '\n', '\r\n', '\0', '[', ']', '"', '\\', '=', '#', ';', '$', '{', '}', 'é', '\u2028', 'x', '😀'];
type Eol = 'lf' | 'crlf' | 'cr' | 'mixed';
const EOLS: Eol[] = ['lf', 'crlf', 'cr', 'mixed'];

/** `text` with its line ends in one style ("mixed": each one picked at random). */
function withEols(text: string, eol: Eol, rnd: () => number): string {
  return text.replace(/\r\n|\r|\n/g, () => (eol === 'lf' ? '\n' : eol === 'crlf' ? '\r\n' : eol === 'cr' ? '\r' : ['\n', '\r\n', '\r'][Math.floor(rnd() * 3)]));
}

/** The document's lines as LSP counts them (\r\n, \n, \r), without their breaks. */
function lines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

// The reference for how a change applies: positions clamped to the document (as VS Code does).
function offsetOf(text: string, p: { line: number; character: number }): number {
  const ls = lines(text);
  const breaks = [...text.matchAll(/\r\n|\r|\n/g)];
  if (p.line < 0) return 0;
  if (p.line >= ls.length) return text.length;
  const start = p.line === 0 ? 0 : breaks[p.line - 1].index! + breaks[p.line - 1][0].length;
  return start + Math.min(Math.max(p.character, 0), ls[p.line].length);
}
function applyChange(text: string, c: Edit): string {
  let a = offsetOf(text, c.range.start);
  let b = offsetOf(text, c.range.end);
  if (a > b) [a, b] = [b, a];
  return text.slice(0, a) + c.text + text.slice(b);
}

type Pos = { line: number; character: number };
type Edit = { range: { start: Pos; end: Pos }; text: string };

/** Every Range inside `value` that refers to `uri` (or to no document in particular). */
function rangesIn(value: unknown, uri: string, into: Array<{ where: string; range: { start: Pos; end: Pos } }> = [], where = '', ctx = uri): typeof into {
  if (Array.isArray(value)) value.forEach((v, i) => rangesIn(v, uri, into, `${where}[${i}]`, ctx));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    let here = ctx;
    if (typeof o.uri === 'string') here = o.uri;
    if (typeof o.targetUri === 'string') here = o.targetUri;
    const td = o.textDocument as { uri?: unknown } | undefined;
    if (td && typeof td.uri === 'string') here = td.uri;
    const isPos = (p: unknown) => !!p && typeof p === 'object' && 'line' in (p as object) && 'character' in (p as object);
    if (isPos(o.start) && isPos(o.end) && here === uri) into.push({ where, range: o as { start: Pos; end: Pos } });
    for (const [k, v] of Object.entries(o)) rangesIn(v, uri, into, `${where}.${k}`, k.startsWith('file:') ? k : here);
  }
  return into;
}

/** The first thing wrong with a range in `text`, or undefined. */
function badRange(text: string, r: { start: Pos; end: Pos }): string | undefined {
  const ls = lines(text);
  for (const p of [r.start, r.end]) {
    if (!Number.isInteger(p.line) || !Number.isInteger(p.character)) return `not integers: ${JSON.stringify(p)}`;
    if (p.line < 0 || p.line >= ls.length) return `line ${p.line} of ${ls.length}`;
    if (p.character < 0 || p.character > ls[p.line].length) return `character ${p.character} on line ${p.line} of length ${ls[p.line].length}`;
  }
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) return 'start after end';
  return undefined;
}

const UNSHOWN = new Set(['newText', 'insertText', 'textEdit', 'additionalTextEdits', 'edit', 'changes', 'documentChanges', 'data', 'arguments']);

const ask = <T>(c: LspClient, method: string, params: unknown) => withTimeout(c.request<T>(method, params), 5000, `${method} answered within 5 s`);

/** Ask every feature at `pos`; fail on a hang, on an error response, or on a range outside the document. */
async function checkAll(c: LspClient, uri: string, text: string, pos: Pos, what: string) {
  const td = { textDocument: { uri } };
  const at = { ...td, position: pos };
  const results: Array<[string, unknown]> = [];
  // Hover and completion first, before anything analyses the new version: they may be answered
  // from the version analysed last (server/src/lsp/lastAnalysed.ts).
  results.push(['hover', await ask(c, 'textDocument/hover', at)]);
  results.push(['completion', await ask(c, 'textDocument/completion', at)]);
  const diag = await ask<{ items: Diagnostic[] }>(c, 'textDocument/diagnostic', td);
  results.push(['diagnostic', diag]);
  results.push(['documentSymbol', await ask(c, 'textDocument/documentSymbol', td)]);
  results.push(['definition', await ask(c, 'textDocument/definition', at)]);
  results.push(['references', await ask(c, 'textDocument/references', { ...at, context: { includeDeclaration: true } })]);
  results.push(['codeAction', await ask(c, 'textDocument/codeAction', { ...td, range: { start: pos, end: pos }, context: { diagnostics: diag.items.slice(0, 5) } })]);
  const folds = await ask<Array<{ startLine: number; endLine: number }>>(c, 'textDocument/foldingRange', td);
  const nLines = lines(text).length;
  for (const f of folds ?? []) assert.ok(f.startLine >= 0 && f.endLine < nLines && f.startLine <= f.endLine, `${what}: folding ${JSON.stringify(f)} in ${nLines} lines`);
  for (const [method, r] of results) {
    // An edit writes what the user wrote (a quick fix may keep a url); nothing else shows a secret.
    // Fields sent back or applied, never shown (service/secrets.ts UNMASKED) are left out.
    const json = JSON.stringify(r, (k, v) => (UNSHOWN.has(k) ? undefined : v)) ?? '';
    const leak = method === 'codeAction' ? -1 : json.indexOf(SECRET);
    assert.equal(leak, -1, `${what}: ${method} shows the secret: …${json.slice(Math.max(0, leak - 300), leak + 40)}`);
    for (const { where, range } of rangesIn(r, uri)) {
      const bad = badRange(text, range);
      assert.equal(bad, undefined, `${what}: ${method}${where} ${JSON.stringify(range)}: ${bad}`);
    }
  }
  return diag.items;
}

const sameDiagnostics = (ds: Diagnostic[]) => ds.map((d) => JSON.stringify([d.range, d.code, d.severity, d.message])).sort();

function arbitraries(kind: (typeof KINDS)[number]) {
  const token = fc.constantFrom(...kind.tokens, ...COMMON, ...(kind.eols ? [] : ['\r']));
  const insert = fc.array(token, { maxLength: 12 }).map((t) => t.join(''));
  const coord = fc.oneof(
    { weight: 8, arbitrary: fc.nat(40) },
    { weight: 1, arbitrary: fc.constantFrom(-1, 1000, 1_000_000, 2 ** 31) },
  );
  const pos = fc.record({ line: coord, character: coord });
  const edit = fc.record({ range: fc.record({ start: pos, end: pos }), text: insert });
  return fc.record({
    eol: fc.constantFrom(...(kind.eols ?? EOLS)),
    eolSeed: fc.nat(),
    edits: fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
    query: pos,
  });
}

describe('fuzz: random edits over the real server', () => {
  for (const kind of KINDS) {
    test(`${kind.path}: ranges stay inside the document, edits match a fresh open, nothing hangs`, async () => {
      const c = new LspClient({ pull: true, initializationOptions: { diagnosticsDelay: 0 } });
      clients.push(c);
      await c.initialize(pathToFileURL(site.dir).toString());
      const uri = pathToFileURL(join(site.dir, kind.path)).toString();
      let version = 0;
      await fc.assert(fc.asyncProperty(arbitraries(kind), async ({ eol, eolSeed, edits, query }) => {
        let s = eolSeed;
        const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
        let text = withEols(kind.seed, eol, rnd);
        await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: kind.languageId, version: ++version, text } });
        for (const changes of edits) {
          const contentChanges = changes.map((e) => ({ ...e, text: withEols(e.text, eol, rnd) }));
          for (const ch of contentChanges) text = applyChange(text, ch);
          await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges });
          await checkAll(c, uri, text, query, `${kind.path} (${eol}) v${version} ${JSON.stringify(text).slice(0, 400)}`);
        }
        const edited = await ask<{ items: Diagnostic[] }>(c, 'textDocument/diagnostic', { textDocument: { uri } });
        await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
        await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: kind.languageId, version: ++version, text } });
        const fresh = await ask<{ items: Diagnostic[] }>(c, 'textDocument/diagnostic', { textDocument: { uri } });
        assert.deepEqual(sameDiagnostics(edited.items), sameDiagnostics(fresh.items), `${kind.path} (${eol}): the edited document's diagnostics differ from a fresh open of its text ${JSON.stringify(text).slice(0, 400)}`);
        await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
      }), { seed: 0x5eed + kind.path.length, numRuns: 30, endOnFailure: true });
      assert.ok(c.alive);
      assert.equal(await c.shutdown(), 0);
      assert.deepEqual(c.protocolErrors, []);
    });
  }
});

describe('fuzz: random frames', () => {
  const probe = (id: number) => frame({ jsonrpc: '2.0', id, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x/replication.config' }, position: { line: 0, character: 0 } } });
  const headerByte = fc.constantFrom(...'Content-Length: 0123456789\r\n-+xX:;\t '.split(''), '\0', '\xff', '\n', '\r\n\r\n');
  const piece = fc.oneof(
    fc.constant(probe(1)),
    fc.nat(300).map((n) => Buffer.from(`Content-Length: ${n}\r\n\r\n`)),
    fc.array(headerByte, { maxLength: 40 }).map((bs) => Buffer.from(bs.join(''), 'latin1')),
    fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    fc.string({ maxLength: 40 }).map((t) => frame(t)),
    fc.integer({ min: -40, max: 40 }).map((d) => {
      const b = probe(2);
      const body = b.subarray(b.indexOf('\r\n\r\n') + 4);
      return Buffer.concat([Buffer.from(`Content-Length: ${Math.max(0, body.length + d)}\r\n\r\n`), body]);
    }),
  );

  test('after any bytes the server answers, or exits with a reason; it never just goes quiet', async () => {
    await fc.assert(fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 6 }), async (pieces) => {
      const s = new RawServer();
      clients.push(s);
      try {
        await s.initialize();
        for (const p of pieces) s.write(p);
        // Enough well-formed probes to fill any body a short or long length left open (≤ 340 bytes).
        for (let i = 0; i < 8; i++) s.write(probe(100 + i));
        await s.waitFor('an answer to the last probe, or an exit', () => s.messages.some((m) => m.id === 107) || s.exitCode !== undefined, 5000);
        if (s.exitCode !== undefined) {
          assert.notEqual(s.exitCode, 0);
          assert.match(s.stderr, /malformed frame from the client: .+restart/s, 'an exit says why');
        } else {
          // Answering: and still answering a request sent now.
          const r = await s.request('textDocument/hover', { textDocument: { uri: 'file:///x/replication.config' }, position: { line: 0, character: 0 } });
          assert.equal(r.error, undefined);
        }
      } finally {
        s.kill();
      }
    }), { seed: 0xf4a3e, numRuns: 40, endOnFailure: true });
  });
});
