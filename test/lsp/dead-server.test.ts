// The test client against a server that exits before answering: its requests fail at once, with
// the exit code and the server's stderr, instead of waiting for ever (a hung test file once held
// a whole run for 9 minutes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LspClient } from '../support/lsp-client';
import { scratch } from '../support/helpers';

test('a request to a server that has exited fails with its exit code and stderr', async () => {
  const s = scratch('gr-dead-server-');
  try {
    const server = join(s.dir, 'dies.js');
    writeFileSync(server, "process.stderr.write('going away\\n'); process.exit(3);\n");
    const client = new LspClient({ serverPath: server });
    const answer = client.initialize().then(
      () => 'answered',
      (e: Error) => e.message,
    );
    const late = new Promise<string>((r) => setTimeout(() => r('no answer in 10 s'), 10_000).unref());
    const message = await Promise.race([answer, late]);
    assert.match(message, /^initialize: the server exited \(code 3\) before answering/);
    assert.match(message, /going away/);
    await assert.rejects(client.request('shutdown', null), /^Error: shutdown: the server exited \(code 3\)/);
    client.kill();
  } finally {
    s.cleanup();
  }
});
