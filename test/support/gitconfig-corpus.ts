// The corpus of git-config cases that once made our parser disagree with git (minimised),
// plus hand-picked tricky ones. Each case is NAME.config with git's verdict in NAME.expected.json.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './helpers';
import type { Verdict } from './gitconfig-oracle';

export const CORPUS = join(FIXTURES, 'gitconfig-corpus');

export interface CorpusCase {
  name: string;
  text: string;
  expected: Verdict;
}

export function readCorpus(): CorpusCase[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith('.config'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.config'.length);
      const exp = JSON.parse(readFileSync(join(CORPUS, `${name}.expected.json`), 'utf8')) as { git: 'accepts' | 'rejects'; list?: Verdict };
      return { name, text: readFileSync(join(CORPUS, f), 'utf8'), expected: exp.git === 'accepts' ? exp.list ?? [] : null };
    });
}

/** Save a case under a name derived from its content; returns the name. */
export function recordCase(text: string, verdict: Verdict, hint = 'fuzz'): string {
  const name = `${hint}-${createHash('sha1').update(text).digest('hex').slice(0, 10)}`;
  if (!existsSync(join(CORPUS, `${name}.config`))) {
    writeFileSync(join(CORPUS, `${name}.config`), text);
    const body = verdict === null ? { git: 'rejects' } : { git: 'accepts', list: verdict };
    writeFileSync(join(CORPUS, `${name}.expected.json`), JSON.stringify(body, null, 1) + '\n');
  }
  return name;
}
