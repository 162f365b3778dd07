// `daemon --metrics 127.0.0.1:PORT`: a real daemon pushing to real mirrors, scraped with node's
// fetch and read with a strict parser of the text format (test/support/promParse.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli, scratch } from '../support/helpers';
import { bare, git, workRepo, writeSite } from '../support/engine-helpers';
import { startDaemon, stopDaemon, until, type Daemon } from '../support/daemon';
import { parseExposition, sampleValue, type Family } from '../support/promParse';
import { PromText } from '../../server/src/engine/health/promText';

const ENV = { ...process.env, GIT_REPLICATION_TIME_SCALE: '0.001' };

test('the strict parser refuses what the format forbids, and the writer escapes label values', () => {
  const ok = '# HELP x_total X.\n# TYPE x_total counter\nx_total{a="1"} 2\n';
  assert.equal(sampleValue(parseExposition(ok), 'x_total', { a: '1' }), 2);
  const bad = [
    'x_total 1\n', // no HELP/TYPE
    '# HELP x_total X.\n# TYPE x_total counter\nx_total -1\n', // negative counter
    '# HELP x_total X.\n# TYPE x_total counter\nx_total 1', // no final newline
    '# HELP x_total X.\n# TYPE x_total counter\nx_total{a="1"} 1\nx_total{a="1"} 2\n', // twice
    '# HELP h X.\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', // not cumulative
    '# HELP h X.\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n', // count ≠ +Inf
    '# HELP h X.\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n', // no +Inf
    '# HELP g X.\n# TYPE g gauge\ng{a="x} 1\n', // unterminated value
  ];
  for (const b of bad) assert.throws(() => parseExposition(b), Error, JSON.stringify(b));
  const w = new PromText().metric('g', 'gauge', 'Help with \\ and\nnewline.', [{ labels: { p: 'a"b\\c\nd' }, value: 1 }]).text();
  const f = parseExposition(w).get('g')!;
  assert.equal(f.help, 'Help with \\ and\nnewline.');
  assert.equal(f.samples[0].labels.p, 'a"b\\c\nd');
  assert.throws(() => new PromText().metric('pushes', 'counter', 'x', []), /_total/);
});

test('daemon --metrics: queue, pushes, failures, durations, last success and targets behind, scraped over HTTP', async () => {
  const s = scratch('gr-metrics-');
  const site = join(s.dir, 'site');
  const m = join(s.dir, 'mirrors');
  writeSite(site, [
    `[remote "ok"]\n  url = ${m}/\${name}.git\n  projects = a\n  projects = b\n  replicationDelay = 0\n`,
    `[remote "bad"]\n  url = ${s.dir}/nowhere/\${name}.git\n  projects = a\n  createMissingRepositories = false\n  replicationDelay = 0\n`,
    // Nothing is ever queued for "stale": only the drift check can see its mirror fall behind.
    `[remote "stale"]\n  url = ${s.dir}/stale/\${name}.git\n  projects = c\n`,
  ].join(''));
  const w = workRepo(join(s.dir, 'work'));
  const one = w.commit('one');
  const two = w.commit('two', one);
  for (const p of ['a', 'b', 'c']) git(w.dir, 'push', '-q', bare(join(site, 'git', `${p}.git`)), `${two}:refs/heads/master`);
  bare(join(m, 'a.git'));
  bare(join(m, 'b.git'));
  git(w.dir, 'push', '-q', bare(join(s.dir, 'stale', 'c.git')), `${one}:refs/heads/master`);

  assert.equal(runCli(['daemon', '--site', site, '--metrics', '0.0.0.0:9100']).code, 2, 'loopback only');
  assert.match(runCli(['daemon', '--site', site, '--metrics', '10.1.2.3:9100']).stderr, /listens on 127\.0\.0\.1 only/);
  assert.equal(runCli(['daemon', '--site', site, '--status-interval', '5']).code, 2);

  const stored = runCli(['start', '--site', site, 'a', 'b'], { env: ENV });
  assert.equal(stored.code, 0, stored.stderr);
  let d: Daemon | undefined;
  try {
    d = startDaemon(site, { env: ENV, args: ['--metrics', '127.0.0.1:0', '--status-interval', '0.2'] });
    const log = d.log;
    await until('the metrics address', () => /metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/.test(log()), log);
    const url = /metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(log())![1];
    let fams: Map<string, Family> = new Map();
    let body = '';
    const scrape = async () => {
      const r = await fetch(url);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      body = await r.text();
      fams = parseExposition(body);
    };
    const settled = () =>
      sampleValue(fams, 'git_replication_pushes_total', { remote: 'ok' }) === 2 &&
      sampleValue(fams, 'git_replication_push_failures_total', { remote: 'bad' }) === 1 &&
      sampleValue(fams, 'git_replication_queue_tasks', { state: 'running' }) === 0 &&
      sampleValue(fams, 'git_replication_queue_tasks', { state: 'waiting' }) === 0 &&
      sampleValue(fams, 'git_replication_targets_behind', { remote: 'stale' }) === 1 &&
      sampleValue(fams, 'git_replication_targets_behind', { remote: 'ok' }) === 0 &&
      // targets{health} is the last drift check as it ran: one that ran while a's or b's push was
      // in flight still counts them behind (targets_behind already leaves them out), so wait for
      // a check after the pushes.
      sampleValue(fams, 'git_replication_targets', { health: 'behind' }) === 1 &&
      sampleValue(fams, 'git_replication_targets', { health: 'in-sync' }) === 2;
    for (let i = 0; i < 600 && !settled(); i++) {
      await scrape();
      if (!settled()) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(settled(), `the metrics did not settle:\n${body}\n--- log ---\n${log().slice(-3000)}`);

    // Every family is declared once, with a type fit for it.
    const types = Object.fromEntries([...fams.values()].map((f) => [f.name, f.type]));
    assert.deepEqual(types, {
      git_replication_queue_tasks: 'gauge',
      git_replication_pushes_total: 'counter',
      git_replication_push_failures_total: 'counter',
      git_replication_mass_deletions_total: 'counter',
      git_replication_push_duration_seconds: 'histogram',
      git_replication_last_success_timestamp_seconds: 'gauge',
      git_replication_targets_behind: 'gauge',
      git_replication_target_behind_seconds: 'gauge',
      git_replication_targets: 'gauge',
      git_replication_status_check_timestamp_seconds: 'gauge',
      git_replication_status_check_duration_seconds: 'gauge',
    });
    assert.equal(sampleValue(fams, 'git_replication_push_failures_total', { remote: 'ok' }), 0);
    assert.equal(sampleValue(fams, 'git_replication_pushes_total', { remote: 'stale' }), 0, 'every remote has its series, zero included');
    assert.equal(sampleValue(fams, 'git_replication_push_duration_seconds', { remote: 'ok' }, 'git_replication_push_duration_seconds_count'), 2);
    assert.equal(sampleValue(fams, 'git_replication_push_duration_seconds', { remote: 'ok', le: '+Inf' }, 'git_replication_push_duration_seconds_bucket'), 2);
    assert.ok(sampleValue(fams, 'git_replication_push_duration_seconds', { remote: 'ok' }, 'git_replication_push_duration_seconds_sum')! > 0);

    const lastA = sampleValue(fams, 'git_replication_last_success_timestamp_seconds', { remote: 'ok', project: 'a', url: `${m}/a.git` });
    assert.ok(lastA && Math.abs(lastA - Date.now() / 1000) < 600, String(lastA));
    assert.equal(sampleValue(fams, 'git_replication_last_success_timestamp_seconds', { remote: 'bad' }), undefined, 'a failing target has no success');

    // The stale mirror: behind by the age of the source's unreplicated commit.
    const behind = sampleValue(fams, 'git_replication_target_behind_seconds', { remote: 'stale', project: 'c' });
    assert.ok(behind !== undefined && behind >= 0, body);
    assert.equal(sampleValue(fams, 'git_replication_targets', { health: 'behind' }), 1);
    assert.equal(sampleValue(fams, 'git_replication_targets', { health: 'missing-repository' }), 1, 'bad → a has no repository');
    assert.equal(sampleValue(fams, 'git_replication_targets_behind', { remote: 'bad' }), 1);
    assert.ok(sampleValue(fams, 'git_replication_status_check_timestamp_seconds')! > 0);

    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.equal((await fetch(url.replace('/metrics', '/'))).status, 404);
    assert.equal((await fetch(url, { method: 'POST' })).status, 405);
  } finally {
    await stopDaemon(d);
    s.cleanup();
  }
});
