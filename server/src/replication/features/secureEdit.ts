// Setting remote.NAME.KEY in secure.config text: into the existing `[remote "NAME"]` block
// when there is one (replacing the value in effect, never adding a second copy of a key),
// else as a new block at the end. Offsets only; the caller turns them into ranges.
import { parseGitConfig, Section } from '../../gitconfig/parser';
import { configSubsection, configValue } from '../../gitconfig/write';

export interface TextChange {
  start: number;
  end: number;
  newText: string;
}

export interface SecureChanges {
  changes: TextChange[];
  /** Keys that already had a different value (the fix replaces it). */
  replaced: string[];
}

/**
 * The changes that make `remote.NAME.KEY` read as each given value. `text` undefined means
 * the file does not exist yet (the result is its whole content). Undefined when a value
 * or the name cannot be written, or the result would not read back as asked.
 */
export function setRemoteKeys(text: string | undefined, name: string, keys: Array<[string, string]>): SecureChanges | undefined {
  const sub = configSubsection(name);
  if (sub === undefined) return undefined;
  const lines: Array<[string, string]> = [];
  for (const [k, v] of keys) {
    const q = configValue(v);
    if (q === undefined) return undefined;
    lines.push([k, q]);
  }
  const src = text ?? '';
  const eol = src.includes('\r\n') ? '\r\n' : '\n';
  const parsed = parseGitConfig(src);
  const blocks = parsed.sections.filter((s) => s.name === 'remote' && s.subsection === name && !s.legacy && !s.broken);
  const changes: TextChange[] = [];
  const replaced: string[] = [];
  const missing: Array<[string, string]> = [];
  for (const [key, quoted] of lines) {
    const value = keys.find(([k]) => k === key)![1];
    const existing = blocks.flatMap((b) => b.entries.filter((e) => e.key === key));
    const last = existing[existing.length - 1];
    if (!last) missing.push([key, quoted]);
    else if (last.value !== value) {
      replaced.push(key);
      // Replace the whole `key = value` (a bare `key` has no value span) so the comment after it stays.
      changes.push({ start: last.keySpan.start, end: last.valueSpan?.end ?? last.keySpan.end, newText: `${last.rawKey} = ${quoted}` });
    }
  }
  if (missing.length > 0) {
    const block = blocks[blocks.length - 1];
    if (block) changes.push(appendToBlock(src, block, missing, eol));
    else {
      // A blank line before the new block, as Gerrit's init writes them.
      const lead = src === '' ? '' : src.endsWith('\n') ? eol : eol + eol;
      changes.push({ start: src.length, end: src.length, newText: `${lead}[remote "${sub}"]${eol}${missing.map(([k, q]) => `\t${k} = ${q}${eol}`).join('')}` });
    }
  }
  // Read the result back with the same parser the checks use: what we write must mean what we say.
  const after = applyChanges(src, changes);
  const check = parseGitConfig(after);
  if (check.errors.length > parsed.errors.length) return undefined;
  for (const [key, value] of keys) {
    const got = check.sections.filter((s) => s.name === 'remote' && s.subsection === name && !s.legacy && !s.broken).flatMap((s) => s.entries.filter((e) => e.key === key));
    if (got[got.length - 1]?.value !== value) return undefined;
  }
  return { changes, replaced };
}

/** New lines after the block's last line, indented like its entries. */
function appendToBlock(src: string, block: Section, keys: Array<[string, string]>, eol: string): TextChange {
  const lastEnd = block.entries.length > 0 ? block.entries[block.entries.length - 1].span.end : block.header.end;
  const nl = src.indexOf('\n', lastEnd);
  const at = nl < 0 ? src.length : nl > 0 && src[nl - 1] === '\r' ? nl - 1 : nl;
  let indent = '\t';
  if (block.entries.length > 0) {
    const k = block.entries[block.entries.length - 1].keySpan.start;
    const lineStart = src.lastIndexOf('\n', k - 1) + 1;
    const ws = src.slice(lineStart, k);
    if (/^[ \t]*$/.test(ws)) indent = ws;
  }
  return { start: at, end: at, newText: keys.map(([k, q]) => `${eol}${indent}${k} = ${q}`).join('') };
}

export function applyChanges(src: string, changes: TextChange[]): string {
  let out = src;
  for (const c of [...changes].sort((a, b) => b.start - a.start)) out = out.slice(0, c.start) + c.newText + out.slice(c.end);
  return out;
}
