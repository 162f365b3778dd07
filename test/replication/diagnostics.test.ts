import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../server/src/replication/checks/replicationRules';
import { scratch } from '../support/helpers';
import { applyFix, check, codes, expectDiag, FANOUT, fixTitles, REPL, SECURE, SEEN } from '../support/replication-helpers';

const E = 1, W = 2, I = 3, H = 4;
const OK_REMOTE = '[remote "m"]\n  url = ssh://git@mirror/${name}.git\n';

test('a good file has no diagnostics', () => {
  const text = [
    '[gerrit]',
    '  autoReload = true',
    '  replicateOnStartup = false',
    '  sshConnectionTimeout = 30s',
    '[replication]',
    '  maxRetries = 10',
    '[remote "mirror"]',
    '  url = ssh://git@mirror.example.com:29418/${name}.git',
    '  url = https://mirror.example.com/git/${name}',
    '  adminUrl = gerrit+ssh://mirror.example.com:29418/',
    '  push = +refs/heads/*:refs/heads/*',
    '  push = refs/tags/*:refs/tags/*',
    '  replicationDelay = 15',
    '  rescheduleDelay = 15',
    '  threads = 4',
    '  remoteNameStyle = dash',
    '  projects = ^mirror/.*',
    '  projects = tools*',
    '  slowLatencyThreshold = 15 min',
    '  mirror',
    '[remote "one"]',
    '  url = /srv/single.git',
    '  projects = only/this',
    '',
  ].join('\n');
  assert.deepEqual(check(text), []);
});

test('syntax errors, and where git and JGit disagree', () => {
  let d = check('[remote "a"\n  url = x\n');
  expectDiag(d, 'syntax', E, '1:1-1:12', /JGit fails on this line too \("Bad group header"\), so the plugin does not load/);
  // Lines git rejects and JGit reads (checked with the real JGit in replication-jgit-differential):
  // still errors, but the plugin loads these files.
  for (const [text, range] of [['[]\n', '1:1-1:3'], ['[r\u00e9mote "m"]\n', '1:1-1:13'], ['[remote "m"]\n  -threads = 1\n', '2:3-2:15'], ['[remote "m"]\n\f threads = 1\n', '2:1-2:14'], ['[remote "m"]\n  url = "x', '2:11-2:11']]) {
    d = check(text);
    expectDiag(d, 'syntax', E, range, /git rejects this line.*but JGit reads it: the plugin loads the file/);
  }
  // A line git rejects while JGit fails on another one: the file does not load.
  d = check('[]\n' + OK_REMOTE + '  projects = a\\');
  assert.match(d.find((x) => x.range.start.line === 0)!.message, /git rejects this line.*JGit reads it, but fails on line 4 \("End of file in escape"\), so the plugin does not load/);
  // Lines git reads and JGit rejects.
  d = check(OK_REMOTE + '  projects = a\\');
  expectDiag(d, 'syntax', E, '3:1-3:16', /^JGit fails here with "End of file in escape", so the plugin does not load \(git reads this line\)/);
  d = check(OK_REMOTE.replace(/\n/g, '\r\n') + '  mirror\r\n');
  expectDiag(d, 'syntax', E, '3:1-3:9', /"Bad entry name: mirror".*CRLF/);
  d = check(OK_REMOTE + '  mirror');
  expectDiag(d, 'syntax', E, '3:1-3:9', /"Unexpected end of config file"/);
  d = check(OK_REMOTE + '  2threads = 3\n');
  expectDiag(d, 'key-starts-with-digit', E, '3:3-3:15', /'2threads'.*git rejects.*JGit .*ignores/);
  const bare = OK_REMOTE + '  mirror ; keep refs in sync\n';
  const x = expectDiag(check(bare), 'bare-key-comment', E, '3:10-3:29', /JGit reads the key with no value, so the default \(false\) applies, not true/);
  assert.deepEqual(fixTitles(x), ['Write mirror = false (the default the plugin uses now)', 'Write mirror = true (changes what the plugin does)']);
  assert.equal(applyFix(bare, x), OK_REMOTE + '  mirror = false ; keep refs in sync\n', 'the preferred fix keeps what the plugin does');
  // JGit ignores the rest of a header line; git reads it as a key.
  d = check('[remote "m"] threads = abc\n  url = ssh://git@mirror/${name}.git\n');
  expectDiag(d, 'header-trailing-text', W, '1:14-1:27', /JGit ignores everything after the '\]'.*never reads 'threads = abc' \(git reads it as remote\.m\.threads\)/);
  d = check('[remote "m"] url = ssh://git@mirror/${name}.git\n  threads = abc\n');
  assert.deepEqual(d.map((x) => [x.code, x.severity]), [['remote-no-url', W], ['header-trailing-text', W], ['invalid-int', I]], 'for JGit the remote has no url, so threads is never read');
  d = check('threads = 2\n' + OK_REMOTE);
  expectDiag(d, 'key-outside-section', E, '1:1-1:12', /Invalid line in config file/);
  d = check('# nothing yet\n');
  expectDiag(d, 'empty-config', I, '1:1-1:1', /not replicating/);
  assert.deepEqual(check('', FANOUT('x')).map((x) => x.code), ['fanout-remote-count']);
});

test('unknown sections and keys, with did-you-mean fixes', () => {
  let d = check('[replicaton]\n  maxRetries = 3\n' + OK_REMOTE);
  let x = expectDiag(d, 'unknown-section', W, '1:2-1:12', /Unknown section \[replicaton\].*ignores it.*Did you mean \[replication\]/);
  assert.equal(applyFix('[replicaton]\n', x), '[replication]\n');
  d = check(OK_REMOTE + '  threds = 2\n');
  x = expectDiag(d, 'unknown-key', W, '3:3-3:9', /Unknown key remote\.m\.threds.*Did you mean threads\?/);
  assert.deepEqual(fixTitles(x), ['Change to threads']);
  d = check(OK_REMOTE + '  replicationDealy = 2\n');
  assert.match(d[0].message, /Did you mean replicationDelay/);
  d = check('[gerrit "x"]\n  autoReload = true\n' + OK_REMOTE);
  expectDiag(d, 'unknown-section', W, '1:1-1:13', /reads \[gerrit\] without a name/);
  d = check('[url]\n  insteadOf = x\n' + OK_REMOTE);
  expectDiag(d, 'unknown-section', W, '1:1-1:6', /needs a name/);
});

test('keys in the wrong file, keys the plugin never reads', () => {
  let d = check(OK_REMOTE + '  password = hunter2\n');
  expectDiag(d, 'misplaced-key', W, '3:3-3:11', /belongs in secure.config/);
  d = check('[remote "m"]\n  url = ssh://h/${name}\n', SECURE, { [REPL]: OK_REMOTE });
  expectDiag(d, 'misplaced-key', W, '2:3-2:6', /remote\.m\.url belongs in replication.config/);
  d = check('[remote]\n  url = ssh://h/${name}\n[gerrit]\n  autoReload = true\n', FANOUT('m'));
  expectDiag(d, 'key-not-read-here', W, '4:3-4:13', /autoReload is read only from replication.config/);
  d = check(OK_REMOTE + '  pushurl = ssh://other/${name}\n  tagopt = --no-tags\n');
  assert.deepEqual(codes(d), ['unused-key', 'unused-key']);
  expectDiag([d[0]], 'unused-key', W, '3:3-3:10', /never uses it: pushes go to url/);
  d = check(OK_REMOTE + '  urlDistributionStrategy = roundRobin\n');
  expectDiag(d, 'branch-only-key', I, '3:3-3:26', /stable-3.11/);
  d = check('[remote]\n  url = ssh://h/${name}\n');
  expectDiag(d, 'remote-without-name', W, '1:1-1:9', /only named remotes/);
  d = check('[remote.legacy]\n  url = ssh://h/${name}\n');
  x = expectDiag(d, 'legacy-subsection', W, '1:1-1:16', /literally named 'remote.legacy'/);
  assert.equal(applyFix('[remote.legacy]\n', x), '[remote "legacy"]\n');
});

let x: ReturnType<typeof expectDiag>;

test('duplicate remotes and repeated single-valued keys point at the other location', () => {
  const d = check('[remote "a"]\n  url = ssh://h/${name}\n  threads = 2\n[remote "a"]\n  threads = 4\n  url = ssh://g/${name}\n');
  x = expectDiag(d, 'duplicate-remote', W, '4:1-4:13', /appears again: JGit merges/);
  assert.equal(x.relatedInformation![0].location.range.start.line, 0);
  x = expectDiag(d, 'repeated-key', W, '3:3-3:14', /set 2 times; the last value \('4'\) wins/);
  assert.equal(x.relatedInformation![0].location.range.start.line, 4);
  assert.match(x.relatedInformation![0].message, /in effect/);
  assert.deepEqual(fixTitles(x), ['Remove this overridden threads']);
  assert.deepEqual(x.data && (x.data as { fixes: Array<{ edits: Array<{ range: unknown }> }> }).fixes[0].edits[0].range, { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } });
});

test('repeats count only in blocks the plugin reads, and [remote] is not [remote ""]', () => {
  // Two bare [remote] blocks in replication.config are never read: no "the last value wins".
  let d = check('[remote]\n  threads = 2\n[remote]\n  threads = 3\n[remote "a"]\n  url = ssh://h/${name}\n');
  assert.deepEqual(d.filter((x) => x.code === 'repeated-key' || x.code === 'duplicate-remote'), []);
  assert.equal(d.filter((x) => x.code === 'remote-without-name').length, 2);
  // An empty name is a name: [remote ""] twice merges, a bare [remote] beside it does not.
  d = check('[remote ""]\n  url = ssh://h/${name}\n[remote]\n  threads = 1\n[remote ""]\n  threads = 2\n');
  x = expectDiag(d, 'duplicate-remote', W, '5:1-5:12', /appears again/);
  assert.equal(x.relatedInformation![0].location.range.start.line, 0);
  assert.deepEqual(d.filter((x) => x.code === 'repeated-key'), []);
  // In a fan-out file the bare [remote] blocks are the ones read, so their repeats count.
  d = check('[remote]\n  url = ssh://h/${name}\n  threads = 2\n[remote]\n  threads = 4\n', FANOUT('m'));
  x = expectDiag(d, 'repeated-key', W, '3:3-3:14', /set 2 times; the last value \('4'\) wins/);
});

test('integers: units are load errors, k/m/g are multipliers', () => {
  let d = check(OK_REMOTE + '  replicationDelay = 15s\n');
  x = expectDiag(d, 'invalid-int', E, '3:22-3:25', /^Invalid integer value: remote\.replicationdelay=15s — .*fails to load.*write 15/);
  assert.equal(applyFix(OK_REMOTE + '  replicationDelay = 15s\n', x), OK_REMOTE + '  replicationDelay = 15\n');
  d = check(OK_REMOTE + '  replicationRetry = 1m\n');
  x = expectDiag(d, 'int-multiplier', W, '3:22-3:24', /1m means 1,048,576 minutes/);
  assert.deepEqual(fixTitles(x), ['Write 1: 1 minute', 'Write the value in effect, 1048576']);
  d = check(OK_REMOTE + '  replicationDelay = 2m\n');
  x = expectDiag(d, 'int-multiplier', W, '3:22-3:24', /2,097,152 seconds/);
  assert.equal(applyFix(OK_REMOTE + '  replicationDelay = 2m\n', x), OK_REMOTE + '  replicationDelay = 120\n');
  d = check(OK_REMOTE + '  threads = 99999999999\n');
  expectDiag(d, 'int-out-of-range', E, '3:13-3:24', /Integer value remote\.threads out of range/);
  d = check('[replication]\n  maxRetries = ten\n' + OK_REMOTE);
  expectDiag(d, 'invalid-int', E, '2:16-2:19', /Invalid integer value: replication\.maxRetries=ten/);
  // A number with a stray suffix that is no unit: the number is what was meant.
  x = expectDiag(check(OK_REMOTE + '  threads = 2x\n'), 'invalid-int', E, '3:13-3:15', /Invalid integer value: remote\.threads=2x/);
  assert.equal(applyFix(OK_REMOTE + '  threads = 2x\n', x), OK_REMOTE + '  threads = 2\n');
});

test('floors and negative values', () => {
  let d = check(OK_REMOTE + '  rescheduleDelay = 1\n');
  x = expectDiag(d, 'below-floor', W, '3:21-3:22', /raised to 3; in effect: 3 seconds/);
  assert.equal(applyFix(OK_REMOTE + '  rescheduleDelay = 1\n', x), OK_REMOTE + '  rescheduleDelay = 3\n');
  d = check(OK_REMOTE + '  replicationDelay = -5\n');
  expectDiag(d, 'below-floor', W, '3:22-3:24', /negative values are treated as 0; in effect: 0 seconds/);
  d = check(OK_REMOTE + '  replicationMaxRetries = -1\n');
  expectDiag(d, 'negative-value', W, '3:27-3:29', /first failure cancels/);
});

test('booleans, durations and enums', () => {
  let d = check('[gerrit]\n  autoReload = maybe\n' + OK_REMOTE);
  expectDiag(d, 'invalid-bool', E, '2:16-2:21', /^Invalid boolean value: gerrit\.autoReload=maybe — .*fails to load/);
  // An empty boolean is no value for JGit: the default.
  assert.deepEqual(check(OK_REMOTE + '  mirror =\n'), []);
  assert.deepEqual(check(OK_REMOTE + '  replicatePermissions = ""\n'), []);
  // Long.parseLong takes any Unicode digit; String.strip keeps a no-break space.
  assert.deepEqual(check(OK_REMOTE + '  threads = \uff13\n'), []);
  expectDiag(check(OK_REMOTE + '  threads = \u00a05\n'), 'invalid-int', E, '3:13-3:15', /^Invalid integer value: remote\.threads=\u00a05 — /);
  // Keys of a remote the plugin skips are never read: information, not a load failure.
  d = check('[remote "m"]\n  threads = abc\n');
  x = expectDiag(d, 'invalid-int', I, '2:13-2:16', /skips this remote because it has no url, so it never reads this key today/);
  // …but RemoteConfig reads timeout and mirror of every remote.
  expectDiag(check('[remote "m"]\n  timeout = abc\n'), 'invalid-int', E, '2:13-2:16', /^Invalid integer value: remote\.timeout=abc/);
  d = check('[gerrit]\n  sshConnectionTimeout = 30\n' + OK_REMOTE);
  x = expectDiag(d, 'bare-milliseconds', W, '2:26-2:28', /30 means 30 ms/);
  assert.equal(applyFix('[gerrit]\n  sshConnectionTimeout = 30\n', x), '[gerrit]\n  sshConnectionTimeout = 30s\n');
  d = check(OK_REMOTE + '  slowLatencyThreshold = -1\n');
  expectDiag(d, 'invalid-duration', E, '3:26-3:28', /^Invalid time unit value: remote\.m\.slowLatencyThreshold = -1/);
  d = check('[gerrit]\n  sshCommandTimeout = 5 fortnights\n' + OK_REMOTE);
  expectDiag(d, 'invalid-duration', E, '2:23-2:35', /gerrit\.sshCommandTimeout = 5 fortnights/);
  d = check(OK_REMOTE + '  remoteNameStyle = Dash\n');
  x = expectDiag(d, 'invalid-enum', W, '3:21-3:25', /silently uses slash.*case-sensitive: did you mean 'dash'/);
  assert.equal(applyFix(OK_REMOTE + '  remoteNameStyle = Dash\n', x), OK_REMOTE + '  remoteNameStyle = dash\n');
});

test('project patterns and excludedRefsPattern', () => {
  let d = check(OK_REMOTE + '  projects = ^foo(\n');
  expectDiag(d, 'invalid-project-pattern', E, '3:14-3:19', /does not compile.*PatternSyntaxException/);
  assert.deepEqual(check(OK_REMOTE + '  projects = ^foo\\\\-bar(?>x)\n'), [], 'Java-only syntax is not reported');
  // In git-config, \- itself is an invalid escape: the regex needs \\-.
  assert.deepEqual(codes(check(OK_REMOTE + '  projects = ^foo\\-bar\n')), ['syntax']);
  d = check(OK_REMOTE + '  projects = foo/.*\n');
  x = expectDiag(d, 'literal-project-pattern', W, '3:14-3:20', /prefix match \(names starting with 'foo\/\.'\)/);
  assert.equal(applyFix(OK_REMOTE + '  projects = foo/.*\n', x), OK_REMOTE + '  projects = ^foo/.*\n');
  d = check(OK_REMOTE + '  excludedRefsPattern = refs/(foo\n');
  expectDiag(d, 'invalid-excluded-refs-pattern', W, '3:25-3:34', /Invalid excludedRefsPattern 'refs\/\(foo' is ignored/);
});

test('urls: load errors, ${name}, and surprises', () => {
  let d = check('[remote "a"]\n  url = ///x\n');
  expectDiag(d, 'invalid-url', E, '2:9-2:13', /Cannot parse Git URI-ish.*"remote a has invalid URL"/);
  const text = '[remote "a"]\n  url = ssh://git@h/fixed.git\n';
  d = check(text);
  x = expectDiag(d, 'missing-name', E, '2:9-2:30', /^remote\.a\.url "ssh:\/\/git@h\/fixed\.git" lacks \$\{name\} placeholder: the plugin refuses to load/);
  assert.equal(applyFix(text, x), '[remote "a"]\n  url = ssh://git@h/${name}.git\n');
  // The single exact-project exemption, and what does not count as one.
  assert.deepEqual(check(text + '  projects = foo\n'), []);
  assert.deepEqual(codes(check(text + '  projects = foo*\n')), ['missing-name']);
  assert.deepEqual(codes(check(text + '  projects = ^foo\n')), ['missing-name']);
  assert.deepEqual(codes(check(text + '  projects = a\n  projects = b\n')), ['missing-name']);
  assert.deepEqual(codes(check(text + '  projects = foo\n  excludeProjects = bar\n')), [], 'excludeProjects does not break the exemption');
  d = check('[remote "a"]\n  url = ssh://${name}.example.com/repo\n');
  assert.match(d[0].message, /only replaces it in the path, not in the host/);
  // insteadOf is applied before the check.
  assert.deepEqual(check('[url "ssh://git@h/"]\n  insteadOf = h:\n[remote "a"]\n  url = h:${name}\n'), []);
  d = check('[remote "a"]\n  url = ssh://h/${name}/${name}\n');
  expectDiag(d, 'repeated-name', W, '2:9-2:32', /Only the first \$\{name\} is replaced/);
  d = check('[remote "a"]\n  url = SSH://h/${name}\n');
  expectDiag(d, 'url-parsed-as-local', W, '2:9-2:24', /local path.*lower-case schemes/);
  d = check('[remote "a"]\n  url = https://bot:s3cret@h/${name}\n');
  x = expectDiag(d, 'url-password', W, '2:9-2:37', /remote\.a\.password/);
  assert.doesNotMatch(x.message, /s3cret/);
  d = check('[remote "a"]\n  url = ext::sh -c ${name}\n');
  expectDiag(d, 'unsafe-url', W, '2:9-2:27', /refuses url.*remote-helper syntax/);
  d = check(OK_REMOTE + '  pushurl = ///x\n');
  assert.ok(codes(d).includes('invalid-url'));
});

test('adminUrl rules: skipped with a warning, url used instead', () => {
  let d = check(OK_REMOTE + '  adminUrl = https://h/${name}\n');
  expectDiag(d, 'admin-url-unsupported', W, '3:14-3:31', /only SSH and HTTP are supported/);
  d = check(OK_REMOTE + '  adminUrl = ssh://h/fixed.git\n');
  expectDiag(d, 'admin-url-missing-name', W, '3:14-3:31', /does not contain \$\{name\}/);
  d = check(OK_REMOTE + '  adminUrl = https://h/%zz\n');
  expectDiag(d, 'admin-url-invalid', W, '3:14-3:27', /adminURL 'https:\/\/h\/%zz' is invalid/);
  d = check(OK_REMOTE + '  adminUrl = gerrit+ssh://h/\n');
  expectDiag(d, 'gerrit-ssh-port', I, '3:14-3:29', /29418/);
  assert.deepEqual(check(OK_REMOTE + '  adminUrl = gerrit+https://h/\n  adminUrl = git@h:/srv/${name}.git\n'), []);
});

test('refspecs: JGit load errors, check-ref-format, deletions', () => {
  let d = check(OK_REMOTE + '  push = refs/heads/*\n');
  x = expectDiag(d, 'invalid-refspec', E, '3:10-3:22', /^Invalid wildcards refs\/heads\/\* — .*fails to load/);
  assert.equal(applyFix(OK_REMOTE + '  push = refs/heads/*\n', x), OK_REMOTE + '  push = refs/heads/*:refs/heads/*\n');
  assert.deepEqual(codes(check(OK_REMOTE + '  push = refs/heads/*:refs/heads/master\n')), ['invalid-refspec']);
  assert.deepEqual(codes(check(OK_REMOTE + '  push = refs/*/*:refs/*/*\n')), ['invalid-refspec']);
  assert.deepEqual(codes(check(OK_REMOTE + '  push = +^refs/heads/x\n')), ['invalid-refspec']);
  assert.deepEqual(check(OK_REMOTE + '  push = refs/heads/master\n  push = +refs/*:refs/*\n  push = :\n'), []);
  d = check(OK_REMOTE + '  push = refs/heads/a..b:refs/heads/x\n');
  expectDiag(d, 'refspec-bad-ref-name', W, '3:10-3:38', /contains '\.\.'.*push .*fails/);
  assert.deepEqual(codes(check(OK_REMOTE + '  push = refs/heads/a~1:refs/heads/x\n')), ['refspec-bad-ref-name']);
  d = check(OK_REMOTE + '  push = :refs/heads/old\n');
  expectDiag(d, 'refspec-deletes', W, '3:10-3:25', /deletes refs\/heads\/old/);
});

test('remotes: fetch makes them ignored, no url skipped, batching vs cluster mode', () => {
  let d = check(OK_REMOTE + '  fetch = +refs/*:refs/*\n');
  expectDiag(d, 'remote-fetch-ignored', W, '3:3-3:8', /Ignore 'm' endpoint: not a 'push' target/);
  d = check('[remote "empty"]\n  threads = 2\n');
  expectDiag(d, 'remote-no-url', W, '1:1-1:17', /no url: the plugin skips this remote/);
  d = check('[replication]\n  distributionInterval = 3\n' + OK_REMOTE + '  pushBatchSize = 100\n');
  x = expectDiag(d, 'batch-with-distribution', W, '5:19-5:22', /Push in batches cannot be turned on for remote \(m\)/);
  assert.equal(x.relatedInformation![0].location.range.start.line, 1);
});

test('fan-out files: exactly one [remote] line, no subsections, other sections merged', () => {
  let d = check('[remote "x"]\n  url = ssh://h/${name}\n', FANOUT('x'));
  x = expectDiag(d, 'fanout-subsection', E, '1:1-1:13', /cannot contain remote subsections/);
  assert.equal(applyFix('[remote "x"]\n', x), '[remote]\n');
  d = check('# see [remote]\n[remote]\n  url = ssh://h/${name}\n', FANOUT('x'));
  x = expectDiag(d, 'fanout-remote-count', E, '2:1-2:9', /must contain only one remote section \(found 2.*comment counts too/);
  assert.equal(x.relatedInformation![0].location.range.start.line, 0);
  d = check('[remote]\n  url = ssh://h/${name}\n[replication]\n  maxRetries = 2\n', FANOUT('x'));
  expectDiag(d, 'fanout-other-section', I, '3:1-3:14', /merged into replication.config/);
  // the fan-out remote's name comes from the file: ${name} rules apply to it
  d = check('[remote]\n  url = ssh://git@h/fixed.git\n', FANOUT('x'));
  assert.match(d[0].message, /remote\.x\.url/);
});

test('replication.config remotes are ignored when etc/replication/ exists', () => {
  const d = check(OK_REMOTE, REPL, { [FANOUT('other')]: '[remote]\n  url = ssh://h/${name}\n' });
  x = expectDiag(d, 'fanout-remote-ignored', W, '1:1-1:13', /Ignoring: m/);
  assert.match(x.relatedInformation![0].location.uri, /etc\/replication\/other\.config$/);
  // The plugin's log line names every remote; quoted in each of 2,000 messages it made a 10,000-remote
  // file cost ~1 GB of strings and 10 s. Each message names a few and counts the rest.
  const many = Array.from({ length: 2000 }, (_, i) => `[remote "r${i}"]\n  url = ssh://h/\${name}\n`).join('');
  const ds = check(many, REPL, { [FANOUT('other')]: '[remote]\n  url = ssh://h/${name}\n' }).filter((y) => y.code === 'fanout-remote-ignored');
  assert.equal(ds.length, 2000);
  for (const y of ds) assert.ok(y.message.length < 400, y.message.slice(0, 500));
  assert.match(ds[0].message, /Ignoring: r0,r1,r2,r3,r4,… \(2,000 remotes\)/);
});

test('secure.config: only credentials of defined remotes, readable only by its owner', () => {
  let d = check('[remote "m"]\n  username = bot\n  password = x\n[remote "M2"]\n  password = y\n', SECURE, { [REPL]: OK_REMOTE });
  x = expectDiag(d, 'secure-unknown-remote', W, '4:10-4:12', /No remote 'M2' in replication.config/);
  assert.match(x.relatedInformation![0].location.uri, /etc\/replication\.config$/);
  d = check('[remote "m"]\n  password = x\n', SECURE, { [REPL]: OK_REMOTE }, { [SECURE]: 0o644 });
  expectDiag(d, 'secure-readable', W, '1:1-1:13', /mode 644.*every user on the host.*chmod 600/);
  assert.deepEqual(codes(check('[remote "m"]\n  password = x\n', SECURE, { [REPL]: OK_REMOTE }, { [SECURE]: 0o640 })), ['secure-readable']);
  d = check('[auth]\n  registerEmailPrivateKey = k\n', SECURE, { [REPL]: OK_REMOTE });
  expectDiag(d, 'secure-other-section', H, '1:1-1:7', /for Gerrit or another plugin/);
  d = check('[remote "m"]\n  passwd = x\n', SECURE, { [REPL]: OK_REMOTE });
  assert.match(d[0].message, /Did you mean password/);
  // remotes from the fan-out directory
  assert.deepEqual(check('[remote "x"]\n  password = x\n', SECURE, { [REPL]: '', [FANOUT('x')]: '[remote]\n' }), []);
});

test('no password written into a url is ever echoed', () => {
  const text = '[remote "a"]\n  url = https://bot:s3cret@h/%zz\n  adminUrl = https://bot:s3cret@h/%zz\n  pushurl = https://bot:s3cret@h/%zz\n  url = HTTPS://bot:s3cret@h/${name}\n';
  const d = check(text);
  assert.deepEqual(codes(d), ['invalid-url', 'admin-url-invalid', 'unused-key', 'invalid-url', 'url-parsed-as-local']);
  for (const x of d) assert.doesNotMatch(x.message, /s3cret/, x.message);
  assert.match(d[0].message, /https:\/\/bot:\*\*\*@h\/%zz/);
  const sec = check('[remote "m"]\n  password = one\n  password = two\n', SECURE, { [REPL]: OK_REMOTE });
  assert.match(sec[0].message, /last value \(not shown\) wins/);
});

test('refspecs: empty names and a doubled +', () => {
  assert.match(check(OK_REMOTE + '  push =\n')[0].message, /'' is not a valid ref name \(it is empty\)/);
  assert.match(check(OK_REMOTE + '  push = ++refs/heads/x:refs/heads/x\n')[0].message, /only one leading '\+' is the force flag/);
});

test('[include] lines: each rule with its severity and range (more in replication-includes.test.ts)', () => {
  const INC = '/srv/gerrit/etc/r.inc';
  expectDiag(check('[include]\n  path = gone.inc\n'), 'include-missing', W, '2:10-2:18', /no readable file at \/srv\/gerrit\/etc\/gone\.inc/);
  expectDiag(check('[include]\n  path = r.inc\n', REPL, { [INC]: '[include]\n  path = r.inc\n' }), 'include-too-deep', E, '2:10-2:15', /circular.*"Too many recursions; circular includes in config file\(s\)\?"/);
  expectDiag(check('[include]\n  paths = r.inc\n'), 'include-invalid', E, '2:3-2:16', /"Invalid line in config file: include\.paths=r\.inc" \(only `path = FILE`/);
  expectDiag(check('[include]\n  path =\n'), 'include-invalid', E, '2:3-2:9', /^JGit fails with "Invalid line in config file: include\.path" \(a path with no value\)/);
  expectDiag(check('[includeIf "onbranch:main"]\n  path = r.inc\n'), 'include-if-ignored', W, '1:1-1:28', /JGit has no includeIf/);
  expectDiag(check('[remote]\n  url = ssh://h/${name}\n[include]\n  path = r.inc\n', FANOUT('f')), 'include-not-followed', W, '3:1-3:10', /never follows includes/);
  expectDiag(check('[include]\n  path = r.inc\n', REPL, { [INC]: '[remote "i"]\n  url = ssh://h/${name}\n', [FANOUT('f')]: '[remote]\n  url = ssh://h/${name}\n' }), 'include-remote-kept', W, '2:10-2:15', /keeps remote 'i'/);
});

test('[include] lines check does not follow: outside the site, and not a regular file (more in check-confinement.test.ts)', () => {
  const out = expectDiag(check('[include]\n  path = /elsewhere/x.inc\n', REPL, { '/elsewhere/x.inc': '[remote "s3cret"]\n' }), 'include-outside-site', W, '2:10-2:26', /^\/elsewhere\/x\.inc is outside the Gerrit site: JGit would read it, but check does not/);
  assert.doesNotMatch(out.message, /s3cret/);
  const s = scratch('gr-incl-fifo-');
  try {
    mkdirSync(join(s.dir, 'etc'));
    execFileSync('mkfifo', [join(s.dir, 'etc', 'pipe.inc')]);
    expectDiag(check('[include]\n  path = pipe.inc\n', join(s.dir, 'etc', 'replication.config')), 'include-not-regular', E, '2:10-2:18', /pipe\.inc is not a regular file/);
  } finally {
    s.cleanup();
  }
});

test('every rule in the rule table is exercised above', () => {
  const missing = Object.keys(RULES).filter((c) => !SEEN.has(c));
  assert.deepEqual(missing, []);
});

test('problems of remotes dropped for etc/replication/ are information, not errors', () => {
  const d = check('[remote "old"]\n  url = ssh://h/fixed.git\n  replicationDelay = 15s\n', REPL, { [FANOUT('new')]: '[remote]\n  url = ssh://h/${name}\n' });
  assert.deepEqual(d.map((x) => [x.code, x.severity]), [['fanout-remote-ignored', W], ['missing-name', I], ['invalid-int', I]]);
  assert.match(d[2].message, /replicationdelay=15s.*ignored while etc\/replication\/ exists/);
});
