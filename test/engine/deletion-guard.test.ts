// The ref deletion guard: a full sync with `mirror = true` from a source that lost most of its
// refs. Interactive paths ask (start --wait on a real terminal, through `script`; the language
// server's start answers needsConfirmation); scripts are refused without --yes; the daemon pushes
// as Gerrit does, logs it loudly, and status shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, runCli, scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { startDaemon, stopDaemon, until } from '../support/daemon';
import { LspClient } from '../support/lsp-client';
import { Requests, type StartResult } from '../../server/src/protocol';
import { parseDeletionGuard, tripsGuard } from '../../server/src/engine/preview/deletionGuard';

const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.001' };
const BRANCHES = 20;
const KEPT = 5;

/** A mirror holding 20 branches of `p`, and a source that has lost 15 of them. */
function scenario() {
  const s = scratch('gr-guard-');
  const site = join(s.dir, 'site');
  const mirrors = join(s.dir, 'mirrors');
  writeSite(site, `[remote "m"]\n  url = ${mirrors}/\${name}.git\n  mirror = true\n  replicationDelay = 0\n`);
  const w = workRepo(join(s.dir, 'work'));
  const c = w.commit('one');
  const src = bare(join(site, 'git', 'p.git'));
  const mirror = bare(join(mirrors, 'p.git'));
  const all = Array.from({ length: BRANCHES }, (_, i) => `${c}:refs/heads/b${String(i).padStart(2, '0')}`);
  const fill = () => git(w.dir, 'push', '-q', '--force', mirror, ...all);
  git(w.dir, 'push', '-q', src, ...all);
  fill();
  for (let i = KEPT; i < BRANCHES; i++) git(src, 'update-ref', '-d', `refs/heads/b${String(i).padStart(2, '0')}`);
  return { s, site, mirror, fill };
}

/** Runs the CLI on a real pseudo-terminal (util-linux script), typing `answer` at it. */
function onTerminal(args: string[], answer: string): Promise<{ code: number | null; output: string }> {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', quoted, '/dev/null'], { env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let typed = false;
    const onData = (d: Buffer) => {
      output += d;
      // Answer once the question is on the screen, as a person would.
      if (!typed && /\[y\/N\] /.test(output)) {
        typed = true;
        child.stdin.write(answer);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test('the guard rule: more than COUNT refs, or more than PERCENT of the mirror; off; bad specs', () => {
  const g = parseDeletionGuard('10,50%');
  assert.equal(tripsGuard(g, 10, 1000), false);
  assert.equal(tripsGuard(g, 11, 1000), true);
  assert.equal(tripsGuard(g, 1, 2), false, 'half is not more than half');
  assert.equal(tripsGuard(g, 2, 3), true);
  assert.equal(tripsGuard(g, 0, 0), false);
  assert.equal(tripsGuard(parseDeletionGuard('off'), 500, 500), false);
  assert.equal(tripsGuard(parseDeletionGuard('3'), 4, 1000), true);
  assert.equal(tripsGuard(parseDeletionGuard('25%'), 3, 10), true);
  for (const bad of ['', 'ten', '10,20', '150%', '5%,6%', '-1']) assert.throws(() => parseDeletionGuard(bad), /deletion guard/, bad);
});

test('plan lists the deletions first; start --wait asks on a terminal, refuses in a script, --yes pushes', async () => {
  const x = scenario();
  try {
    const plan = runCli(['plan', '--site', x.site, 'p'], { env: ENV });
    const lines = plan.stdout.split('\n');
    assert.match(lines[0], /^warning: 1 target\(s\) would delete more refs than the ref deletion guard allows \(more than 10 ref\(s\) or more than 50% of the mirror's refs\):$/);
    assert.match(lines[1], /^ {2}p → m {2}.*p\.git: deletes 15 of 20 ref\(s\)$/);
    const target = lines.findIndex((l) => /^p → m /.test(l));
    assert.deepEqual(lines.slice(target + 1, target + 16).map((l) => l.trim().split(/\s+/)[0]), Array(15).fill('delete'), 'deletions come first');
    const pj = JSON.parse(runCli(['plan', '--site', x.site, '--json', 'p'], { env: ENV }).stdout);
    assert.equal(pj.deletionGuardHits[0].deletes.length, 15);
    assert.equal(pj.deletionGuardHits[0].mirrorRefs, 20);

    // A script (no terminal): nothing is deleted, and the error says how to go on.
    const piped = runCli(['start', '--site', x.site, '--wait', '--now', 'p'], { env: ENV });
    assert.equal(piped.code, 1, piped.stderr);
    assert.match(piped.stderr, /^ {4}delete refs\/heads\/b05$/m);
    assert.match(piped.stderr, /error: not pushed: 1 target\(s\) listed above; confirm on a terminal, or pass --yes/);
    assert.equal(refsOf(x.mirror).size, BRANCHES);

    // On a terminal: "n" keeps the mirror, "y" pushes the deletions.
    const no = await onTerminal(['start', '--site', x.site, '--wait', '--now', 'p'], 'n\n');
    assert.equal(no.code, 1, no.output);
    assert.match(no.output, /deletes 15 of 20 ref\(s\)[\s\S]*Push and delete them\? \[y\/N\] [\s\S]*not pushed: 1 target\(s\) listed above/);
    assert.equal(refsOf(x.mirror).size, BRANCHES);
    const yes = await onTerminal(['start', '--site', x.site, '--wait', '--now', 'p'], 'y\n');
    assert.equal(yes.code, 0, yes.output);
    assert.match(yes.output, /Replication completed successfully!/);
    assert.equal(refsOf(x.mirror).size, KEPT);

    // --yes, and a guard turned off, push without asking.
    x.fill();
    const forced = runCli(['start', '--site', x.site, '--wait', '--now', '--yes', 'p'], { env: ENV });
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(refsOf(x.mirror).size, KEPT);
    x.fill();
    const off = runCli(['start', '--site', x.site, '--wait', '--now', '--ref-deletion-guard', 'off', 'p'], { env: ENV });
    assert.equal(off.code, 0, off.stderr);
    assert.doesNotMatch(off.stderr, /deletion guard/);
    assert.equal(refsOf(x.mirror).size, KEPT);
    // A higher guard lets this one through; a bad one is a usage error.
    x.fill();
    assert.equal(runCli(['start', '--site', x.site, '--wait', '--now', 'p'], { env: { ...ENV, GIT_REPLICATION_REF_DELETION_GUARD: '20,80%' } }).code, 0);
    assert.equal(refsOf(x.mirror).size, KEPT);
    assert.equal(runCli(['start', '--site', x.site, '--wait', '--ref-deletion-guard', 'lots', 'p'], { env: ENV }).code, 2);
  } finally {
    x.s.cleanup();
  }
});

test('the daemon pushes a mass deletion as Gerrit does, logs it as an error, and status shows it', async () => {
  const x = scenario();
  const before = runCli(['status', '--site', x.site, 'p'], { env: ENV });
  assert.match(before.stdout, /over the ref deletion guard: a full sync deletes 15 of 20 refs/);
  const stored = runCli(['start', '--site', x.site, 'p'], { env: ENV });
  assert.equal(stored.code, 0, stored.stderr);
  const d = startDaemon(x.site, { env: ENV });
  try {
    await until('the mass deletion', () => /mass deletion/.test(d.log()), d.log);
    await until('the mirror to follow', () => refsOf(x.mirror).size === KEPT, d.log);
    assert.match(d.log(), /ERROR mass deletion: the full sync of p to .*p\.git deleted 15 of 20 ref\(s\) on the mirror \(remote m; the ref deletion guard: more than 10 ref\(s\) or more than 50% of the mirror's refs\)/);
  } finally {
    await stopDaemon(d);
  }
  try {
    const st = runCli(['status', '--site', x.site, '--json', 'p'], { env: ENV });
    const t = JSON.parse(st.stdout).targets[0];
    assert.equal(t.health, 'in-sync');
    assert.deepEqual(t.lastAttempt.massDeletion, { deleted: 15, mirrorRefs: 20 });
    const text = runCli(['status', '--site', x.site, 'p'], { env: ENV });
    assert.equal(text.code, 0, 'in sync: the mirror holds what the source holds');
    assert.match(text.stdout, /^ {2}MASS DELETION: the last push \(.*\) deleted 15 of 20 refs$/m);
  } finally {
    x.s.cleanup();
  }
});

test('the language server: start answers needsConfirmation and pushes only with confirmDeletions', async () => {
  const x = scenario();
  const c = new LspClient({ initializationOptions: { trusted: true, timeScale: 0.001 } });
  try {
    await c.initialize(pathToFileURL(x.site).href);
    const asked = await c.request<StartResult>(Requests.start.method, { projects: ['p'], now: true, wait: true });
    assert.equal(asked.scheduled, 0);
    assert.equal(asked.needsConfirmation?.targets[0].deletes.length, 15);
    assert.match(asked.needsConfirmation!.guard, /more than 10 ref/);
    assert.equal(refsOf(x.mirror).size, BRANCHES);

    // The dry-run panel's exact push of the same deletions is asked about too.
    const plan = JSON.parse(runCli(['plan', '--site', x.site, '--json', 'p'], { env: ENV }).stdout);
    const t = plan.targets[0];
    const changes = [{ project: 'p', remote: 'm', url: t.url, changes: t.changes.filter((ch: { kind: string }) => ch.kind === 'delete') }];
    const exact = await c.request<StartResult>(Requests.start.method, { changes });
    assert.equal(exact.needsConfirmation?.targets.length, 1);
    assert.equal(refsOf(x.mirror).size, BRANCHES);

    const pushed = await c.request<StartResult>(Requests.start.method, { projects: ['p'], now: true, wait: true, confirmDeletions: true });
    assert.equal(pushed.scheduled, 1);
    assert.equal(pushed.needsConfirmation, undefined);
    assert.equal(refsOf(x.mirror).size, KEPT);
  } finally {
    await c.shutdown().catch(() => c.kill());
    x.s.cleanup();
  }
});
