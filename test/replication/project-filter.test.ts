import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern, projectMatches, isSingleProjectMatch } from '../../server/src/replication/projectFilter';

const m = (pats: string[], name: string, ex: string[] = []) => projectMatches(name, pats.map(compilePattern), ex.map(compilePattern));

test('acceptance rows 1-11 of the Gerrit spec', () => {
  assert.deepEqual(['foo/b', 'foo/bar', 'foo/baz', 'foobar', 'bar/foo/baz'].map((n) => m(['foo/b*'], n)), [true, true, true, false, false]);
  assert.deepEqual(['foo/bar', 'foo/baz', 'foo/bar2'].map((n) => m(['^foo/(bar|baz)'], n)), [true, true, false]);
  assert.equal(m(['^foo/(bar|baz).*'], 'foo/bar2'), true);
  assert.deepEqual(['foo/bar', 'foo/bar2'].map((n) => m(['foo/bar'], n)), [true, false]);
  assert.equal(m(['^(?:(?!foo).)*$'], 'foo'), false);
  assert.equal(m(['^(?:(?!foo).)*$', '^(?:(?!bar).)*$'], 'foo'), true);
  assert.equal(compilePattern('^abc*').kind, 'regex');
  assert.equal(m(['Foo'], 'foo'), false);
  assert.equal(m([], 'anything'), true);
  assert.deepEqual(['excludePrj1', 'replicatePrj1'].map((n) => m([], n, ['^excludePrj.*'])), [false, true]);
  assert.equal(m(['P'], 'P', ['P']), false);
  assert.equal(m([], 'other', ['excluded-prj']), true);
  assert.equal(isSingleProjectMatch(['foo']), true);
  assert.equal(isSingleProjectMatch(['foo*']), false);
  assert.equal(isSingleProjectMatch(['^foo']), false);
  assert.equal(isSingleProjectMatch(['a', 'b']), false);
  assert.ok(compilePattern('^foo(').error);
});
