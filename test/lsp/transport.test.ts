// The stdio transport byte for byte, against the real server: a frame that would leave the server
// alive but out of step with the stream (so answering nothing, for ever) ends it instead, with a
// clear message on stderr, so the editor restarts it; well-formed frames in any chunking still
// work; and requests before initialize get ServerNotInitialized, as LSP requires.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { frame, RawServer } from '../support/lsp-frames';

const servers: RawServer[] = [];
after(() => {
  for (const s of servers) s.kill();
});
function start(): RawServer {
  const s = new RawServer();
  servers.push(s);
  return s;
}

const URI = 'file:///nonexistent/site/etc/replication.config';
const hover = (id: number) => ({ jsonrpc: '2.0', id, method: 'textDocument/hover', params: { textDocument: { uri: URI }, position: { line: 0, character: 1 } } });
const SECRET = 'tok-9f8e7d6c5b4a';
const openWithSecret = { jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: URI, languageId: 'gerrit-replication', version: 1, text: `[remote "a"]\n  url = https://bot:${SECRET}@h/\${name}.git\n` } } };

/** A frame whose Content-Length is `delta` bytes off the body's real length. */
function misframed(body: unknown, delta: number): Buffer {
  const b = Buffer.from(JSON.stringify(body));
  return Buffer.concat([Buffer.from(`Content-Length: ${b.length + delta}\r\n\r\n`), b]);
}

const BAD: Array<[string, () => Buffer | string, RegExp]> = [
  ['Content-Length: abc', () => 'Content-Length: abc\r\n\r\n{}', /Content-Length/],
  ['Content-Length: -1', () => 'Content-Length: -1\r\n\r\n{}', /Content-Length/],
  ['Content-Length: 12abc', () => 'Content-Length: 12abc\r\n\r\n{"jsonrpc":"2.0"}', /Content-Length/],
  ['Content-Length: +5', () => 'Content-Length: +5\r\n\r\n{"a":1}', /Content-Length/],
  ['an empty Content-Length', () => 'Content-Length: \r\n\r\n{}', /Content-Length/],
  ['a Content-Length too short for the body', () => Buffer.concat([misframed(openWithSecret, -7), frame(hover(2))]), /header/],
  ['a Content-Length of 2^31', () => Buffer.concat([Buffer.from('Content-Length: 2147483648\r\n\r\n'), frame(hover(2))]), /Content-Length/],
  ['a Content-Length of 10^20', () => 'Content-Length: 100000000000000000000\r\n\r\n{}', /Content-Length/],
  ['a header without Content-Length', () => 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{"jsonrpc":"2.0","id":2,"method":"shutdown"}', /Content-Length/],
  ['two different Content-Lengths', () => 'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}', /Content-Length/],
  ['a 1 MB header', () => `Content-Length: 2\r\nX-Padding: ${'a'.repeat(1 << 20)}\r\n\r\n{}`, /header/],
  ['a 1 MB header line without an end', () => `X-${'b'.repeat(1 << 20)}`, /header/],
  ['a header line without a colon', () => 'Content-Length 2\r\n\r\n{}', /header/],
  ['bare LF line ends', () => 'Content-Length: 2\n\n{}', /header/],
  ['a charset other than UTF-8', () => 'Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n{}', /charset/],
  ['garbage instead of a header', () => '{"jsonrpc":"2.0","id":2,"method":"shutdown"}', /header/],
  ['binary garbage', () => Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10, 13, 10]), /header/],
];

describe('a malformed frame ends the server with a message, never leaves it deaf', () => {
  for (const [what, bytes, reason] of BAD) {
    test(what, async () => {
      const s = start();
      const init = await s.initialize();
      assert.ok(init.result, 'initialize answered');
      s.write(bytes());
      const code = await s.waitExit().catch((e) => assert.fail(`${what}: the server neither exited nor answered: ${e.message}`));
      assert.notEqual(code, 0, 'a broken stream is not a clean shutdown');
      assert.match(s.stderr, /malformed frame/i);
      assert.match(s.stderr, reason);
      assert.match(s.stderr, /restart/i, 'the message says what happens next');
      assert.ok(!s.stderr.includes(SECRET), 'the message quotes no document text');
    });
  }

  test('the same before initialize', async () => {
    const s = start();
    s.write('Content-Length: abc\r\n\r\n{}');
    assert.notEqual(await s.waitExit(), 0);
    assert.match(s.stderr, /malformed frame/i);
  });
});

describe('a frame that stops arriving', () => {
  const env = { ...process.env, GIT_REPLICATION_FRAME_STALL_MS: '800' };

  test('a Content-Length longer than the body that came ends the server once nothing more arrives', async () => {
    const s = new RawServer(['--stdio'], env);
    servers.push(s);
    await s.initialize();
    s.write('Content-Length: 400\r\n\r\n{"jsonrpc":"2.0","id":9,');
    assert.notEqual(await s.waitExit(), 0);
    assert.match(s.stderr, /malformed frame from the client: a frame stopped arriving: \d+ bytes of it came, then nothing for 0\.8 s/);
  });

  test('a header cut off half-way too', async () => {
    const s = new RawServer(['--stdio'], env);
    servers.push(s);
    await s.initialize();
    s.write('Content-Len');
    assert.notEqual(await s.waitExit(), 0);
    assert.match(s.stderr, /stopped arriving/);
  });

  test('a frame that arrives in slow pieces, and an idle stream between frames, are fine', async () => {
    const s = new RawServer(['--stdio'], env);
    servers.push(s);
    await s.initialize();
    const bytes = frame(hover(5));
    for (let i = 0; i < bytes.length; i += 40) {
      s.write(bytes.subarray(i, i + 40));
      await new Promise((r) => setTimeout(r, 300));
    }
    await s.waitFor('hover 5', () => s.messages.find((m) => m.id === 5));
    await new Promise((r) => setTimeout(r, 1500)); // idle between frames: no stall
    const r = await s.request('textDocument/hover', hover(0).params);
    assert.equal(r.error, undefined);
    assert.ok(s.alive);
  });
});

describe('well-formed frames work however they are cut', () => {
  test('one byte at a time, several frames in one write, any header case, a Content-Type, Content-Length: 0', async () => {
    const s = start();
    const init = frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    for (const b of init) s.write(Buffer.from([b]));
    await s.waitFor('initialize', () => s.messages.find((m) => m.id === 1));
    s.write(Buffer.concat([frame({ jsonrpc: '2.0', method: 'initialized', params: {} }), frame(openWithSecret), frame(hover(2)), frame(hover(3))]));
    await s.waitFor('two hovers', () => s.messages.some((m) => m.id === 2) && s.messages.some((m) => m.id === 3));
    const body = Buffer.from(JSON.stringify(hover(4)));
    s.write(Buffer.concat([Buffer.from(`content-length:${body.length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf8\r\n\r\n`), body]));
    await s.waitFor('hover 4', () => s.messages.find((m) => m.id === 4));
    s.write('Content-Length: 0\r\n\r\n');
    const r = await s.request('textDocument/hover', hover(5).params);
    assert.equal(r.error, undefined);
    assert.ok(s.alive);
  });

  test('a well-framed body that is not JSON-RPC gets an error response, and the server goes on', async () => {
    const s = start();
    await s.initialize();
    for (const body of ['{not json', '[1,2', '"just a string"', 'null', '\u0000\u0001', '[]']) s.write(frame(body));
    const r = await s.request('textDocument/hover', hover(0).params);
    assert.equal(r.error, undefined);
    const errors = s.messages.filter((m) => m.id === null && m.error);
    assert.ok(errors.some((m) => m.error!.code === -32700), `a parse error was answered: ${JSON.stringify(errors)}`);
    assert.ok(errors.some((m) => m.error!.code === -32600), `an invalid request was answered: ${JSON.stringify(errors)}`);
    assert.ok(s.alive);
    const shut = await s.request('shutdown', null);
    assert.equal(shut.error, undefined);
    s.notify('exit', null);
    assert.equal(await s.waitExit(), 0);
  });

  test('stdin closing ends the server', async () => {
    const s = start();
    await s.initialize();
    s.child.stdin!.end();
    assert.equal(await s.waitExit(), 1, 'no shutdown came first');
  });
});

describe('before initialize', () => {
  test('requests get ServerNotInitialized (-32002), notifications are dropped, initialize then works', async () => {
    const s = start();
    const r = await s.request('textDocument/hover', hover(0).params);
    assert.equal(r.error?.code, -32002, JSON.stringify(r));
    const sym = await s.request('textDocument/documentSymbol', { textDocument: { uri: URI } });
    assert.equal(sym.error?.code, -32002);
    s.send(openWithSecret); // dropped: the document is not open after initialize
    const init = await s.initialize();
    assert.ok(init.result);
    const after = await s.request('textDocument/documentSymbol', { textDocument: { uri: URI } });
    assert.equal(after.error, undefined);
    assert.deepEqual(after.result, [], 'the didOpen sent before initialize was dropped');
  });

  test('exit before initialize ends the server', async () => {
    const s = start();
    s.notify('exit', null);
    assert.equal(await s.waitExit(), 1);
  });
});
