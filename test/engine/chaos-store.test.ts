// Chaos for the store and the project scan (issue 9, D1 D3 D4 D5 D6 D13): real repositories, a
// real daemon process, tmpfs mounts made and removed by the test (we run as root). After every
// scenario every mirror equals its source, `git fsck` passes on it, no task is lost and nothing
// that exists at the source was deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, runCli, scratch } from '../support/helpers';
import { bare, git, refsOf, workRepo, writeSite } from '../support/engine-helpers';
import { Engine } from '../../server/src/engine/engine';
import { taskJson } from '../../server/src/engine/queue/taskStore';
import { redact } from '../../server/src/engine/transport/invocation';
import { type Daemon, sleep, startDaemon as spawnDaemon, stopDaemon, until } from '../support/daemon';

const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.05' };

/**
 * The daemon; `asOwner` runs it as root without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH, so file
 * modes apply to it as to any owner and a `chmod 000` makes a directory really unreadable.
 */
const startDaemon = (site: string, args: string[] = [], asOwner = false) =>
  spawnDaemon(site, { env: ENV, args, wrap: asOwner ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--'] : undefined });

function mount(dir: string, opts: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
}

function umount(dir: string): void {
  spawnSync('umount', ['-l', dir]);
}

interface Fixture {
  root: string;
  site: string;
  events: string;
  projects: string[];
  mirror: (p: string) => string;
  source: (p: string) => string;
  w: ReturnType<typeof workRepo>;
  tips: Map<string, string>;
  cleanup: () => void;
}

/** A site with projects, one file mirror with replicateProjectDeletions, mirrors synced. */
function fixture(n: number, opts: { events?: (root: string) => string; remoteExtra?: string } = {}): Fixture {
  const s = scratch('gr-chaos-');
  const site = join(s.dir, 'site');
  const events = opts.events ? opts.events(s.dir) : join(site, 'data', 'replication');
  writeSite(
    site,
    `[remote "m"]\n  url = ${s.dir}/mirror/\${name}.git\n  replicationDelay = 1\n  replicateProjectDeletions = true\n  mirror = true\n${opts.remoteExtra ?? ''}` +
      (opts.events ? `[replication]\n  eventsDirectory = ${events}\n` : ''),
  );
  const w = workRepo(join(s.dir, 'work'));
  const projects = Array.from({ length: n }, (_, i) => (i % 2 ? `team/p${i}` : `p${i}`));
  const tips = new Map<string, string>();
  for (const p of projects) {
    const c = w.commit(p);
    tips.set(p, c);
    git(w.dir, 'push', '-q', bare(join(site, 'git', `${p}.git`)), `${c}:refs/heads/master`, `${c}:refs/heads/side`);
    bare(join(s.dir, 'mirror', `${p}.git`));
  }
  const r = runCli(['start', '--site', site, '--wait', '--now'], { env: ENV });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return {
    root: s.dir,
    site,
    events,
    projects,
    mirror: (p) => join(s.dir, 'mirror', `${p}.git`),
    source: (p) => join(site, 'git', `${p}.git`),
    w,
    tips,
    cleanup: s.cleanup,
  };
}

function storeDirs(events: string): { waiting: string; running: string; building: string; quarantine: string } {
  const root = join(events, 'ref-updates');
  return { waiting: join(root, 'waiting'), running: join(root, 'running'), building: join(root, 'building'), quarantine: join(root, 'quarantine') };
}

function pendingTasks(events: string): number {
  const d = storeDirs(events);
  return (existsSync(d.waiting) ? readdirSync(d.waiting).length : 0) + (existsSync(d.running) ? readdirSync(d.running).length : 0);
}

/** Every mirror of a project that exists at the source equals it and passes fsck; no task is left. */
function assertConverged(x: Fixture, projects = x.projects): void {
  for (const p of projects) {
    assert.ok(existsSync(x.source(p)), `source ${p} exists`);
    assert.ok(existsSync(x.mirror(p)), `mirror of ${p} was not deleted`);
    assert.deepEqual(refsOf(x.mirror(p)), refsOf(x.source(p)), `mirror ${p} equals its source`);
    git(x.mirror(p), 'fsck', '--strict', '--no-progress');
  }
  assert.equal(pendingTasks(x.events), 0, 'no task left in waiting/ or running/');
}

function count(text: string, re: RegExp): number {
  return (text.match(new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g')) ?? []).length;
}

test('D1: an empty tmpfs over basePath, an unreadable basePath and a sudden drop delete nothing; a confirmed or explicit deletion does', async () => {
  const x = fixture(4);
  let d: Daemon | undefined;
  const base = join(x.site, 'git');
  try {
    // Scans every 10 polls (500 ms); a project gone for 1 s over 3 scans counts as confirmed.
    d = startDaemon(x.site, ['--deletion-delay', '1'], true);
    await until('the daemon to start', () => /daemon started/.test(d!.log()), d.log);
    await until('a first scan', () => /project scan: 4 project/.test(d!.log()), d.log);

    mount(base, 'size=1m');
    try {
      await sleep(1500);
    } finally {
      umount(base);
    }
    assert.match(d.log(), /ERROR .*basePath .* (is empty|holds no project)/);

    // basePath replaced by a file (unreadable as a directory) for 1.5 s.
    renameSync(base, base + '.away');
    writeFileSync(base, 'not a directory');
    await sleep(1500);
    rmSync(base);
    renameSync(base + '.away', base);
    assert.match(d.log(), /ERROR .*cannot scan basePath/);

    // basePath, then one directory below it, unreadable (EACCES) for 1.5 s each.
    chmodSync(base, 0);
    await sleep(1500);
    chmodSync(base, 0o755);
    assert.match(d.log(), /ERROR project scan: cannot scan basePath .*: EACCES/);
    chmodSync(join(base, 'team'), 0);
    await sleep(1500);
    chmodSync(join(base, 'team'), 0o755);
    assert.match(d.log(), /ERROR project scan: cannot scan basePath .*\/team: EACCES/);

    // Two of four projects vanish at once: a sudden drop, nothing is deleted.
    const parked = join(x.root, 'parked');
    mkdirSync(join(parked, 'team'), { recursive: true });
    renameSync(x.source('p0'), join(parked, 'p0.git'));
    renameSync(x.source('team/p1'), join(parked, 'team', 'p1.git'));
    await sleep(1500);
    renameSync(join(parked, 'p0.git'), x.source('p0'));
    renameSync(join(parked, 'team', 'p1.git'), x.source('team/p1'));
    assert.match(d.log(), /ERROR .*2 of 4 projects disappeared/);
    assert.doesNotMatch(d.log(), /deleted project/);
    assert.doesNotMatch(d.log(), /project deletion/);
    for (const p of x.projects) assert.ok(existsSync(x.mirror(p)), `mirror ${p} still there`);

    // A project really removed: deleted on the mirror once confirmed, with what was deleted logged.
    rmSync(x.source('p2'), { recursive: true });
    await until('the confirmed deletion', () => /deleted project p2 on m: /.test(d!.log()), d.log, 30_000);
    assert.ok(!existsSync(x.mirror('p2')), 'mirror of p2 deleted');
    await stopDaemon(d);

    // The explicit event: refused while the project exists at the source, a dry run lists it.
    const kept = runCli(['delete-project', '--site', x.site, 'team/p3'], { env: ENV });
    assert.equal(kept.code, 1, kept.stdout + kept.stderr);
    assert.match(kept.stderr, /team\/p3 still exists at the source/);
    // With inferred deletions off, the daemon only reports the missing project; the dry run lists it.
    d = startDaemon(x.site, ['--deletion-delay', 'off']);
    await until('the daemon to start', () => /project scan: 3 project/.test(d!.log()), d.log);
    rmSync(x.source('team/p3'), { recursive: true });
    await until('team/p3 reported missing', () => /project team\/p3 is missing from basePath; inferred deletions are off/.test(d!.log()), d.log);
    await until('the state for the dry run', () => existsSync(join(x.events, 'project-deletions.json')) && readFileSync(join(x.events, 'project-deletions.json'), 'utf8').includes('team/p3'), d.log);
    const plan = runCli(['plan', '--site', x.site], { env: ENV });
    assert.match(plan.stdout, new RegExp(`project deletions pending in the daemon:\n  would delete team/p3 on m: ${x.mirror('team/p3')}  \\(missing from basePath since .*inferred deletions are off`));
    await sleep(1500);
    assert.ok(existsSync(x.mirror('team/p3')), 'not deleted with --deletion-delay off');
    await stopDaemon(d);
    renameSync(base, base + '.away');
    const blind = runCli(['delete-project', '--site', x.site, 'team/p3'], { env: ENV });
    renameSync(base + '.away', base);
    assert.equal(blind.code, 1, blind.stdout + blind.stderr);
    assert.match(blind.stderr, /basePath .* cannot be read \(ENOENT\), so team\/p3 cannot be confirmed gone; nothing is deleted/);
    assert.ok(existsSync(x.mirror('team/p3')));
    const dry = runCli(['delete-project', '--site', x.site, '--dry-run', 'team/p3'], { env: ENV });
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, new RegExp(`would delete team/p3 on m: ${x.mirror('team/p3')}`));
    assert.ok(existsSync(x.mirror('team/p3')));
    const del = runCli(['delete-project', '--site', x.site, 'team/p3'], { env: ENV });
    assert.equal(del.code, 0, del.stdout + del.stderr);
    assert.match(del.stdout, new RegExp(`deleted team/p3 on m: ${x.mirror('team/p3')}`));
    assert.ok(!existsSync(x.mirror('team/p3')));
    assertConverged(x, ['p0', 'team/p1']);
  } finally {
    umount(base);
    for (const p of [base, join(base, 'team')]) if (existsSync(p)) chmodSync(p, 0o755);
    await stopDaemon(d);
    x.cleanup();
  }
});

test('D3 D5: FIFOs, links to /dev/zero and /etc/passwd, a 100 MB file and rejected tasks are quarantined once; real tasks run', async () => {
  const x = fixture(2);
  let d: Daemon | undefined;
  try {
    const dirs = storeDirs(x.events);
    mkdirSync(dirs.waiting, { recursive: true });
    const c = x.w.commit('new', x.tips.get('p0'));
    git(x.w.dir, 'push', '-q', x.source('p0'), `${c}:refs/heads/master`);
    const real = Engine.open(x.site).storeTasks('p0', ['refs/heads/master']);
    assert.equal(real, 1);
    const w = (name: string, text: string) => writeFileSync(join(dirs.waiting, name), text);
    execFileSync('mkfifo', [join(dirs.waiting, 'fifo')]);
    symlinkSync('/dev/zero', join(dirs.waiting, 'zero'));
    symlinkSync('/etc/passwd', join(dirs.waiting, 'passwd'));
    const elsewhere = join(x.root, 'task.json');
    writeFileSync(elsewhere, taskJson({ project: 'p0', refs: ['refs/heads/side'], uri: `${x.root}/mirror/p0.git`, remote: 'm' }));
    symlinkSync(elsewhere, join(dirs.waiting, 'linked'));
    writeFileSync(join(dirs.waiting, 'big'), '');
    truncateSync(join(dirs.waiting, 'big'), 100 * 1024 * 1024);
    mkdirSync(join(dirs.waiting, 'adir'));
    w('malformed', '{"project": "p0", "refs": [');
    w('ext', taskJson({ project: 'p0', refs: ['refs/heads/master'], uri: 'ext::sh -c touch% /tmp/pwned', remote: 'm' }));
    w('elsewhere', taskJson({ project: 'p0', refs: ['refs/heads/master'], uri: `${x.root}/other/p0.git`, remote: 'm' }));
    w('noremote', taskJson({ project: 'p0', refs: ['refs/heads/master'], uri: `${x.root}/mirror/p0.git`, remote: 'nope' }));
    w('badproject', taskJson({ project: '-p0', refs: ['refs/heads/master'], uri: `${x.root}/mirror/-p0.git`, remote: 'm' }));
    // running/ too: a start-up recovery moves it back to waiting/, where it is quarantined.
    mkdirSync(dirs.running, { recursive: true });
    execFileSync('mkfifo', [join(dirs.running, 'runfifo')]);
    const hostile = ['fifo', 'zero', 'passwd', 'linked', 'big', 'adir', 'malformed', 'ext', 'elsewhere', 'noremote', 'badproject', 'runfifo'];

    // list reads the store without hanging and shows only what would run.
    const before = spawnSync(process.execPath, [CLI, 'list', '--site', x.site, '--detail'], { encoding: 'utf8', env: ENV, timeout: 30_000 });
    assert.equal(before.status, 0, before.stderr);
    assert.match(before.stdout, /Pending: 1\n/);
    assert.doesNotMatch(before.stdout, /ext::|other\/p0|nope/);
    assert.match(before.stdout + before.stderr, /Quarantined: 12 /);
    assert.doesNotMatch(before.stdout + before.stderr, /root:x:0:0/);

    d = startDaemon(x.site);
    await until('the daemon to start', () => /daemon started/.test(d!.log()), d.log, 20_000);
    await until('the store to drain', () => pendingTasks(x.events) === 0, d.log);
    await sleep(1000); // 20 more polls: nothing is read or logged again
    const log = d.log();
    assert.doesNotMatch(log, /root:x:0:0/);
    assert.deepEqual(readdirSync(dirs.quarantine).filter((n) => !n.endsWith('.why')).sort(), [...hostile].sort());
    for (const h of hostile) assert.equal(count(log, new RegExp(`quarantined ${h}\\b`)), 1, `one log line for ${h}\n${log}`);
    assert.match(log, /quarantined ext: .*ext::/);
    assert.match(readFileSync(join(dirs.quarantine, 'fifo.why'), 'utf8'), /not a regular file/);
    assert.ok(!existsSync('/tmp/pwned'));
    await until('p0 mirrored', () => refsOf(x.mirror('p0')).get('refs/heads/master') === c, d.log);
    const after = runCli(['list', '--site', x.site, '--detail'], { env: ENV });
    assert.match(after.stdout, /Pending: 0\n/);
    assert.match(after.stdout + after.stderr, /Quarantined: 12 /);
    await stopDaemon(d);
    assert.equal(d.child.exitCode, 0);
    assertConverged(x);
  } finally {
    await stopDaemon(d);
    x.cleanup();
  }
});

test('D6: a store turned read-only under a running daemon: each task is pushed once, errors are logged, nothing is lost', async () => {
  const x = fixture(4, { events: (root) => join(root, 'events'), remoteExtra: '  replicationDelay = 20\n' });
  let d: Daemon | undefined;
  const events = x.events;
  try {
    // The store moves onto a tmpfs of its own, so it can be remounted read-only.
    rmSync(events, { recursive: true, force: true });
    mount(events, 'size=4m');
    d = startDaemon(x.site);
    await until('the daemon to start', () => /daemon started/.test(d!.log()), d.log);
    const feeder = Engine.open(x.site);
    for (const p of x.projects) {
      const c = x.w.commit(`ro ${p}`, x.tips.get(p));
      git(x.w.dir, 'push', '-q', x.source(p), `${c}:refs/heads/master`);
      feeder.storeTasks(p, ['refs/heads/master']);
    }
    await until('4 tasks scheduled', () => count(d!.log(), /scheduled /) >= 4, d.log);
    execFileSync('mount', ['-o', 'remount,ro', events]);
    await sleep(3000); // replicationDelay 20 s × 0.05 = 1 s: the pushes run against a read-only store
    const log = d.log();
    assert.match(log, /ERROR .*task store .*(read-only|EROFS)/);
    for (const p of x.projects) assert.ok(count(log, new RegExp(`Replication to ${x.mirror(p).replace(/[/.]/g, '\\$&')} completed`)) <= 1, `pushed ${p} at most once\n${log}`);
    execFileSync('mount', ['-o', 'remount,rw', events]);
    await until('the store to drain', () => pendingTasks(events) === 0, d.log, 30_000);
    // Once writable again, a task whose file never left waiting/ runs once more (a hook may have
    // stored the same update under the same name meanwhile): twice at most, never a loop.
    await sleep(1000);
    for (const p of x.projects) assert.ok(count(d.log(), new RegExp(`Replication to ${x.mirror(p).replace(/[/.]/g, '\\$&')} completed`)) <= 2, `pushed ${p} at most twice`);
    await stopDaemon(d);
    assertConverged(x);
  } finally {
    await stopDaemon(d);
    umount(events);
    x.cleanup();
  }
});

test('D13 D6: on a full store start says how many tasks it stored and leaves no .tmp; the hook exits non-zero and says what to run', async () => {
  const x = fixture(3, { events: (root) => join(root, 'events') });
  let d: Daemon | undefined;
  const events = x.events;
  try {
    rmSync(events, { recursive: true, force: true });
    mount(events, 'size=64k');
    const dirs = storeDirs(events);
    for (const dd of Object.values(dirs)) mkdirSync(dd, { recursive: true });
    // Fill the tmpfs: the store's directories exist, no task fits.
    spawnSync('dd', ['if=/dev/zero', `of=${join(events, 'filler')}`, 'bs=4k', 'count=64'], { stdio: 'ignore' });
    for (const p of x.projects) {
      const c = x.w.commit(`full ${p}`, x.tips.get(p));
      git(x.w.dir, 'push', '-q', x.source(p), `${c}:refs/heads/master`);
    }
    const start = runCli(['start', '--site', x.site], { env: ENV });
    assert.equal(start.code, 1, start.stdout + start.stderr);
    assert.match(start.stderr, /stored 0 of 3 replication task/);
    assert.match(start.stderr, /ENOSPC/);
    assert.deepEqual(readdirSync(dirs.building), [], 'no .tmp left in building/');

    const hook = spawnSync(process.execPath, [CLI, 'hook', 'post-receive', '--site', x.site], {
      encoding: 'utf8',
      env: { ...ENV, GIT_DIR: x.source('p0') },
      input: `${'0'.repeat(40)} ${x.tips.get('p0')} refs/heads/master\n`,
    });
    assert.equal(hook.status, 1, hook.stderr);
    assert.match(hook.stderr, /could not store/);
    assert.match(hook.stderr, new RegExp(`git-replication start --site '${x.site}' p0`));
    assert.deepEqual(readdirSync(dirs.building), []);

    // In-process scheduling (the editor, replicateOnStartup) on a full store pushes from memory
    // and says that the task is not stored, instead of throwing.
    const logged: string[] = [];
    const inProc = Engine.open(x.site, { log: (level, m) => logged.push(`${level} ${m}`) });
    assert.equal(inProc.startReplication({ projects: ['p0'] }, { now: true }).length, 1);
    await inProc.queue.idle();
    assert.match(logged.join('\n'), /error task store not writable \(ENOSPC.*kept in memory only/);
    assert.deepEqual(refsOf(x.mirror('p0')), refsOf(x.source('p0')));
    assert.deepEqual(readdirSync(dirs.building), []);

    rmSync(join(events, 'filler'));
    const again = runCli(['start', '--site', x.site], { env: ENV });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Stored 3 replication task/);
    d = startDaemon(x.site);
    await until('the store to drain', () => pendingTasks(events) === 0, d.log);
    await stopDaemon(d);
    assertConverged(x);
  } finally {
    await stopDaemon(d);
    umount(events);
    x.cleanup();
  }
});

test('D4: symlink loops in basePath end the scan, without duplicate projects', async () => {
  const x = fixture(2);
  try {
    const base = join(x.site, 'git');
    symlinkSync('.', join(base, 'a'));
    symlinkSync('.', join(base, 'b'));
    symlinkSync('..', join(base, 'team', 'up'));
    const r = spawnSync(process.execPath, [CLI, 'plan', '--site', x.site, '--json'], { encoding: 'utf8', env: ENV, timeout: 60_000 });
    assert.equal(r.status, 0, `plan ended: ${r.signal ?? ''} ${r.stderr}`);
    const plan = JSON.parse(r.stdout) as { targets: Array<{ project: string }> };
    assert.deepEqual(plan.targets.map((t) => t.project).sort(), ['p0', 'team/p1']);
    assertConverged(x);
  } finally {
    x.cleanup();
  }
});

test('D13: refused projects are named with the reason and exit 1; hook install names them too', async () => {
  const x = fixture(1);
  try {
    bare(join(x.site, 'git', 'bad$name.git'));
    const r = runCli(['start', '--site', x.site, 'bad*'], { env: ENV });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /refused project bad\$name: .*contains '\$'/);
    assert.doesNotMatch(r.stdout, /Nothing to replicate/);
    const plan = runCli(['plan', '--site', x.site, 'bad*'], { env: ENV });
    assert.equal(plan.code, 1, plan.stdout + plan.stderr);
    assert.match(plan.stderr, /refused project bad\$name: .*contains '\$'/);
    const inst = runCli(['hook', 'install', '--site', x.site], { env: ENV });
    assert.equal(inst.code, 1, inst.stdout + inst.stderr);
    assert.match(inst.stderr, /refused project bad\$name: .*contains '\$'/);
    assert.match(inst.stdout, /installed .*p0\.git/);
    assertConverged(x);
  } finally {
    x.cleanup();
  }
});

test('D13: file://HOST/path is refused with what git and JGit would do; short passwords are redacted without garbling', () => {
  const s = scratch('gr-chaos-');
  try {
    const site = join(s.dir, 'site');
    writeSite(site, `[remote "m"]\n  url = file://otherhost${s.dir}/mirror/\${name}.git\n`);
    bare(join(site, 'git', 'p.git'));
    const r = runCli(['start', '--site', site, '--wait', '--now'], { env: ENV });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /replication\.config:2:1: error: the file:\/\/ URL .* names a host; Gerrit \(JGit\) cannot push to it/);
    assert.ok(!existsSync(join(s.dir, 'mirror')), 'nothing pushed to the local path');
  } finally {
    s.cleanup();
  }
  assert.equal(redact('Everything up-to-date\nTo a:b', ['a']), 'Everything up-to-date\nTo ***:b');
  assert.equal(redact('remote: pw rejected; pwd=pw', ['pw']), 'remote: *** rejected; pwd=***');
  assert.equal(redact('https://u:x@h/ and x-ray', ['x']), 'https://u:***@h/ and ***-ray');
  assert.equal(redact('token longsecret1 in longsecret1x', ['longsecret1']), 'token *** in ***x');
});

test('D3: SIGTERM while the store is replayed stops the daemon cleanly; every task stays stored', async () => {
  const x = fixture(1, { remoteExtra: '  replicationDelay = 600\n' });
  let d: Daemon | undefined;
  try {
    const feeder = Engine.open(x.site);
    const N = 3000;
    for (let i = 0; i < N; i++) feeder.storeTasks('p0', [`refs/heads/b${i}`]);
    const pid = join(x.events, 'daemon.pid');
    d = startDaemon(x.site);
    await until('the pid file', () => existsSync(pid), d.log, 20_000);
    d.child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => (d!.child.exitCode !== null ? r(d!.child.exitCode) : d!.child.once('exit', (c) => r(c))));
    assert.equal(code, 0, `exit ${code} ${d.child.signalCode ?? ''}\n${d.log().slice(-2000)}`);
    assert.match(d.log(), /SIGTERM: stopping/);
    assert.equal(pendingTasks(x.events), N, 'every task is still in the store');
  } finally {
    await stopDaemon(d);
    x.cleanup();
  }
});
