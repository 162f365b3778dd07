// ParsedConfig.plainForJGit (server/src/gitconfig/parser.ts): the parser's own note that it met
// nothing JGit may read differently from git, which lets jgitRead skip its scan of the whole text.
// It must never say true for a text the scan (jgitRead's `suspicious`) flags; and it should say
// true for plain files, or it saves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGitConfig, parseGitConfigInSlices } from '../../server/src/gitconfig/parser';
import { suspicious } from '../../server/src/gitconfig/jgitRead';
import { readCorpus } from '../support/gitconfig-corpus';

function check(text: string, what: string): boolean | undefined {
  const flag = parseGitConfig(text).plainForJGit;
  const sliced = parseGitConfigInSlices(text);
  let done;
  while (!(done = sliced.step(7)));
  assert.equal(done.plainForJGit, flag, `sliced parse: ${what}`);
  if (flag === true) assert.equal(suspicious(text), false, `plainForJGit says true, but the text reads otherwise in JGit: ${what}`);
  return flag;
}

const PLAIN = '[gerrit]\n  autoReload = true\n[remote "m-1"]\n  url = ssh://h/${name}.git\n  push = +refs/*:refs/*\n  threads = 3 ; three\n# done\n';

test('each character JGit may read otherwise, anywhere in a plain file, turns the note off', () => {
  assert.equal(check(PLAIN, 'the plain file'), true);
  const odd = ['\t', '"', '\\', '\r', '\r\n', '\x00', '\x01', '\x0b', '\x0c', '\x1f', '\x7f', 'é', '\u2028', '\ufeff', '\\\n'];
  let flagged = 0;
  for (const c of odd) {
    for (let at = 0; at <= PLAIN.length; at++) {
      const text = PLAIN.slice(0, at) + c + PLAIN.slice(at);
      const what = `${JSON.stringify(c)} at ${at}: ${JSON.stringify(text)}`;
      const flag = check(text, what);
      if (suspicious(text)) {
        flagged++;
        assert.notEqual(flag, true, what);
      }
    }
  }
  assert.ok(flagged > 500, `only ${flagged} of the texts were flagged by the scan: the test lost its teeth`);
});

test('random files: the note is true only where the scan finds nothing, and true for most plain ones', () => {
  let a = 7;
  const rnd = () => {
    a = (Math.imul(a ^ (a >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    return a / 4294967296;
  };
  const plain = ['[remote "a"]\n', '[gerrit]\n', '  url = x/${name}\n', 'key = v\n', '  k=1\n', '# c\n', '; c\n', '\n', '  ', 'x = y # z\n', '[a "b"] ; c\n', '[s.t]\n', 'k\n'];
  const odd = ['\t', '"', '\\', '\r', '\x01', '\x7f', 'é', '\ufeff', '=', '[', ']', '#'];
  let plainTrue = 0;
  let plainTexts = 0;
  for (let n = 0; n < 4000; n++) {
    let text = '';
    const pieces = 2 + Math.floor(rnd() * 10);
    const withOdd = rnd() < 0.7;
    for (let k = 0; k < pieces; k++) text += withOdd && rnd() < 0.3 ? odd[Math.floor(rnd() * odd.length)] : plain[Math.floor(rnd() * plain.length)];
    const flag = check(text, JSON.stringify(text));
    if (!withOdd && !suspicious(text) && parseGitConfig(text).errors.length === 0) {
      plainTexts++;
      if (flag === true) plainTrue++;
    }
  }
  assert.ok(plainTexts > 500, `${plainTexts} plain texts`);
  assert.ok(plainTrue / plainTexts > 0.9, `the note was true for ${plainTrue} of ${plainTexts} plain texts`);
});

test('the git-config corpus: the note never contradicts the scan', () => {
  for (const c of readCorpus()) check(c.text, c.name);
});
