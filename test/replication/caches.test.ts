// The rules remember values that gave no diagnostic (a big file repeats a few values across
// thousands of remotes). A value remembered as clean in one context must still be reported
// where the context makes it wrong, and every occurrence of a bad value must be reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '../support/replication-helpers';

const codes = (text: string) => check(text).map((d) => `${d.range.start.line + 1}:${d.code}`);

test('a url clean without insteadOf is still checked once an insteadOf rule rewrites it', () => {
  const url = 'ssh://gerrit@mirror.example.com/srv/${name}.git';
  assert.deepEqual(codes(`[remote "a"]\n  url = ${url}\n  push = +refs/heads/*:refs/heads/*\n`), []);
  // Same url again, now rewritten to something without ${name}.
  const rewritten = codes(`[url "ssh://other/fixed.git"]\n  insteadOf = ${url}\n[remote "a"]\n  url = ${url}\n`);
  assert.deepEqual(rewritten, ['4:missing-name']);
});

test('a url without ${name} is judged per remote: allowed for one exact project, not otherwise', () => {
  const url = 'ssh://gerrit@mirror.example.com/srv/only.git';
  assert.deepEqual(codes(`[remote "a"]\n  url = ${url}\n  projects = only\n`), []);
  assert.deepEqual(codes(`[remote "b"]\n  url = ${url}\n`), ['2:missing-name']);
});

test('repeated values: every bad occurrence is reported, clean ones stay clean', () => {
  const remotes = [];
  for (let i = 0; i < 3; i++) {
    remotes.push(`[remote "m${i}"]\n  url = ssh://h/\${name}.git\n  push = refs/heads/*\n  threads = ${i === 1 ? '2x' : '4'}\n  projects = ^(a/.*\n  mirror = true`);
  }
  const got = codes(remotes.join('\n') + '\n');
  // Each remote is 6 lines; the refspec and the pattern are wrong in all three, threads in m1.
  assert.deepEqual(got, ['3:invalid-refspec', '5:invalid-project-pattern', '9:invalid-refspec', '10:invalid-int', '11:invalid-project-pattern', '15:invalid-refspec', '17:invalid-project-pattern']);
});

test('an enum value clean for one key is still checked for another key', () => {
  assert.deepEqual(codes(`[remote "a"]\n  url = ssh://h/\${name}.git\n  mirror = true\n  remoteNameStyle = true\n`), ['4:invalid-enum']);
});
