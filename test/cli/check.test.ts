import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, scratch } from '../support/helpers';

test('check: text and json output, exit codes', () => {
  const s = scratch();
  try {
    mkdirSync(join(s.dir, 'etc'));
    writeFileSync(join(s.dir, 'etc', 'replication.config'), '[remote "a"]\n  url = x\n  2bad = 1\n');
    const text = runCli(['check', s.dir]);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^etc\/replication\.config:3:3: error: .*\[key-starts-with-digit\]$/m);
    const json = runCli(['check', '--format', 'json', s.dir]);
    const parsed = JSON.parse(json.stdout);
    assert.deepEqual(parsed.diagnostics.map((d: { line: number }) => d.line), [2, 3]);
    assert.equal(parsed.diagnostics[0].file, 'etc/replication.config');
    assert.equal(runCli(['check', '--format', 'xml', s.dir]).code, 2);
    assert.equal(runCli(['check']).code, 2);
    assert.equal(runCli(['nosuchcommand']).code, 2);
  } finally {
    s.cleanup();
  }
});
