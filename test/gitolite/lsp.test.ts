// The bundled server (dist/server.js over stdio) on a gitolite home: the rc and the conf get
// their diagnostics, and a fix in the rc clears the cross-file finding.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspClient } from '../support/lsp-client';
import { scratch } from '../support/helpers';

const home = scratch('gr-gl-lsp-');
const c = new LspClient({ initializationOptions: { diagnosticsDelay: 0 } });
after(() => {
  c.kill();
  home.cleanup();
});

test('LSP: gitolite.conf and .gitolite.rc diagnostics, hover, and a fix in the rc', async () => {
  mkdirSync(join(home.dir, '.gitolite', 'conf'), { recursive: true });
  const rcPath = join(home.dir, '.gitolite.rc');
  const confPath = join(home.dir, '.gitolite', 'conf', 'gitolite.conf');
  const rc = "%RC = (\n    HOSTNAME => 'serer1',\n    ENABLE => [ 'help', 'Mirroring' ],\n);\n1;\n";
  const conf = 'repo r1\n    RW+ = u1 u$2\n    option mirror.master = server1\n    option mirror.copies = server2\n';
  writeFileSync(rcPath, rc);
  writeFileSync(confPath, conf);
  await c.initialize(pathToFileURL(home.dir).toString());
  const rcUri = pathToFileURL(rcPath).toString();
  const confUri = pathToFileURL(confPath).toString();
  c.open(confUri, conf);
  const cd = await c.diagnosticsFor(confUri, 1);
  assert.deepEqual(cd.diagnostics.map((d) => [d.code, d.message, d.range.start.line]), [['gl-bad-username', "bad username 'u$2'", 1]]);
  c.open(rcUri, rc);
  const rd = await c.diagnosticsFor(rcUri, 1);
  assert.equal(rd.diagnostics.length, 1, JSON.stringify(rd.diagnostics));
  assert.equal(rd.diagnostics[0].code, 'gl-mirror-hostname-unknown');
  assert.match(rd.diagnostics[0].message, /did you mean 'server1'\?/);
  const hover = await c.request<Hover>('textDocument/hover', { textDocument: { uri: confUri }, position: { line: 0, character: 6 } });
  assert.match(JSON.stringify(hover.contents), /this host \(`serer1`\): mirrored elsewhere/);
  c.changeAll(rcUri, 2, rc.replace('serer1', 'server1'));
  const fixed = await c.diagnosticsFor(rcUri, 2);
  assert.deepEqual(fixed.diagnostics, []);
  assert.equal(c.protocolErrors.length, 0, c.protocolErrors.join('\n'));
});
