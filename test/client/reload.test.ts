// The reload preview in the editor: a code lens on every [remote "…"] header (quoting undone,
// other sections and a commented header left alone), and the preview's text with the lens's
// remote first, the editor's own hint instead of the CLI's --json. Pure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReloadPreview, RemoteReloadDiff } from '../../server/src/protocol';
import { reloadPreviewText, remoteHeaders } from '../../client/src/models/reloadText';

test('a lens line per [remote] header, and none for other sections or comments', () => {
  const text = '[gerrit]\n\tdefaultForceUpdate = true\n[remote "local"]\n  url = /m/${name}.git\n# [remote "gone"]\n  [ REMOTE "we\\"ird" ]\r\n[remote]\n[remote "b"] ; c\n';
  assert.deepEqual(remoteHeaders(text), [{ line: 2, remote: 'local' }, { line: 5, remote: 'we"ird' }, { line: 7, remote: 'b' }]);
});

const diff = (remote: string, change: RemoteReloadDiff['change'], extra: Partial<RemoteReloadDiff> = {}): RemoteReloadDiff => ({
  remote, change, at: 'etc/replication.config:3', settings: [], urlsAdded: [], urlsRemoved: [], projectsAdded: [], projectsRemoved: [], targetsAdded: [], targetsRemoved: [], refs: [], notes: [], ...extra,
});
const preview: ReloadPreview = {
  site: '/site', against: 'saved', newRefused: false, oldRefused: false, diagnostics: [], siteSettings: [],
  remotes: [
    diff('backup', 'added', { urlsAdded: ['/m/backup/${name}.git'] }),
    diff('local', 'changed', { settings: [{ key: 'mirror', old: 'false', new: 'true' }], projectsAdded: Array.from({ length: 12 }, (_v, i) => `p${i}`) }),
  ],
  tasks: [{ key: 'k1', state: 'waiting', project: 'alpha', remote: 'gone', url: '/m/alpha.git', refs: ['refs/heads/main'], verdict: 'dropped', reason: 'remote gone is removed' }],
  badTaskFiles: 0, unchanged: false,
};

test('the preview text: the lens remote first, settings, urls, projects and dropped tasks; no --json hint', () => {
  const t = reloadPreviewText(preview, 'local');
  const lines = t.split('\n');
  assert.equal(lines[0], 'Reload preview: /site against saved');
  assert.equal(lines[1], 'remote changed: local (etc/replication.config:3)');
  assert.ok(lines.includes('  mirror: false → true'));
  assert.ok(lines.some((l) => /starts replicating 12 project\(s\): p0, .*, … and 2 more$/.test(l)));
  assert.ok(lines.includes('remote added: backup (etc/replication.config:3)'));
  assert.ok(lines.includes('  url added: /m/backup/${name}.git'));
  assert.ok(lines.some((l) => /dropped\s+alpha → gone \/m\/alpha\.git \[refs\/heads\/main\]: remote gone is removed/.test(l)));
  assert.doesNotMatch(t, /--json/);
  assert.match(reloadPreviewText(preview, 'other'), /^remote other: unchanged$/m);
});
