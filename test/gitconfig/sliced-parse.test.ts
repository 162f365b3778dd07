// The sliced parse (parseGitConfigInSlices, issue 10 item 3) is the same parse as
// parseGitConfig, wherever its slices end: over the generated configs and the corpus, each
// parsed in slices of random sizes (1 character up to the whole text), sections, entries and
// errors come out identical.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGitConfig, parseGitConfigInSlices, type ParsedConfig } from '../../server/src/gitconfig/parser';
import { generateConfigs, prng } from '../support/gitconfig-generator';
import { readCorpus } from '../support/gitconfig-corpus';

function shape(d: ParsedConfig) {
  return {
    sections: d.sections.map((s) => [s.name, s.subsection, s.header, s.broken, s.legacy, s.entries.length]),
    entries: d.entries.map((e) => [e.section?.header.start ?? null, e.key, e.rawKey, e.value, e.span, e.keySpan, e.valueSpan]),
    errors: d.errors.map((e) => [e.span, e.message, e.code]),
  };
}

test('a parse in slices of any size equals the parse in one piece', () => {
  const rnd = prng(0x51ce);
  const texts = [...generateConfigs(0x51ce, 300), ...readCorpus().map((c) => c.text), '', '\uFEFF[a]\nb=1', '[a]\r\nb = "x\\\r\ny"\r\n', '[a]\nb=1\\'];
  let slices = 0;
  for (const text of texts) {
    const whole = shape(parseGitConfig(text));
    for (const max of [1, 3, 17, 1 + Math.floor(rnd() * 200), text.length + 1]) {
      const p = parseGitConfigInSlices(text);
      let done: ParsedConfig | undefined;
      for (let n = 0; !done; n++) {
        assert.ok(n <= text.length + 2, 'the parse ends');
        done = p.step(1 + Math.floor(rnd() * max));
        slices++;
      }
      assert.deepEqual(shape(done), whole, `slices of up to ${max} characters: ${JSON.stringify(text).slice(0, 200)}`);
      assert.equal(p.step(10), done, 'a finished parse answers itself');
    }
  }
  assert.ok(slices > texts.length * 5);
});
