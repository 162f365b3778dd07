import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGitConfig, toGitList, subsectionsOf, lastValue } from '../../server/src/gitconfig/parser';
import { scratch } from '../support/helpers';

/** What real git says: the (name, value) list, or null when git rejects the file. */
function gitList(text: string): Array<[string, string | null]> | null {
  const s = scratch();
  try {
    const f = join(s.dir, 'c');
    writeFileSync(f, text);
    const out = execFileSync('git', ['config', '--file', f, '--list', '--null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out
      .split('\0')
      .filter((x, i, a) => i < a.length - 1 || x !== '')
      .map((rec) => {
        const nl = rec.indexOf('\n');
        return nl < 0 ? [rec, null] : [rec.slice(0, nl), rec.slice(nl + 1)];
      });
  } catch {
    return null;
  } finally {
    s.cleanup();
  }
}

const CASES = [
  '[remote "a"]\n\turl = ssh://h/${name}.git\n\turl = file:///x/${name}\n',
  '[Remote "A"]\n  URL=x\n[remote.legacy]\n  key\n',
  '[a] b = c\n',
  '[a]\nb = "quoted ; not comment" ; comment\nc = x  y \t z # c\n',
  '[a]\nb = one\\\n  two\n',
  '[a]\nb = "esc \\" \\\\ \\n \\t \\b"\n',
  '[a "sub\\"q\\\\x"]\nk = v\n',
  '[a]\r\nb = c\r\n',
  '\ufeff[a]\nb=c',
  'k = top\n[s]\n',
  '[a]\nb ; c\n',
  '[a]\nb = "unterminated\n',
  '[a "b" ]\n',
  '[a]\n2b = 1\n',
  '[a]\nb = \\q\n',
  '[]\n',
  '[a\n',
];

test('parse equals git config --list on hand-picked cases, and errors where git rejects', () => {
  for (const text of CASES) {
    const parsed = parseGitConfig(text);
    const git = gitList(text);
    if (git === null) assert.ok(parsed.errors.length > 0, `git rejects but we accept: ${JSON.stringify(text)}`);
    else {
      assert.deepEqual(parsed.errors, [], `git accepts but we report errors: ${JSON.stringify(text)}`);
      assert.deepEqual(toGitList(parsed), git, JSON.stringify(text));
    }
  }
});

test('one error does not hide the rest', () => {
  const doc = parseGitConfig('[a]\nb = \\q\n[c "d"\nx = 1\n[e]\n2f = 1\ng = ok\n');
  assert.equal(doc.errors.length, 3);
  assert.deepEqual(doc.entries.map((e) => e.fullName).slice(-1), ['e.g']);
});

test('spans point at keys and values; queries follow git semantics', () => {
  const text = '[remote "m"]\n  replicationDelay = 15s\n  url = a\n  url = b\n[remote "m"]\n  replicationDelay = 3\n';
  const doc = parseGitConfig(text);
  const e = doc.entries[0];
  assert.equal(text.slice(e.keySpan.start, e.keySpan.end), 'replicationDelay');
  assert.equal(text.slice(e.valueSpan!.start, e.valueSpan!.end), '15s');
  assert.equal(e.key, 'replicationdelay');
  assert.deepEqual(subsectionsOf(doc, 'remote'), ['m']);
  assert.equal(lastValue(doc, 'remote', 'm', 'REPLICATIONDELAY')?.value, '3');
});
