// Differential test: thousands of generated configs, each parsed by us and by real git.
// GITCONFIG_FUZZ_SEED picks another seed; GITCONFIG_FUZZ_COUNT another size;
// GITCONFIG_CORPUS_RECORD=1 saves each minimised failure into the corpus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateConfigs } from '../support/gitconfig-generator';
import { writeFileSync } from 'node:fs';
import { disagreement, errorLineAgrees, gitVerdicts, gitVerdictSync, minimise } from '../support/gitconfig-oracle';
import { recordCase } from '../support/gitconfig-corpus';
import { scratch } from '../support/helpers';

const SEED = Number(process.env.GITCONFIG_FUZZ_SEED ?? 20261122);
const COUNT = Number(process.env.GITCONFIG_FUZZ_COUNT ?? 2500);

test(`parseGitConfig agrees with git config --list on ${COUNT} generated files (seed ${SEED})`, async (t) => {
  const s = scratch('gr-fuzz-');
  try {
    const texts = generateConfigs(SEED, COUNT);
    const lines: Array<number | undefined> = [];
    const verdicts = await gitVerdicts(s.dir, texts, 4, lines);
    const accepted = verdicts.filter((v) => v !== null).length;
    const entries = verdicts.reduce((n, v) => n + (v ? v.length : 0), 0);
    t.diagnostic(`git accepted ${accepted}, rejected ${COUNT - accepted} of ${COUNT} files (${entries} entries compared)`);
    // Both outcomes must be well represented, or the test proves little.
    assert.ok(accepted >= COUNT * 0.3 && COUNT - accepted >= COUNT * 0.2, `unbalanced mix: ${accepted} accepted`);

    const failures: string[] = [];
    for (let i = 0; i < texts.length && failures.length < 5; i++) {
      const why = disagreement(texts[i], verdicts[i]);
      if (why === null) continue;
      const small = minimise(texts[i], join(s.dir, 'shrink.config'));
      const f = join(s.dir, 'small.config');
      writeFileSync(f, small);
      const smallVerdict = gitVerdictSync(f);
      const again = disagreement(small, smallVerdict);
      if (process.env.GITCONFIG_CORPUS_RECORD === '1') recordCase(small, smallVerdict);
      failures.push(`case ${i}: ${why}\n  minimised: ${JSON.stringify(small)}\n  ${again}`);
    }
    assert.deepEqual(failures, [], failures.join('\n'));

    // Where git rejects, our first error is on the line git names.
    const wrongLines: string[] = [];
    for (let i = 0; i < texts.length; i++) {
      if (verdicts[i] !== null) continue;
      const why = errorLineAgrees(texts[i], lines[i]);
      if (why) wrongLines.push(`case ${i}: ${why}\n  ${JSON.stringify(texts[i])}`);
    }
    assert.deepEqual(wrongLines.slice(0, 5), [], `${wrongLines.length} files`);
  } finally {
    s.cleanup();
  }
});
