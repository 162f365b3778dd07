// Diagnostic messages read as sentences (issue 13, "Why" §7: "threads takes a plain integer
// (threads)", a lower-case sentence after a full stop). Every message the replication rules
// give over a few thousand generated configs is checked, with the text that came from the file
// itself blanked out first, so only our own wording is judged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver';
import { generateConfigs } from '../support/gitconfig-generator';
import { readCorpus } from '../support/gitconfig-corpus';
import { check, doc, FANOUT, REPL, SECURE } from '../support/replication-helpers';
import { REPLICATION_CATALOG } from '../../server/src/catalog/keyCatalog';

/** Key and section names may start a sentence: they are written as the file spells them. */
const NAMES = new Set<string>(REPLICATION_CATALOG.sections.flatMap((s) => [s.name, ...s.keys.map((k) => k.name)]));
/** Programs are named in lower case, as their commands are spelled. */
const PROGRAMS = new Set(['git', 'git-replication', 'gitolite']);
const mayStart = (w: string) => NAMES.has(w) || PROGRAMS.has(w);

/** The message with the file's own text on the diagnosed lines (values, names) blanked. */
function ownWords(text: string, path: string, d: Diagnostic): string {
  const lines = text.split(/\r\n|\r|\n/).slice(d.range.start.line, d.range.end.line + 1);
  const pieces = new Set<string>([doc(text, path).getText(d.range), ...lines]);
  for (const l of lines) for (const part of l.split(/=|\s+/)) if (part.length >= 2 && !NAMES.has(part)) pieces.add(part);
  let m = d.message;
  for (const p of [...pieces].filter((p) => p.trim().length > 0).sort((a, b) => b.length - a.length)) m = m.split(p).join(' X ');
  // Quoted and bracketed text is the file's or JGit's, not ours.
  return m.replace(/'[^']*'|"[^"]*"|`[^`]*`|\[[^\]]*\]/g, 'X');
}

function styleFaults(m: string): string[] {
  const faults: string[] = [];
  for (const s of m.matchAll(/\b[a-z]{2,}[.!?] +([a-z][\w$-]*)/g)) if (!mayStart(s[1])) faults.push(`a sentence starts in lower case ("${s[1]}")`);
  for (const s of m.matchAll(/\b(\w+)\b[^.;:]*\((\w+)\)/g)) if (s[1] === s[2]) faults.push(`"(${s[2]})" repeats the word it explains`);
  const first = /^[a-z][\w-]*/.exec(m.trim());
  if (first && !mayStart(first[0])) faults.push('the message starts in lower case');
  return faults;
}

test('diagnostic messages read as sentences: capitals after a full stop, no "(threads)" after threads', () => {
  const texts = [...generateConfigs(11, 1500), ...readCorpus().map((c) => c.text)];
  const faults = new Map<string, string>();
  let judged = 0;
  for (const t of texts) {
    for (const path of [REPL, SECURE, FANOUT('a')]) {
      for (const d of check(t, path)) {
        judged++;
        for (const f of styleFaults(ownWords(t, path, d))) if (!faults.has(`${d.code}: ${f}`)) faults.set(`${d.code}: ${f}`, d.message);
      }
    }
  }
  assert.ok(judged > 1000, `only ${judged} messages were judged`);
  assert.deepEqual([...faults].map(([k, v]) => `${k}\n    ${v}`), []);
});

test('the style check can fail', () => {
  assert.deepEqual(styleFaults('The plugin fails to load. threads takes a plain integer, with no units.'), []);
  assert.ok(styleFaults('threads takes a plain integer (threads), with no units.').some((f) => f.includes('repeats')));
  assert.ok(styleFaults('The plugin refuses to load the file. the remote has no projects filter.').some((f) => f.includes('lower case')));
  assert.deepEqual(styleFaults('The plugin refuses it. replicationDelay takes seconds.'), []);
});
