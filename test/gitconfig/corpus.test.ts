// Replays the corpus of git-config cases (every once-failing fuzz case, minimised, plus
// hand-picked ones) against real git and against the recorded verdict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCorpus } from '../support/gitconfig-corpus';
import { disagreement, gitVerdicts } from '../support/gitconfig-oracle';
import { scratch } from '../support/helpers';

test('the git-config corpus: git still says what was recorded, and we agree with git', async (t) => {
  const cases = readCorpus();
  assert.ok(cases.length >= 10, `corpus too small: ${cases.length}`);
  const s = scratch('gr-corpus-');
  try {
    const verdicts = await gitVerdicts(s.dir, cases.map((c) => c.text));
    const accepted = verdicts.filter((v) => v !== null).length;
    t.diagnostic(`corpus: ${cases.length} cases, git accepted ${accepted}, rejected ${cases.length - accepted}`);
    for (let i = 0; i < cases.length; i++) {
      assert.deepEqual(verdicts[i], cases[i].expected, `${cases[i].name}: git's verdict changed from the recorded one`);
      assert.equal(disagreement(cases[i].text, verdicts[i]), null, cases[i].name);
    }
  } finally {
    s.cleanup();
  }
});
