// The Remotes view's summaries over a real site: diagnostics are attributed per [remote] block
// (a second `[remote "local"]` after another remote is not blamed on that one), a remote defined
// twice shows both blocks, and every value of a multi-valued key is listed with its own tree id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { scratch } from '../support/helpers';
import { bare, writeSite } from '../support/engine-helpers';
import { EngineBridge } from '../../server/src/lsp/engineBridge';
import { remoteNodes } from '../../client/src/models/remotesModel';

const CONFIG = [
  '[remote "local"]', //            1
  '  url = /m/local/${name}.git', // 2
  '  push = +refs/heads/*:refs/heads/*', // 3
  '  push = +refs/tags/*:refs/tags/*', // 4
  '[remote "backup"]', //            5
  '  url = /m/backup/${name}.git', // 6
  '[gerrit]', //                     7
  '  autoReload = true', //          8
  '[remote "local"]', //             9
  '  threads = lots', //            10: an error of local's second block
  '  timeout = 1x', //              11
  '',
].join('\n');

test('diagnostics are counted per [remote] block; a remote defined twice lists both blocks', async () => {
  const s = scratch('gr-remotes-');
  const bridge = new EngineBridge({ queueChanged: () => {}, log: () => {} }, { site: join(s.dir, 'site'), trusted: true });
  try {
    writeSite(join(s.dir, 'site'), CONFIG);
    bare(join(s.dir, 'site', 'git', 'alpha.git'));
    const remotes = bridge.remotes({});
    const local = remotes.find((r) => r.name === 'local')!;
    const backup = remotes.find((r) => r.name === 'backup')!;
    assert.equal(backup.errors + backup.warnings, 0, `backup is clean: ${JSON.stringify(backup)}`);
    assert.ok(local.errors >= 1, JSON.stringify(local));
    assert.deepEqual(local.blocks.map((b) => [b.line, b.errors > 0]), [[1, false], [9, true]]);
    assert.deepEqual(backup.blocks.map((b) => b.line), [5]);
    const [node] = remoteNodes([local]);
    assert.deepEqual(node.open, { file: local.blocks[1].file, line: 9 }, 'the click goes to the block with the errors');
    const blocks = node.children!.find((c) => c.kind === 'blocks')!;
    assert.deepEqual(blocks.children!.map((c) => c.label), ['replication.config:1', 'replication.config:9']);
    assert.match(node.tooltip!, /replication\.config:9 — \d+ errors?/);
    // Both push lines are listed, each with its own id.
    const settings = node.children!.find((c) => c.kind === 'settings')!;
    const push = settings.children!.filter((c) => c.label.toLowerCase() === 'push');
    assert.deepEqual(push.map((c) => c.description), ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*']);
    const ids = node.children!.flatMap((c) => [c.id, ...(c.children ?? []).map((x) => x.id)]);
    assert.equal(new Set(ids).size, ids.length, 'tree ids are unique');
  } finally {
    await bridge.dispose();
    s.cleanup();
  }
});
