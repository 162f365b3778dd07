// Quick fixes for a `[remote "x"]` block written again (duplicate-remote): merge it into the
// block of the same name before it, which JGit reads the same way, or rename it to a remote of
// its own (with a placeholder name the client then offers to rename). Neither is preferred:
// which one was meant is the user's call, so "Fix all" applies neither.
import type { Section } from '../../gitconfig/parser';
import { firstEntryOnHeaderLine } from '../../gitconfig/jgitRead';
import type { CheckContext, Fix } from '../context';

/** Offset just past the end of the line holding `offset` (its newline included). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

/**
 * `dup` moved to the end of `prev` (the previous block of the same remote): its header line
 * goes, its lines up to its last entry follow prev's last entry. The remote's entries keep
 * their order, so every value JGit reads stays the same. None when something could change
 * that: an [include] between the two (it may splice the same remote in between), or a key on
 * a header line (JGit ignores it; moved to a line of its own it would count).
 */
function mergeFix(c: CheckContext, prev: Section, dup: Section, between: Section[]): Fix | undefined {
  const text = c.parsed.text;
  if (between.some((s) => s.name === 'include' || s.name === 'includeif')) return undefined;
  if (firstEntryOnHeaderLine(c.parsed, prev) || firstEntryOnHeaderLine(c.parsed, dup)) return undefined;
  // Anything but a comment after a header on its line is a key JGit ignores.
  const afterHeader = (s: Section) => text.slice(s.header.end, lineEnd(text, s.header.end)).trim();
  if ([prev, dup].some((s) => afterHeader(s) !== '' && !/^[#;]/.test(afterHeader(s)))) return undefined;
  const lastOf = (s: Section) => (s.entries.length ? s.entries[s.entries.length - 1].span.end : s.header.end);
  const insertAt = lineEnd(text, lastOf(prev));
  const dupStart = lineStart(text, dup.header.start);
  const dupEnd = lineEnd(text, lastOf(dup));
  let body = text.slice(lineEnd(text, dup.header.end), dupEnd);
  // The last line of a file may have no newline; moved up, it needs one.
  if (body !== '' && !body.endsWith('\n')) body += '\n';
  // One edit from the insertion point to the end of the moved lines: no two edits touch.
  const moved = body + text.slice(insertAt, dupStart);
  return {
    title: `Merge into the [remote "${dup.subsection}"] block above`,
    edits: [{ range: c.range({ start: insertAt, end: dupEnd }), newText: moved }],
  };
}

/** A name no `[remote]` block of the file has: `x-2`, `x-3`, … */
function freshName(c: CheckContext, name: string): string {
  const taken = new Set(c.parsed.sections.filter((s) => s.name === 'remote').map((s) => s.subsection));
  let n = 2;
  while (taken.has(`${name}-${n}`)) n++;
  return `${name}-${n}`;
}

/** The block renamed to a remote of its own; the client may then prompt for the real name. */
function renameFix(c: CheckContext, dup: Section): Fix | undefined {
  const name = dup.subsection!;
  // The header is rewritten unquoted-safe only for names without " or \ (see renameRemote).
  if (!dup.subsectionSpan || /["\\]/.test(name) || c.kind !== 'replication') return undefined;
  const fresh = freshName(c, name);
  const range = c.range({ start: dup.subsectionSpan.start, end: dup.subsectionSpan.end });
  return {
    title: `Rename this block to a remote of its own ("${fresh}")`,
    edits: [{ range, newText: fresh }],
    rename: { start: range.start, end: { line: range.start.line, character: range.start.character + fresh.length } },
  };
}

/** The fixes for `dup`, the second (or later) block of a remote whose previous block is `prev`. */
export function duplicateRemoteFixes(c: CheckContext, prev: Section, dup: Section): Fix[] {
  const sections = c.parsed.sections;
  const between = sections.slice(sections.indexOf(prev) + 1, sections.indexOf(dup));
  return [mergeFix(c, prev, dup, between), renameFix(c, dup)].filter((f): f is Fix => f !== undefined);
}
