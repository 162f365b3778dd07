// `check --hosts` against two real gitolite3 hosts behind a loopback sshd (issue 12 item 3): the
// set-up is broken one way at a time, the check must name the place and quote gitolite's answer,
// and a real push (gitolite's own `gitolite mirror push`, or a user's git push over ssh) must then
// fail, or go astray, exactly there. Each case puts the hosts back as they were.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratch } from '../support/helpers';
import { GitoliteHosts, mirrorConf, startGitoliteHosts } from '../infra/gitoliteHosts';
import type { CheckDiagnostic } from '../../server/src/protocol';

let g: GitoliteHosts;
let work: ReturnType<typeof scratch>;

const BASE = [
  { repo: 'r1', master: 'gl1', options: ['mirror.copies = gl2'] },
  { repo: 'r5' },
];

function check(): { code: number; diags: CheckDiagnostic[]; text: string } {
  const args = ['check', '--hosts', `gl1=${g.hosts.gl1.home}`, `gl2=${g.hosts.gl2.home}`];
  const json = runCli([...args, '--format', 'json']);
  const text = runCli(args);
  assert.equal(text.code, json.code);
  const diags = (JSON.parse(json.stdout).diagnostics as CheckDiagnostic[]).filter((d) => d.code.startsWith('gl-hosts-'));
  return { code: json.code ?? 1, diags, text: text.stdout };
}

/** A new commit on r1 at gl1, made by the hosting user (no trigger runs). */
let n = 0;
function commit(host: string, repo: string): string {
  const r = g.as(host, `cd repositories/${repo}.git && t=$(git hash-object -t tree -w --stdin </dev/null) && c=$(echo "c${++n}" | GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@x GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@x git commit-tree $t $(git rev-parse -q --verify refs/heads/master | sed 's/^/-p /')) && git update-ref refs/heads/master $c && echo $c`);
  assert.equal(r.code, 0, r.output);
  return r.output.trim().split('\n').pop()!;
}

const head = (host: string, repo: string) => g.as(host, `git --git-dir=repositories/${repo}.git rev-parse -q --verify refs/heads/master`).output.trim();

/** gitolite's own mirror push, on gl1, as a cron job or the trigger would run it. */
function mirrorPush(repo: string): { code: number; output: string } {
  return g.as('gl1', `GL_USER=admin gitolite mirror push gl2 ${repo}`);
}

/** The admin's git push over ssh, as a user would push. */
function userPush(host: string, repo: string): { code: number; output: string } {
  const r = spawnSync('git', ['-C', join(work.dir, 'clone'), 'push', '-f', `${host}:${repo}`, `HEAD:refs/heads/master`], {
    encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH!, HOME: work.dir, GIT_CONFIG_NOSYSTEM: '1', GIT_SSH_COMMAND: `ssh -F ${g.adminSshConfig}` },
  });
  return { code: r.status ?? 1, output: r.stdout + r.stderr };
}

function restore(): void {
  g.setConf('gl1', mirrorConf(BASE));
  g.setConf('gl2', mirrorConf(BASE));
}

before(async () => {
  g = await startGitoliteHosts(['gl1', 'gl2']);
  work = scratch('gr-gl-hosts-');
  restore();
  commit('gl1', 'r1');
  const git = (...a: string[]) => spawnSync('git', a, { encoding: 'utf8', env: { PATH: process.env.PATH!, HOME: work.dir, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } });
  assert.equal(git('init', '-q', '-b', 'master', join(work.dir, 'clone')).status, 0);
  assert.equal(git('-C', join(work.dir, 'clone'), 'commit', '-q', '--allow-empty', '-m', 'user').status, 0);
});

after(async () => {
  await g?.stop();
  work?.cleanup();
});

test('check --hosts: the two-host set-up as it should be is clean, and gitolite mirrors r1', () => {
  const r = check();
  assert.equal(r.code, 0, r.text);
  assert.deepEqual(r.diags, [], r.text);
  const c = commit('gl1', 'r1');
  const p = mirrorPush('r1');
  assert.equal(p.code, 0, p.output);
  assert.equal(head('gl2', 'r1'), c);
});

test('check --hosts: a HOSTNAME that is not the name the others use; the copy refuses the push as the check says', () => {
  const rcFile = join(g.hosts.gl2.home, '.gitolite.rc');
  const rc = readFileSync(rcFile, 'utf8');
  try {
    writeFileSync(rcFile, rc.replace("HOSTNAME                        =>  'gl2',", "HOSTNAME                        =>  'glb',"));
    const r = check();
    assert.equal(r.code, 1);
    const [d] = r.diags;
    assert.equal(d.code, 'gl-hosts-hostname-mismatch');
    assert.equal(d.severity, 'error');
    assert.equal(d.file, join(g.hosts.gl2.home, '.gitolite.rc'));
    assert.match(rc.split('\n')[d.line - 1], /HOSTNAME\s+=>\s+'gl2'/);
    assert.equal(d.related?.[0].file, join(g.hosts.gl1.home, '.gitolite', 'conf', 'gitolite.conf'));
    assert.match(r.text, /\.gitolite\.rc:\d+:\d+: error: HOSTNAME is 'glb' on the host the others call 'gl2'.*\n.*gitolite\.conf:\d+:\d+: note: gl1: option mirror\.copies = gl2/);
    commit('gl1', 'r1');
    const p = mirrorPush('r1');
    assert.equal(p.code, 1, p.output);
    const quoted = /\("(FATAL: [^"]+)"\)/.exec(d.message)![1];
    assert.equal(quoted, "FATAL: glb: 'r1' is mirrored but not here");
    assert.match(p.output, new RegExp(quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  } finally {
    writeFileSync(rcFile, rc);
  }
});

test("check --hosts: the master's key missing on the copy, or installed under another name; the pushes fail as the check says", () => {
  const keydir = join(g.hosts.gl2.home, '.gitolite', 'keydir');
  const key = join(keydir, 'server-gl1.pub');
  const other = join(keydir, 'server-glx.pub');
  try {
    renameSync(key, join(g.hosts.gl2.home, 'server-gl1.pub.away'));
    assert.equal(g.as('gl2', 'gitolite setup').code, 0);
    let r = check();
    assert.equal(r.code, 1);
    assert.deepEqual(r.diags.map((d) => [d.code, d.severity]), [['gl-hosts-key-missing', 'error']]);
    assert.match(r.diags[0].message, /^'gl2' has no keydir\/server-gl1\.pub, so it refuses every mirror push from 'gl1' \(ssh: "Permission denied \(publickey\)"\)/);
    assert.equal(r.diags[0].related?.[0].file, join(g.hosts.gl1.home, '.gitolite', 'conf', 'gitolite.conf'));
    commit('gl1', 'r1');
    let p = mirrorPush('r1');
    assert.equal(p.code, 1, p.output);
    assert.match(p.output, /Permission denied \(publickey\)/);

    // The same key as server-glx.pub: gitolite on gl2 takes gl1's pushes as 'glx''s.
    renameSync(join(g.hosts.gl2.home, 'server-gl1.pub.away'), other);
    assert.equal(g.as('gl2', 'gitolite setup').code, 0);
    r = check();
    const named = r.diags.find((d) => d.code === 'gl-hosts-key-name')!;
    assert.ok(named, r.text);
    assert.equal(named.file, other);
    assert.equal(named.related?.[0].file, join(g.hosts.gl1.home, '.ssh', 'id_ed25519.pub'));
    const quoted = /\("(FATAL: [^"]+)"\)/.exec(named.message)![1];
    assert.equal(quoted, "FATAL: gl2: 'glx' is not the master for 'r1'");
    p = mirrorPush('r1');
    assert.equal(p.code, 1, p.output);
    assert.ok(p.output.includes(quoted), p.output);
  } finally {
    renameSync(other, key);
    assert.equal(g.as('gl2', 'gitolite setup').code, 0);
  }
  assert.deepEqual(check().diags, []);
});

test("check --hosts: the master's ssh alias for the copy missing; the push goes to DNS and fails", () => {
  const cfg = join(g.hosts.gl1.home, '.ssh', 'config');
  const text = readFileSync(cfg, 'utf8');
  try {
    writeFileSync(cfg, text.replace(/Host gl2\n(    .*\n)+/, ''));
    const r = check();
    const [d] = r.diags;
    assert.deepEqual(r.diags.map((x) => x.code), ['gl-hosts-alias-missing'], r.text);
    assert.equal(d.severity, 'warning');
    assert.equal(d.file, join(g.hosts.gl1.home, '.gitolite', 'conf', 'gitolite.conf'));
    commit('gl1', 'r1');
    const p = mirrorPush('r1');
    assert.equal(p.code, 1, p.output);
    assert.match(p.output, /Could not resolve hostname gl2/);
  } finally {
    writeFileSync(cfg, text);
  }
});

test('check --hosts: a copy whose conf names another master refuses the push; a copy its master does not list never gets one', () => {
  try {
    g.setConf('gl2', mirrorConf([{ repo: 'r1', master: 'gl3', options: ['mirror.copies = gl2'] }, { repo: 'r5', master: 'gl1', options: ['mirror.copies = gl2'] }]));
    const r = check();
    assert.equal(r.code, 1);
    const refused = r.diags.find((d) => d.code === 'gl-hosts-push-refused')!;
    assert.ok(refused, r.text);
    assert.equal(refused.file, join(g.hosts.gl1.home, '.gitolite', 'conf', 'gitolite.conf'));
    assert.equal(refused.related?.[0].file, join(g.hosts.gl2.home, '.gitolite', 'conf', 'gitolite.conf'));
    const quoted = /\("(FATAL: [^"]+)"\)/.exec(refused.message)![1];
    assert.equal(quoted, "FATAL: gl2: 'gl1' is not the master for 'r1'");
    commit('gl1', 'r1');
    const p = mirrorPush('r1');
    assert.equal(p.code, 1, p.output);
    assert.ok(p.output.includes(quoted), p.output);

    // r5: gl2 waits for gl1, but r5 is local on gl1: a user's push there is taken and goes nowhere.
    const stale = r.diags.find((d) => d.code === 'gl-hosts-not-pushed')!;
    assert.ok(stale, r.text);
    assert.equal(stale.severity, 'warning');
    assert.equal(stale.file, join(g.hosts.gl2.home, '.gitolite', 'conf', 'gitolite.conf'));
    assert.match(stale.message, /'gl1''s conf has no mirror options for 'r5' \(it is local there\): 'gl1' never pushes it here/);
    const u = userPush('gl1', 'r5');
    assert.equal(u.code, 0, u.output);
    assert.notEqual(head('gl1', 'r5'), '');
    // Local on gl1, so its POST_GIT trigger returned at once: there is no mirror push to wait for.
    assert.equal(g.as('gl1', 'gitolite mirror list copies r5').output.trim(), '');
    assert.equal(head('gl2', 'r5'), '', 'the copy never got the push');
    assert.deepEqual(r.diags.map((d) => d.code).sort(), ['gl-hosts-not-pushed', 'gl-hosts-push-refused']);
  } finally {
    restore();
  }
});

test("check --hosts: redirectOK on the copy that its master does not share; a user's push to the copy fails as the check says", () => {
  try {
    g.setConf('gl2', mirrorConf([{ repo: 'r1', master: 'gl1', options: ['mirror.copies = gl2', 'mirror.redirectOK = gl2'] }, { repo: 'r5' }]));
    const r = check();
    assert.deepEqual(r.diags.map((d) => [d.code, d.severity]), [['gl-hosts-redirect-refused', 'warning']], r.text);
    const [d] = r.diags;
    assert.equal(d.file, join(g.hosts.gl2.home, '.gitolite', 'conf', 'gitolite.conf'));
    const quoted = /\("(FATAL: [^"]+)"\)/.exec(d.message)![1];
    assert.equal(quoted, "FATAL: gl1: redirection not allowed from 'gl2'");
    const u = userPush('gl2', 'r1');
    assert.notEqual(u.code, 0, u.output);
    assert.ok(u.output.includes(quoted), u.output);
    // With the master trusting gl2 too, the same push is redirected to gl1 and lands there.
    g.setConf('gl1', mirrorConf([{ repo: 'r1', master: 'gl1', options: ['mirror.copies = gl2', 'mirror.redirectOK = gl2'] }, { repo: 'r5' }]));
    assert.deepEqual(check().diags, []);
    const ok = userPush('gl2', 'r1');
    assert.equal(ok.code, 0, ok.output);
    assert.equal(head('gl1', 'r1'), spawnSync('git', ['-C', join(work.dir, 'clone'), 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim());
  } finally {
    restore();
  }
});

test('check --hosts: copies that differ where no push breaks yet are a warning; bad arguments are usage errors', () => {
  try {
    g.setConf('gl2', mirrorConf([{ repo: 'r1', master: 'gl1', options: ['mirror.copies = gl2 gl3'] }, { repo: 'r5' }]));
    const r = check();
    assert.equal(r.code, 0);
    assert.deepEqual(r.diags.map((d) => [d.code, d.severity]), [['gl-hosts-repo-differs', 'warning']], r.text);
    assert.match(r.diags[0].message, /'r1' has copies 'gl2 gl3' on 'gl2' but 'gl2' on its master 'gl1'/);
  } finally {
    restore();
  }
  assert.equal(runCli(['check', '--hosts', `gl1=${g.hosts.gl1.home}`]).code, 2);
  assert.equal(runCli(['check', '--hosts', `gl1=${g.hosts.gl1.home}`, g.hosts.gl2.home]).code, 2);
  assert.equal(runCli(['check', '--hosts', `gl1=${g.hosts.gl1.home}`, `gl1=${g.hosts.gl2.home}`]).code, 2);
});
