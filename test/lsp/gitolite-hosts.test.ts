// check --hosts in the editor: a multi-root workspace with two gitolite-admin clones (gl1, gl2)
// is checked as a whole; the real server publishes the cross-host finding on the file where the
// fix belongs, with the other host's place as related information.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lsp-client';
import { scratch } from '../support/helpers';

const root = scratch('gr-lsp-hosts-');
let client: LspClient | undefined;
after(() => {
  client?.kill();
  root.cleanup();
});

function clone(name: string, keys: string[]): string {
  const d = join(root.dir, name);
  mkdirSync(join(d, 'conf'), { recursive: true });
  mkdirSync(join(d, 'keydir'));
  writeFileSync(join(d, 'conf', 'gitolite.conf'), 'repo gitolite-admin\n    RW+ = admin\nrepo r1\n    RW+ = admin\n    option mirror.master = gl1\n    option mirror.copies = gl2\n');
  for (const k of keys) writeFileSync(join(d, 'keydir', `${k}.pub`), `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${k.length}x ${k}\n`);
  return d;
}

test('a multi-root workspace of gitolite hosts: the copy missing its master key is reported in its conf, the master\'s line related', async () => {
  const gl1 = clone('gl1', ['admin', 'server-gl2']);
  const gl2 = clone('gl2', ['admin']);
  client = new LspClient({ initializationOptions: { diagnosticsDelay: 0 } });
  await client.initialize(null, [pathToFileURL(gl1).href, pathToFileURL(gl2).href]);
  const conf = join(gl2, 'conf', 'gitolite.conf');
  const uri = pathToFileURL(conf).href;
  await client.open(uri, readFileSync(conf, 'utf8'));
  const p = await client.waitFor('the cross-host finding', () => [...client!.published].reverse().find((x) => x.uri === uri && x.diagnostics.some((d) => d.code === 'gl-hosts-key-missing')));
  const d = p.diagnostics.find((x) => x.code === 'gl-hosts-key-missing')!;
  assert.equal(d.severity, 1);
  assert.equal(d.range.start.line, 4);
  assert.match(d.message, /^'gl2' has no keydir\/server-gl1\.pub/);
  assert.deepEqual(d.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]), [[pathToFileURL(join(gl1, 'conf', 'gitolite.conf')).href, 5, 'gl1: option mirror.copies = gl2']]);
  // The master's own conf has nothing to fix: no cross-host finding there.
  const masterUri = pathToFileURL(join(gl1, 'conf', 'gitolite.conf')).href;
  await client.open(masterUri, readFileSync(join(gl1, 'conf', 'gitolite.conf'), 'utf8'));
  const m = await client.diagnosticsFor(masterUri);
  assert.deepEqual(m.diagnostics.filter((x) => String(x.code).startsWith('gl-hosts')), []);
});
