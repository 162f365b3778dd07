import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminKind, applyInsteadOf, applyRemoteNameStyle, escapeProjectForUrl, expandUrl, formatUrl, hasNamePlaceholder,
  isKnownRemoteNameStyle, needsUrlEscaping, parseUrl, ParsedUrl, replaceName, unsafeUrlReason,
  UrlExpansionError,
} from '../../server/src/replication/uri';

function ok(raw: string): ParsedUrl {
  const u = parseUrl(raw);
  assert.ok(u.ok, `${raw} should parse: ${!u.ok ? u.error : ''}`);
  return u;
}

test('parseUrl: the URIish forms', () => {
  const ssh = ok('ssh://git@mirror.example.com:29418/${name}.git');
  assert.deepEqual([ssh.form, ssh.scheme, ssh.user, ssh.host, ssh.port, ssh.path], ['url', 'ssh', 'git', 'mirror.example.com', 29418, '/${name}.git']);
  const scp = ok('mirror:repos/${name}.git');
  assert.deepEqual([scp.form, scp.scheme, scp.user, scp.host, scp.path], ['scp', undefined, undefined, 'mirror', 'repos/${name}.git']);
  const scpUser = ok('git@mirror:/srv/${name}.git');
  assert.deepEqual([scpUser.form, scpUser.user, scpUser.host, scpUser.path], ['scp', 'git', 'mirror', '/srv/${name}.git']);
  const git = ok('git://host/${name}');
  assert.deepEqual([git.scheme, git.host, git.port, git.path], ['git', 'host', -1, '/${name}']);
  const https = ok('https://user:s3cret@host/git/${name}');
  assert.deepEqual([https.user, https.password, https.host], ['user', 's3cret', 'host']);
  const file = ok('file:///srv/git/${name}.git');
  assert.deepEqual([file.form, file.scheme, file.host, file.path], ['url', 'file', undefined, '/srv/git/${name}.git']);
  const single = ok('file:/srv/${name}');
  assert.deepEqual([single.form, single.path], ['file-single-slash', '/srv/${name}']);
  const local = ok('/var/gerrit/mirror/${name}.git');
  assert.deepEqual([local.form, local.host, local.path], ['local', undefined, '/var/gerrit/mirror/${name}.git']);
  assert.equal(ok('relative/${name}').form, 'local');
  const v6 = ok('ssh://[::1]:2222/${name}');
  assert.deepEqual([v6.host, v6.port], ['[::1]', 2222]);
  const drive = ok('file://D:/repos/${name}');
  assert.deepEqual([drive.host, drive.path], [undefined, 'D:/repos/${name}']);
  // %XX is decoded in the path Gerrit checks.
  assert.equal(ok('https://host/%24%7Bname%7D').path, '/${name}');
  // An upper-case scheme is not a scheme for JGit: the whole thing is a relative local path.
  assert.deepEqual([ok('SSH://host/${name}').form, ok('SSH://host/${name}').host], ['local', undefined]);
});

test('parseUrl: what JGit rejects', () => {
  for (const [raw, gist] of [
    ['', /empty or null/],
    [null, /empty or null/],
    ['///x', /Cannot parse Git URI-ish: \/\/\/x/],
    ['/', /Cannot parse Git URI-ish/],
    ['https://host/%zz/${name}', /Cannot parse Git URI-ish/],
    ['https://host/${name}%4', /Cannot parse Git URI-ish/],
    ['http://host:99999999999/${name}', /out of range/],
  ] as const) {
    const u = parseUrl(raw);
    assert.equal(u.ok, false, `${raw} should be rejected`);
    if (!u.ok) assert.match(u.error, gist);
  }
});

test('formatUrl prints as JGit and leaves the password out by default', () => {
  const u = ok('https://user:s3cret@host:8443/git/${name}');
  assert.equal(formatUrl(u), 'https://user@host:8443/git/${name}');
  assert.equal(formatUrl(u, { includePassword: true }), 'https://user:s3cret@host:8443/git/${name}');
  assert.equal(formatUrl(ok('git@h:repos/x.git')), 'git@h:repos/x.git');
  assert.equal(formatUrl(ok('/srv/x.git')), '/srv/x.git');
});

test('needsUrlEscaping (spec §5 row 53)', () => {
  for (const u of ['http://h/${name}', 'https://h/${name}', 'amazon-s3://bucket/${name}', 'HTTPS://h/x']) {
    // HTTPS:// is a local path for JGit (no scheme), so it does not need escaping.
    assert.equal(needsUrlEscaping(u), u !== 'HTTPS://h/x', u);
  }
  for (const u of ['host:path', 'user@host:path', 'git://h/${name}', 'ssh://h/${name}', '/local/${name}']) assert.equal(needsUrlEscaping(u), false, u);
});

test('escapeProjectForUrl (spec §5 row 54)', () => {
  assert.equal(escapeProjectForUrl('-- All Projects --'), '--%20All%20Projects%20--');
  assert.equal(escapeProjectForUrl('name/with a space'), 'name/with%20a%20space');
  assert.equal(escapeProjectForUrl('foo/bar/thing'), 'foo/bar/thing');
  assert.equal(escapeProjectForUrl('a"b<c>%ü'), 'a%22b%3Cc%3E%25%C3%BC');
  assert.equal(escapeProjectForUrl("keep:@!$&'()*+,;=~._-"), "keep:@!$&'()*+,;=~._-");
});

test('remoteNameStyle (spec §5 row 60), case-sensitive, unknown = slash', () => {
  const p = 'foo/bar/my-repo';
  assert.equal(applyRemoteNameStyle(p, 'dash'), 'foo-bar-my-repo');
  assert.equal(applyRemoteNameStyle(p, 'underscore'), 'foo_bar_my-repo');
  assert.equal(applyRemoteNameStyle(p, 'basenameOnly'), 'my-repo');
  assert.equal(applyRemoteNameStyle(p, 'Dash'), p);
  assert.equal(applyRemoteNameStyle(p, 'slash'), p);
  assert.equal(applyRemoteNameStyle(p, undefined), p);
  assert.equal(applyRemoteNameStyle('tools/plugin.v2.git', 'basenameOnly'), 'plugin.v2');
  assert.equal(isKnownRemoteNameStyle('basenameOnly'), true);
  assert.equal(isKnownRemoteNameStyle('basenameonly'), false);
});

test('replaceName: first occurrence only; optional only for single-project remotes', () => {
  assert.equal(replaceName('/a/${name}/${name}', 'p', false), '/a/p/${name}');
  assert.equal(replaceName('/a/fixed.git', 'p', false), null);
  assert.equal(replaceName('/a/fixed.git', 'p', true), '/a/fixed.git');
  assert.equal(hasNamePlaceholder(ok('ssh://${name}.example.com/repo')), false, '${name} in the host does not count');
});

test('expandUrl: the URL the plugin pushes to', () => {
  assert.equal(expandUrl('ssh://git@h:29418/${name}.git', 'foo/bar'), 'ssh://git@h:29418/foo/bar.git');
  assert.equal(expandUrl('git@h:mirrors/${name}.git', 'foo/bar', 'dash'), 'git@h:mirrors/foo-bar.git');
  assert.equal(expandUrl('https://h/git/${name}', 'name/with a space'), 'https://h/git/name/with%20a%20space');
  assert.equal(expandUrl('https://h/${name}', '-- All Projects --', 'basenameOnly'), 'https://h/--%20All%20Projects%20--');
  assert.equal(expandUrl('/srv/${name}.git', 'a/b', 'underscore'), '/srv/a_b.git');
  assert.equal(expandUrl('https://u:pw@h/${name}', 'p'), 'https://u@h/p');
  assert.equal(expandUrl('https://u:pw@h/${name}', 'p', 'slash', { includePassword: true }), 'https://u:pw@h/p');
  assert.equal(expandUrl('ssh://h/fixed.git', 'only', 'slash', { singleProject: true }), 'ssh://h/fixed.git');
  assert.throws(() => expandUrl('ssh://h/fixed.git', 'p'), UrlExpansionError);
  assert.throws(() => expandUrl('///x', 'p'), /invalid URL/);
});

test('adminKind follows AdminApiFactory', () => {
  const k = (s: string) => adminKind(ok(s));
  assert.equal(k('gerrit+ssh://h:29418/'), 'gerrit-ssh');
  assert.equal(k('gerrit+https://h/'), 'gerrit-http');
  assert.equal(k('gerrit+http://h/'), 'gerrit-http');
  assert.equal(k('ssh://h/${name}'), 'ssh');
  assert.equal(k('git+ssh://h/${name}'), 'ssh');
  assert.equal(k('mirror:/srv/${name}'), 'ssh');
  // A one-letter "host" before ':/' is a Windows drive letter for JGit: a local path.
  assert.equal(k('h:/srv/${name}'), 'local');
  assert.equal(k('/srv/${name}'), 'local');
  assert.equal(k('file:///srv/${name}'), 'local');
  assert.equal(k('https://h/${name}'), 'none');
  assert.equal(k('git://h/${name}'), 'none');
});

test('insteadOf: longest prefix wins', () => {
  const rules = [{ base: 'ssh://a/', prefix: 'gh:' }, { base: 'ssh://b/', prefix: 'gh:org/' }];
  assert.equal(applyInsteadOf('gh:org/${name}', rules), 'ssh://b/${name}');
  assert.equal(applyInsteadOf('gh:x/${name}', rules), 'ssh://a/x/${name}');
  assert.equal(applyInsteadOf('ssh://c/${name}', rules), 'ssh://c/${name}');
});

test('unsafe URLs and project names are refused', () => {
  assert.match(unsafeUrlReason('ext::sh -c touch% /tmp/x')!, /ext::/);
  assert.match(unsafeUrlReason('-oProxyCommand=x')!, /option/);
  assert.equal(unsafeUrlReason('ssh://h/${name}'), undefined);
});
