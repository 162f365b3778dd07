import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { FIXTURES, runCli, scratch } from '../support/helpers';
import { RULES } from '../../server/src/replication/checks/replicationRules';

/** Copy the fixture sites to a scratch dir: git does not keep mode 600, so set it here. */
function sites() {
  const s = scratch('gr-repl-check-');
  cpSync(join(FIXTURES, 'replication'), s.dir, { recursive: true });
  chmodSync(join(s.dir, 'good-site', 'etc', 'secure.config'), 0o600);
  chmodSync(join(s.dir, 'good-fanout-site', 'etc', 'secure.config'), 0o600);
  chmodSync(join(s.dir, 'broken-site', 'etc', 'secure.config'), 0o644);
  return s;
}

const TEXT_LINE = /^(\S+):(\d+):(\d+): (error|warning|info|hint): (.+) \[([a-z0-9-]+)\]$/;

test('check: the good sites have no diagnostics (text and json), exit 0', () => {
  const s = sites();
  try {
    for (const site of ['good-site', 'good-fanout-site']) {
      const text = runCli(['check', join(s.dir, site)]);
      assert.equal(text.stdout, '', `${site}: ${text.stdout}`);
      assert.equal(text.code, 0, text.stderr);
      const json = runCli(['check', '--format', 'json', join(s.dir, site)]);
      assert.deepEqual(JSON.parse(json.stdout), { diagnostics: [] });
      assert.equal(json.code, 0);
    }
  } finally {
    s.cleanup();
  }
});

test('check: the broken site hits every rule; exact output formats; exit 1', () => {
  const s = sites();
  try {
    const json = runCli(['check', '--format', 'json', join(s.dir, 'broken-site')]);
    assert.equal(json.code, 1, json.stderr);
    const diags = JSON.parse(json.stdout).diagnostics as Array<Record<string, unknown>>;
    for (const d of diags) {
      assert.deepEqual(Object.keys(d), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
      assert.ok((d.line as number) >= 1 && (d.column as number) >= 1 && (d.endLine as number) >= (d.line as number));
      assert.match(String(d.file), /^etc\/(replication\.config|secure\.config)$/, 'relative to the directory argument');
    }
    const other = (site: string) => JSON.parse(runCli(['check', '--format', 'json', join(s.dir, site)]).stdout).diagnostics as Array<{ code: string; file: string; line: number; message?: string }>;
    const empty = other('empty-site');
    const fanout = other('broken-fanout-site');
    assert.deepEqual(fanout.map((d) => [d.file, d.line, d.code]), [
      ['etc/replication/extra.config', 3, 'fanout-other-section'],
      ['etc/replication/extra.config', 4, 'key-not-read-here'],
      ['etc/replication/sub.config', 1, 'fanout-subsection'],
      ['etc/replication/two.config', 3, 'fanout-remote-count'],
      ['etc/replication.config', 3, 'fanout-remote-ignored'],
      ['etc/replication.config', 5, 'missing-name'],
    ]);
    const ignored = fanout.find((d) => d.code === 'missing-name') as unknown as { severity: string; message: string };
    assert.equal(ignored.severity, 'info', 'problems of an ignored remote break nothing yet');
    assert.match(ignored.message, /ignored while etc\/replication\/ exists/);
    const include = other('broken-include-site');
    assert.deepEqual(include.map((d) => [d.file, d.line, d.code]), [
      ['etc/replication/fan.config', 3, 'include-not-followed'],
      ['etc/replication.config', 3, 'include-remote-kept'],
      ['etc/replication.config', 4, 'include-missing'],
      ['etc/replication.config', 5, 'include-too-deep'],
      ['etc/replication.config', 6, 'include-invalid'],
      ['etc/replication.config', 7, 'include-if-ignored'],
    ]);
    assert.match(include[3].message ?? '', /Chain: replication\.config → remotes\/loop\.inc → remotes\/loop\.inc → …$/);
    // Includes check does not follow (issue 10): outside the site, and a FIFO (git keeps neither in a fixture).
    mkdirSync(join(s.dir, 'hostile-include-site', 'etc'), { recursive: true });
    writeFileSync(join(s.dir, 'outside.inc'), '[remote "x"]\n\turl = /x\n');
    writeFileSync(join(s.dir, 'hostile-include-site', 'etc', 'replication.config'), '[include]\n\tpath = ../../outside.inc\n\tpath = pipe.inc\n');
    execFileSync('mkfifo', [join(s.dir, 'hostile-include-site', 'etc', 'pipe.inc')]);
    const hostile = other('hostile-include-site');
    assert.deepEqual(hostile.map((d) => [d.file, d.line, d.code]), [
      ['etc/replication.config', 2, 'include-outside-site'],
      ['etc/replication.config', 3, 'include-not-regular'],
    ]);
    const seen = new Set([...diags.map((d) => String(d.code)), ...empty.map((d) => d.code), ...fanout.map((d) => d.code), ...include.map((d) => d.code), ...hostile.map((d) => d.code)]);
    assert.deepEqual(Object.keys(RULES).filter((c) => !seen.has(c)), [], 'rules the fixtures do not hit');
    // A few exact entries.
    const find = (file: string, line: number, code: string) => diags.find((d) => d.file === file && d.line === line && d.code === code);
    assert.deepEqual(find('etc/replication.config', 28, 'invalid-int'), {
      file: 'etc/replication.config', line: 28, column: 22, endLine: 28, endColumn: 25, severity: 'error', code: 'invalid-int',
      message: 'Invalid integer value: remote.replicationdelay=15s — JGit throws this when the plugin reads replicationDelay, so the plugin fails to load. replicationDelay is a plain number of seconds: write 15.',
    });
    assert.equal(find('etc/secure.config', 1, 'secure-readable')?.severity, 'warning');
    assert.ok(!json.stdout.includes('s3cret'), 'no secret in the output');

    const text = runCli(['check', join(s.dir, 'broken-site')]);
    assert.equal(text.code, 1);
    const lines = text.stdout.trimEnd().split('\n');
    assert.equal(lines.length, diags.length);
    for (const l of lines) assert.match(l, TEXT_LINE);
    assert.ok(lines.includes('etc/replication.config:29:22: warning: JGit reads the \'m\' suffix as a multiplier: replicationRetry = 1m means 1,048,576 minutes (about 2 years), not a time unit. [int-multiplier]'));
  } finally {
    s.cleanup();
  }
});

test('check: a file given directly keeps its path as given; empty and non-UTF-8 files work', () => {
  const s = scratch('gr-repl-check-');
  try {
    mkdirSync(join(s.dir, 'etc', 'replication'), { recursive: true });
    writeFileSync(join(s.dir, 'etc', 'replication.config'), '');
    writeFileSync(join(s.dir, 'etc', 'replication', 'x.config'), '');
    // Latin-1 bytes (not UTF-8) in a comment and in a value.
    writeFileSync(join(s.dir, 'etc', 'secure.config'), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n[remote "x"]\n  password = p'), Buffer.from([0xe9, 0xff]), Buffer.from('\n')]), { mode: 0o600 });
    chmodSync(join(s.dir, 'etc', 'secure.config'), 0o600);
    const r = runCli(['check', '--format', 'json', 'etc/secure.config', 'etc/replication.config', 'etc/replication/x.config'], { cwd: s.dir });
    const diags = JSON.parse(r.stdout).diagnostics as Array<{ file: string; code: string; line: number }>;
    assert.deepEqual(diags.map((d) => [d.file, d.code, d.line]), [
      ['etc/replication.config', 'empty-config', 1],
      ['etc/replication/x.config', 'fanout-remote-count', 1],
    ]);
    assert.equal(r.code, 1, 'the empty fan-out file is skipped by the plugin: an error');
    const t = runCli(['check', './etc/replication.config'], { cwd: s.dir });
    assert.match(t.stdout, /^\.\/etc\/replication\.config:1:1: info: .*\[empty-config\]$/m);
    assert.equal(t.code, 0);
  } finally {
    s.cleanup();
  }
});
