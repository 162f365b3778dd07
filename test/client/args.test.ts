import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayUrl, parseReplicateRequest, taskIdsFrom, unsafeProjectName, unsafeUrl } from '../../client/src/models/args';
import { urlPatternOf } from '../../client/src/models/urlPattern';

test('project names that could inject options, transports or paths are refused', () => {
  assert.equal(unsafeProjectName('tools/gamma'), undefined);
  assert.match(unsafeProjectName('--upload-pack=evil')!, /starts with "-"/);
  assert.match(unsafeProjectName('ext::sh -c evil')!, /transport/);
  assert.match(unsafeProjectName('a/../../etc')!, /\.\./);
  assert.match(unsafeProjectName('')!, /empty/);
  assert.match(unsafeProjectName(42)!, /empty/);
});

test('URLs with ext::, a leading dash or .. segments are refused', () => {
  assert.equal(unsafeUrl('ssh://git@host/${name}.git'), undefined);
  assert.match(unsafeUrl('ext::ssh -oProxyCommand=x host')!, /ext::/);
  assert.match(unsafeUrl('-oProxyCommand=x')!, /"-"/);
  assert.match(unsafeUrl('/srv/mirrors/../../root')!, /\.\./);
});

test('display URLs never show passwords or http tokens', () => {
  assert.equal(displayUrl('https://user:s3cret@host/x.git'), 'https://host/x.git');
  assert.equal(displayUrl('https://ghp_token@github.com/x.git'), 'https://github.com/x.git');
  assert.equal(displayUrl('ssh://git:pw@host/x.git'), 'ssh://git@host/x.git');
  assert.equal(displayUrl('ssh://git@host/x.git'), 'ssh://git@host/x.git');
  assert.equal(displayUrl('/srv/mirrors/x.git'), '/srv/mirrors/x.git');
});

test('replicate requests from untrusted messages are validated', () => {
  assert.deepEqual(parseReplicateRequest({ projects: ['alpha', 'alpha'], remotes: ['local'] }), { projects: ['alpha'], remotes: ['local'] });
  assert.equal(typeof parseReplicateRequest({ projects: ['-x'] }), 'string');
  assert.equal(typeof parseReplicateRequest({ projects: [] }), 'string');
  assert.equal(typeof parseReplicateRequest({ projects: ['a'], urlPattern: 'ext::x' }), 'string');
  assert.equal(typeof parseReplicateRequest(null), 'string');
});

test('task ids come from a node, a task, ids, or a multi-selection', () => {
  const node = (id: string) => ({ id: `task:${id}`, kind: 'task', data: { id, project: 'alpha' } });
  assert.deepEqual(taskIdsFrom(node('1')), ['1']);
  assert.deepEqual(taskIdsFrom(node('1'), [node('1'), node('2')]), ['1', '2']);
  assert.deepEqual(taskIdsFrom('7'), ['7']);
  assert.deepEqual(taskIdsFrom({ id: '9', project: 'alpha', state: 'failed' }), ['9']);
  assert.deepEqual(taskIdsFrom({ id: 'x', kind: 'group' }), []);
  assert.deepEqual(taskIdsFrom(undefined), []);
});

test('a single URL is matched by its prefix before ${name}', () => {
  assert.equal(urlPatternOf('/srv/mirrors/local/${name}.git'), '/srv/mirrors/local/');
  assert.equal(urlPatternOf('ssh://h/only.git'), 'ssh://h/only.git');
});
