// The documentation as the generator sees it: README.md and docs/*.md, by repository path.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers';
import type { DocSet } from '../../server/src/docs/generatedDocs';

export function readDocs(): DocSet {
  const docs: DocSet = { 'README.md': readFileSync(join(ROOT, 'README.md'), 'utf8') };
  for (const n of readdirSync(join(ROOT, 'docs')).filter((n) => n.endsWith('.md')).sort()) docs[`docs/${n}`] = readFileSync(join(ROOT, 'docs', n), 'utf8');
  return docs;
}

/** The set with the first occurrence of `from` (in whichever file) replaced; throws when none has it. */
export function editDocs(docs: DocSet, from: string | RegExp, to: string): DocSet {
  const f = Object.keys(docs).sort().find((k) => (typeof from === 'string' ? docs[k].includes(from) : from.test(docs[k])));
  if (!f) throw new Error(`no documentation file holds ${from}`);
  return { ...docs, [f]: docs[f].replace(from, to) };
}

/** Every file's text, for searches that do not care which file holds what. */
export function allDocs(docs: DocSet): string {
  return Object.keys(docs).sort().map((k) => docs[k]).join('\n');
}
