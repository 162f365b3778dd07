// The language server as an LSP client sees it: the bundled dist/server.js over stdio (and once
// over node IPC), with push and with pull diagnostics, fed garbage it must survive.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, InitializeResult } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';
import { scratch } from '../support/helpers';
import { prng } from '../support/gitconfig-generator';

const site = scratch('gr-lsp-');
mkdirSync(join(site.dir, 'etc'));
const CONFIG = join(site.dir, 'etc', 'replication.config');
const URI = pathToFileURL(CONFIG).toString();
// Line 0 has an unterminated section header: git (and Gerrit) refuse the whole file.
const BROKEN = '[remote "mirror"\n  url = ssh://host/${name}.git\n[gerrit]\n  autoReload = true\n';
const FIXED = '[remote "mirror"]\n  url = ssh://host/${name}.git\n[gerrit]\n  autoReload = true\n';
writeFileSync(CONFIG, BROKEN);

const clients: LspClient[] = [];
function start(opts: ConstructorParameters<typeof LspClient>[0]) {
  const c = new LspClient({ initializationOptions: { diagnosticsDelay: 0 }, ...opts });
  clients.push(c);
  return c;
}
after(() => {
  for (const c of clients) c.kill();
  site.cleanup();
});

const syntaxErrors = (ds: Diagnostic[]) => ds.filter((d) => /syntax/.test(String(d.code)));

/** The requests an editor sends while someone types; all must answer (any result, no error). */
async function everyFeatureAnswers(c: LspClient, uri: string, line = 1, character = 4) {
  const td = { textDocument: { uri }, position: { line, character } };
  await c.request('textDocument/hover', td);
  await c.request('textDocument/completion', td);
  await c.request('textDocument/documentSymbol', { textDocument: { uri } });
  await c.request('textDocument/foldingRange', { textDocument: { uri } });
  await c.request('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line, character: 0 }, end: { line, character } },
    context: { diagnostics: [] },
  });
}

describe('language server over stdio', () => {
  test('push diagnostics: initialize without pull capability, open, fix, close, shutdown', async () => {
    const c = start({});
    const init = await c.initialize(pathToFileURL(site.dir).toString());
    assert.equal(init.capabilities.diagnosticProvider, undefined, 'no pull provider for a push-only client');
    assert.ok(init.capabilities.textDocumentSync);
    assert.equal(init.serverInfo?.name, 'git-replication');

    await c.open(URI, BROKEN, 1);
    const first = await c.diagnosticsFor(URI, 1);
    const syntax = syntaxErrors(first.diagnostics);
    assert.ok(syntax.length >= 1, JSON.stringify(first.diagnostics));
    assert.equal(syntax[0].range.start.line, 0);
    assert.equal(syntax[0].severity, 1);

    await everyFeatureAnswers(c, URI);

    await c.changeAll(URI, 2, FIXED);
    const second = await c.diagnosticsFor(URI, 2);
    assert.deepEqual(syntaxErrors(second.diagnostics), []);

    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    await c.waitFor('cleared diagnostics on close', () => c.published.at(-1)?.diagnostics.length === 0 && c.published.at(-1)?.version === undefined);

    assert.equal(await c.shutdown(), 0);
    assert.deepEqual(c.protocolErrors, [], 'the server wrote something to stdout that is not a protocol message');
  });

  test('pull diagnostics: answers textDocument/diagnostic and does not push', async () => {
    const c = start({ pull: true });
    const init: InitializeResult = await c.initialize();
    assert.ok(init.capabilities.diagnosticProvider, 'pull provider advertised');
    await c.open(URI, BROKEN, 1);
    const report = await c.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: URI } });
    assert.equal(report.kind, 'full');
    const syntax = syntaxErrors(report.items);
    assert.ok(syntax.length >= 1, JSON.stringify(report.items));
    assert.equal(syntax[0].range.start.line, 0);

    // A change asks the client to re-pull (other files may depend on this one), then the pull is fresh.
    await c.changeAll(URI, 2, FIXED);
    await c.waitFor('workspace/diagnostic/refresh', () => c.refreshRequests.length > 0);
    const again = await c.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: URI } });
    assert.deepEqual(syntaxErrors(again.items), []);

    await everyFeatureAnswers(c, URI);
    // Messages arrive in order: any push would have come before these responses.
    assert.deepEqual(c.published, [], 'a pull client got pushed diagnostics');
    assert.equal(await c.shutdown(), 0);
    assert.deepEqual(c.protocolErrors, []);
  });

  test('survives garbage: random code units, huge lines, NULs, unterminated everything, bad requests', async (t) => {
    const c = start({});
    await c.initialize();
    await c.open(URI, BROKEN, 1);
    await c.diagnosticsFor(URI, 1);

    const rnd = prng(7);
    const randomUnits = (n: number) => {
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(rnd() * 0x10000)); // lone surrogates too
      return s;
    };
    const garbage: Array<[string, string]> = [
      ['random UTF-16 code units', randomUnits(50_000)],
      ['random ASCII with newlines', Array.from({ length: 40_000 }, () => ' \n\t[]"\\=#;a1.${}+*:'[Math.floor(rnd() * 20)]).join('')],
      ['one 2 MB line', `[remote "${'x'.repeat(1_000_000)}"] url = ${'y'.repeat(1_000_000)}`],
      ['NULs', '\0'.repeat(10_000) + '[remote "a\0b"]\n\0url = \0\n'],
      ['unterminated everything', '[remote "x\n[remote\n  url = "abc\\\n  push = +refs/*:${na\n[gerrit "\n\\'],
      ['endless continuation', 'x = ' + 'v\\\n'.repeat(50_000)],
      ['many remotes, no urls', Array.from({ length: 5000 }, (_, i) => `[remote "r${i}"]\n  push = refs/${i}`).join('\n')],
      ['CR soup and BOMs', '\ufeff\r\r\n\ufeff[a]\r\rb=\r"\r\n'.repeat(1000)],
      ['empty', ''],
    ];
    let version = 1;
    for (const [what, text] of garbage) {
      version++;
      await c.changeAll(URI, version, text);
      await c.diagnosticsFor(URI, version, 30_000).catch((e) => assert.fail(`${what}: ${e.message}`));
      await everyFeatureAnswers(c, URI, 0, 3).catch((e) => assert.fail(`${what}: ${e.message}`));
      assert.ok(c.alive, `server died on ${what}`);
    }

    // Incremental edits with ranges past the end, and requests at absurd positions.
    version++;
    await c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version },
      contentChanges: [
        { range: { start: { line: 10_000, character: 5 }, end: { line: 20_000, character: 0 } }, text: '[remote "late"]\n' },
        { range: { start: { line: 0, character: 1_000_000 }, end: { line: 0, character: 0 } }, text: '\0"' },
      ],
    });
    await c.diagnosticsFor(URI, version);
    await everyFeatureAnswers(c, URI, 1_000_000, 1_000_000);

    // Malformed requests may be refused, but must not take the server down.
    const settle = (p: Promise<unknown>) => p.then(() => 'ok', () => 'error');
    await settle(c.request('textDocument/hover', null));
    await settle(c.request('textDocument/completion', { textDocument: { uri: 42 }, position: 'x' }));
    await settle(c.request('no/such/method', {}));
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nowhere/replication.config', version: 1 }, contentChanges: [{ text: 'x' }] });
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'x', version: 1, text: '[' } });
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { gitReplication: { severityOverrides: 'nonsense' } } });
    // Well-framed bodies that are not JSON, or JSON that is not JSON-RPC (nothing else is in flight).
    for (const body of ['{not json', '[1,2', '{"foo":1}', '"just a string"', '\u0000\u0001']) {
      const b = Buffer.from(body);
      c.child.stdin!.write(`Content-Length: ${b.length}\r\n\r\n`);
      c.child.stdin!.write(b);
    }

    // Still answering, and still validating.
    version++;
    await c.changeAll(URI, version, BROKEN);
    const last = await c.diagnosticsFor(URI, version);
    assert.ok(syntaxErrors(last.diagnostics).length >= 1);
    await everyFeatureAnswers(c, URI);
    assert.ok(c.alive);
    // Feature failures are caught and logged, never fatal; show what was logged.
    if (c.stderr.trim()) t.diagnostic(`server log:\n${c.stderr.slice(0, 2000)}`);
    assert.equal(await c.shutdown(), 0);
    assert.deepEqual(c.protocolErrors, []);
  });

  test('node IPC transport works too, and nothing is written to stdout', async () => {
    const c = start({ transport: 'ipc' });
    await c.initialize();
    await c.open(URI, BROKEN, 1);
    const d = await c.diagnosticsFor(URI, 1);
    assert.ok(syntaxErrors(d.diagnostics).length >= 1);
    await everyFeatureAnswers(c, URI);
    assert.equal(await c.shutdown(), 0);
    assert.equal(c.stdout, '');
  });
});
