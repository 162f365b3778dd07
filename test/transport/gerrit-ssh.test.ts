// Gerrit's ssh admin commands (adminUrl gerrit+ssh://) through a real sshd. No Gerrit runs
// here, so sshd's ForceCommand records the command it was asked to run, which is what a
// Gerrit ssh daemon would parse; its exit code stands in for Gerrit's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProjectOverGerritSsh, deleteProjectOverGerritSsh, setHeadOverGerritSsh } from '../../server/src/engine/transport/adminGerritSsh';
import type { TransportOptions } from '../../server/src/engine/transport/invocation';
import { scratch } from '../support/helpers';
import { SshServer, startSshd } from '../infra/sshd';

let sshd: SshServer;
let work: { dir: string; cleanup: () => void };
let log: string;
let noPlugin: string;
let opts: TransportOptions;

before(async () => {
  work = scratch('gr-gerrit-ssh-');
  log = join(work.dir, 'commands.log');
  noPlugin = join(work.dir, 'no-delete-plugin');
  const recorder = join(work.dir, 'gerrit-recorder');
  writeFileSync(
    recorder,
    `#!/bin/sh\nprintf '%s\\n' "$SSH_ORIGINAL_COMMAND" >> '${log}'\ncase "$SSH_ORIGINAL_COMMAND" in deleteproject*) [ -e '${noPlugin}' ] && { echo "fatal: deleteproject: not found" >&2; exit 1; } ;; esac\nexit 0\n`,
  );
  chmodSync(recorder, 0o755);
  sshd = await startSshd({ extraConfig: [`ForceCommand ${recorder}`] });
  opts = { knownHosts: sshd.knownHosts, identityFile: sshd.identityFile, sshConfig: 'none', timeout: 10 };
});

after(async () => {
  await sshd?.stop();
  work?.cleanup();
});

const lastCommand = () => readFileSync(log, 'utf8').trim().split('\n').at(-1);

test('gerrit+ssh: create-project, set-head and deleteproject, quoted', async () => {
  const admin = `gerrit+ssh://${sshd.user}@127.0.0.1:${sshd.port}/`;
  assert.deepEqual(await createProjectOverGerritSsh(admin, 'team/a b', 'refs/heads/main', opts), { ok: true });
  assert.equal(lastCommand(), "gerrit create-project --branch refs/heads/main 'team/a b'");
  assert.deepEqual(await setHeadOverGerritSsh(admin, 'team/x', 'refs/heads/stable', opts), { ok: true });
  assert.equal(lastCommand(), 'gerrit set-head team/x --new-head refs/heads/stable');
  assert.deepEqual(await deleteProjectOverGerritSsh(admin, 'team/x', opts), { ok: true });
  assert.equal(lastCommand(), 'deleteproject delete --yes-really-delete --force team/x');
});

test('gerrit+ssh: deleteproject exiting 1 means the plugin is missing', async () => {
  writeFileSync(noPlugin, '');
  const r = await deleteProjectOverGerritSsh(`gerrit+ssh://${sshd.user}@127.0.0.1:${sshd.port}/`, 'gone', opts);
  assert.equal(r.ok, false);
  assert.equal(r.pluginMissing, true);
  assert.match(r.error!, /deleteproject: not found/);
});

test('gerrit+ssh: unsafe input and unknown hosts never reach Gerrit', async () => {
  const before = existsSync(log) ? readFileSync(log, 'utf8') : '';
  const admin = `gerrit+ssh://${sshd.user}@127.0.0.1:${sshd.port}/`;
  assert.match((await createProjectOverGerritSsh(admin, '-x', 'refs/heads/main', opts)).error!, /^refusing project/);
  assert.match((await createProjectOverGerritSsh(admin, 'ok', '--help', opts)).error!, /^refusing ref/);
  assert.match((await setHeadOverGerritSsh(`ssh://127.0.0.1:${sshd.port}/`, 'ok', 'refs/heads/x', opts)).error!, /not a gerrit\+ssh admin URL/);
  assert.match((await createProjectOverGerritSsh('gerrit+ssh://-oProxyCommand=x/', 'ok', 'refs/heads/main', opts)).error!, /^refusing admin URL/);
  const empty = join(work.dir, 'known_hosts_empty');
  writeFileSync(empty, '');
  const r = await createProjectOverGerritSsh(admin, 'ok', 'refs/heads/main', { ...opts, knownHosts: empty });
  assert.match(r.error!, /Host key verification failed/);
  assert.equal(readFileSync(empty, 'utf8'), '');
  assert.equal(existsSync(log) ? readFileSync(log, 'utf8') : '', before, 'nothing was run');
});
