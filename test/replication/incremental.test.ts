// After an edit, the replication module re-parses only the sections the edit touched and runs
// again only the units (sections, merged groups, remotes) made of edited blocks, plus the
// whole-file rules; every other unit keeps what it said, moved to its new lines. Over random
// edit sequences (values, keys, headers made and broken, duplicate remotes, [gerrit] and
// [replication] keys the remote rules read, character-level garbage), with and without a fan-out
// directory and with severity overrides changing, the diagnostics must be exactly those of a
// full validation of the same text by a fresh module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createReplicationModule } from '../../server/src/replication';
import { validationStats } from '../../server/src/replication/checks/validate';
import { duplicateStats } from '../../server/src/replication/checks/checkSections';
import { resolveStats } from '../../server/src/replication/resolved';
import type { Workspace } from '../../server/src/service/workspace';
import { prng } from '../support/gitconfig-generator';
import { memoryWorkspace } from '../support/replication-helpers';

const REPL = '/site/etc/replication.config';
const URI = 'file://' + REPL;

function startText(rnd: () => number, remotes: number): string {
  const out = ['[gerrit]', '  autoReload = true', '[replication]', '  maxRetries = 3', ''];
  for (let i = 0; i < remotes; i++) {
    out.push(`[remote "m${i}"]`, `  url = ssh://gerrit@h${i % 7}.example.com/srv/\${name}.git`, '  push = +refs/heads/*:refs/heads/*', `  threads = ${1 + (i % 4)}`);
    if (rnd() < 0.3) out.push('  projects = ^team/.*');
    if (rnd() < 0.2) out.push('  replicationDelay = 15s'); // invalid-int, with a fix
    if (rnd() < 0.1) out.push('  threads = 2'); // repeated-key
    if (rnd() < 0.1) out.push('  pushBatchSize = 4');
    out.push('');
  }
  return out.join('\n');
}

// Lines an edit inserts: findings of every per-unit rule, and lines that change what other
// units read (a second block of a remote, cluster mode, a [url] rewrite, a key on a header line).
const LINES = [
  '  threads = 4', '  threads = x', '  url = ssh://h/x.git', '  url = HTTP://h/${name}', '  push = refs/heads/*', '  push = +refs/*:refs/*',
  '  fetch = +refs/*:refs/*', '  mirror = maybe', '  replicationDelay = 15s', '  bogus = 1', '  projects = ^(bad', '  adminUrl = file:///x',
  '  pushBatchSize = 8', '[remote "m3"]', '[remote "new"]', '[remote]', '[remote "m1"] url = ssh://h/${name}', '[gerrit]\n  pushBatchSize = 5',
  '[replication]\n  distributionInterval = 5', '[url "ssh://mirror/"]\n  insteadOf = m:', '# a comment', '', '[remote.legacy]', '[unknown]',
  '  username = u',
];
const PIECES = ['[', ']', '"', '\\', '\n', '#', '=', ' ', 'a', '1', '-', '${name}'];

function edit(rnd: () => number, text: string): string {
  const lines = text.split('\n');
  const at = Math.floor(rnd() * lines.length);
  const r = rnd();
  if (r < 0.3) lines.splice(at, 0, LINES[Math.floor(rnd() * LINES.length)]);
  else if (r < 0.45) lines.splice(at, 1 + Math.floor(rnd() * 3));
  else if (r < 0.7) lines[at] = lines[at].replace(/\d/, String(Math.floor(rnd() * 10)));
  else if (r < 0.8) lines[at] = lines[at].replace(/"m(\d+)"/, (_m, n) => `"m${(Number(n) + 1) % 9}"`); // a remote renamed (maybe onto another)
  else {
    const t = lines.join('\n');
    const p = Math.floor(rnd() * (t.length + 1));
    const cut = rnd() < 0.5 ? 0 : Math.floor(rnd() * 6);
    return t.slice(0, p) + PIECES[Math.floor(rnd() * PIECES.length)] + t.slice(p + cut);
  }
  return lines.join('\n');
}

function run(seed: number, fanout: boolean): { steps: number; partial: number } {
  const rnd = prng(seed);
  const files: Record<string, string> = { '/site/etc/secure.config': '[remote "m1"]\n  password = s3cret\n' };
  if (fanout) files['/site/etc/replication/other.config'] = '[remote]\n  url = ssh://o/${name}\n';
  const live = createReplicationModule();
  let text = startText(rnd, 4 + Math.floor(rnd() * 30));
  let steps = 0;
  let partial = 0;
  for (let version = 1; version <= 40; version++) {
    const ws: Workspace = memoryWorkspace({ ...files, [REPL]: text });
    const severityOverrides = version % 13 === 0 ? { 'invalid-int': 'hint', 'unknown-key': 'off' } : undefined;
    const ctx = { path: REPL, ws, severityOverrides };
    const doc = TextDocument.create(URI, 'gerrit-replication', version, text);
    const got = live.validate(doc, ctx);
    const { ran, reused } = validationStats;
    const want = createReplicationModule().validate(TextDocument.create(URI, 'gerrit-replication', 1, text), ctx);
    assert.deepEqual(got, want, `seed ${seed}, version ${version}:\n${text}`);
    steps++;
    if (reused > 0 && ran < reused) partial++;
    // Asked again for the same version (code actions do): the same answer.
    assert.deepEqual(live.validate(doc, ctx), want);
    text = edit(rnd, text);
  }
  return { steps, partial };
}

test('incremental diagnostics equal a full re-validation over random edit sequences', () => {
  let steps = 0;
  let partial = 0;
  const carried = { groups: resolveStats.carried, regrouped: resolveStats.regrouped, duplicates: duplicateStats.carried };
  for (let seed = 1; seed <= 60; seed++) {
    for (const fanout of [false, true]) {
      const r = run(seed * 7919, fanout);
      steps += r.steps;
      partial += r.partial;
    }
  }
  // Many edits are inside remote blocks: those validations ran fewer units than they reused. (A
  // sequence that makes JGit read the file differently from git, or edits [gerrit], falls back
  // to a full run, by design.)
  assert.ok(partial > steps / 6, `${partial} of ${steps} validations were partial`);
  // Both ways of resolving an edit, and the duplicate check carried over, were compared above.
  const groups = resolveStats.carried - carried.groups;
  const regrouped = resolveStats.regrouped - carried.regrouped;
  const duplicates = duplicateStats.carried - carried.duplicates;
  assert.ok(groups > steps / 6 && regrouped > steps / 20 && duplicates > steps / 6, `carried ${groups}, regrouped ${regrouped}, duplicates carried ${duplicates} of ${steps}`);
});

// An edit that keeps every header (typing in a value or a key) carries the groups and the
// duplicate blocks over from the version before; one that changes a header groups and scans
// anew. Either way the diagnostics are a fresh module's, duplicate findings and fixes included.
test('an edit that keeps the headers carries groups and duplicate remotes over; a header edit reads them anew', () => {
  let text = '[gerrit]\n  autoReload = true\n';
  for (let i = 0; i < 1000; i++) text += `[remote "m${i % 990}"]\n  url = ssh://h/srv/\${name}.git\n  threads = ${1 + (i % 4)}\n`;
  const ws = memoryWorkspace({ [REPL]: text });
  const mod = createReplicationModule();
  const fresh = (t: string) => createReplicationModule().validate(TextDocument.create(URI, 'gerrit-replication', 1, t), { path: REPL, ws });
  const check = (version: number, t: string) => {
    const r0 = { ...resolveStats };
    const d0 = { ...duplicateStats };
    const got = mod.validate(TextDocument.create(URI, 'gerrit-replication', version, t), { path: REPL, ws });
    const how = { carried: resolveStats.carried - r0.carried, regrouped: resolveStats.regrouped - r0.regrouped, scanned: duplicateStats.scanned - d0.scanned, duplicatesCarried: duplicateStats.carried - d0.carried };
    assert.deepEqual(got, fresh(t), `version ${version}`);
    return { got, how };
  };
  const dup = (d: { got: Array<{ code?: unknown; range: { start: { line: number } } }> }) => d.got.filter((x) => x.code === 'duplicate-remote').map((x) => x.range.start.line);
  const first = check(1, text);
  assert.deepEqual(dup(first), Array.from({ length: 10 }, (_, k) => 2 + 3 * (990 + k)));
  // A value typed in the second block of m3 (a duplicate) and one in a block of its own.
  const at = (t: string, block: number) => {
    let p = -1;
    for (let k = 0; k <= block; k++) p = t.indexOf('[remote', p + 1);
    return t.indexOf('threads', p);
  };
  let t = text.slice(0, at(text, 993)) + 'threads = 7x' + text.slice(at(text, 993) + 'threads = 1'.length);
  const typed = check(2, t);
  assert.deepEqual(typed.how, { carried: 1, regrouped: 0, scanned: 0, duplicatesCarried: 1 });
  assert.deepEqual(dup(typed), dup(first));
  t = t.replace('[remote "m500"]\n', '[remote "m500"]\n  pushBatchSize = 2\n');
  const added = check(3, t);
  assert.deepEqual(added.how, { carried: 1, regrouped: 0, scanned: 0, duplicatesCarried: 1 });
  assert.deepEqual(dup(added), dup(first).map((line) => line + 1));
  // A header renamed onto another remote: a new duplicate, found by reading every header again.
  t = t.replace('[remote "m20"]', '[remote "m21"]');
  const renamed = check(4, t);
  assert.deepEqual(renamed.how, { carried: 0, regrouped: 1, scanned: 1, duplicatesCarried: 0 });
  assert.equal(dup(renamed).length, 11);
});

test('an edit of one remote in a 1,000-remote file runs that remote\'s units only', () => {
  let text = '[gerrit]\n  autoReload = true\n';
  for (let i = 0; i < 1000; i++) text += `[remote "m${i}"]\n  url = ssh://h/srv/\${name}.git\n  threads = ${1 + (i % 4)}\n`;
  const ws = memoryWorkspace({ [REPL]: text });
  const mod = createReplicationModule();
  assert.deepEqual(mod.validate(TextDocument.create(URI, 'gerrit-replication', 1, text), { path: REPL, ws }), []);
  assert.equal(validationStats.reused, 0);
  const at = text.indexOf('threads', text.indexOf('[remote "m500"]'));
  const next = text.slice(0, at) + 'threads = 2x' + text.slice(at + 'threads = 1'.length);
  const got = mod.validate(TextDocument.create(URI, 'gerrit-replication', 2, next), { path: REPL, ws });
  assert.deepEqual(got.map((d) => [d.code, d.range.start.line]), [['invalid-int', 2 + 3 * 500 + 2]]);
  // One section, and its group in each of the three group stages (repeated keys, values, remote),
  // of 1,001 sections, 1,001 groups (twice) and 1,000 remotes.
  assert.deepEqual(validationStats, { ran: 4, reused: 1001 + 1001 + 1001 + 1000 - 4 });
  // A line added above every later remote: they move down one line, and keep what they said.
  const moved = next.replace('[remote "m100"]\n', '[remote "m100"]\n  bogus = 1\n');
  const again = mod.validate(TextDocument.create(URI, 'gerrit-replication', 3, moved), { path: REPL, ws });
  assert.equal(validationStats.ran, 4);
  assert.deepEqual(again, createReplicationModule().validate(TextDocument.create(URI, 'gerrit-replication', 1, moved), { path: REPL, ws }));
  assert.deepEqual(again.map((d) => [d.code, d.range.start.line]), [['unknown-key', 2 + 3 * 100 + 1], ['invalid-int', 2 + 3 * 500 + 3]]);
});

// The LSP server validates through validateSteps, a slice at a time (issue 10): the same reuse
// must happen there, with pauses between units, and an edit too big for one parse slice must
// still be parsed in slices rather than re-read at once.
test('the sliced validation of an edit pauses between units and still runs only the edited units', () => {
  let text = '[gerrit]\n  autoReload = true\n';
  for (let i = 0; i < 1000; i++) text += `[remote "m${i}"]\n  url = ssh://h/srv/\${name}.git\n  threads = ${1 + (i % 4)}\n`;
  const ws = memoryWorkspace({ [REPL]: text });
  const mod = createReplicationModule();
  const sliced = (version: number, t: string) => {
    const steps = mod.validateSteps!(TextDocument.create(URI, 'gerrit-replication', version, t), { path: REPL, ws });
    let pauses = 0;
    for (;;) {
      const r = steps.next();
      if (r.done) return { diagnostics: r.value, pauses };
      pauses++;
    }
  };
  assert.deepEqual(sliced(1, text).diagnostics, []);
  const at = text.indexOf('threads', text.indexOf('[remote "m500"]'));
  const next = text.slice(0, at) + 'threads = 2x' + text.slice(at + 'threads = 1'.length);
  const got = sliced(2, next);
  assert.deepEqual(validationStats, { ran: 4, reused: 1001 + 1001 + 1001 + 1000 - 4 });
  assert.deepEqual(got.diagnostics, createReplicationModule().validate(TextDocument.create(URI, 'gerrit-replication', 1, next), { path: REPL, ws }));
  assert.deepEqual(got.diagnostics.map((d) => [d.code, d.range.start.line]), [['invalid-int', 2 + 3 * 500 + 2]]);
  // 4,003 units in slices of 256, besides the pauses between stages.
  assert.ok(got.pauses >= 4003 / 256, `${got.pauses} pauses`);
  // An edit that re-reads more than one parse slice (64 KB): a new parse, paused in slices, and a full run.
  const big = next.replace('[remote "m1"]', '[remote "m1"]\n' + '  # padding\n'.repeat(8000));
  const full = sliced(3, big);
  assert.equal(validationStats.reused, 0);
  assert.deepEqual(full.diagnostics, createReplicationModule().validate(TextDocument.create(URI, 'gerrit-replication', 1, big), { path: REPL, ws }));
});
