// git-config syntax, as git and JGit see it. The parser is git's; jgitRead says where JGit
// (and so the plugin) throws. Each message says which of the two rejects the line, and quotes
// JGit's own text where it throws. Two cases where they disagree get their own code.
import { findKey, findSection, REPLICATION_CATALOG } from '../../catalog/keyCatalog';
import { jgitReadOf } from '../../gitconfig/jgitRead';
import type { Span } from '../../gitconfig/parser';
import type { CheckContext, Fix } from '../context';

const DIGIT_KEY = 'a key name must start with a letter';
const BARE_COMMENT = 'a comment right after a key without "="';

export function checkSyntax(c: CheckContext): void {
  const text = c.parsed.text;
  const jgit = jgitReadOf(c.parsed).error;
  const lineStart = (at: number) => text.lastIndexOf('\n', at - 1) + 1;
  // JGit stops at the end of file after a final newline: its error is on the last line.
  const jgitLine = jgit ? lineStart(jgit.offset >= text.length && text.endsWith('\n') ? text.length - 1 : jgit.offset) : -1;
  let jgitReported = false;
  for (const err of c.parsed.errors) {
    // Keep the range on the line where the error starts.
    const nl = text.indexOf('\n', err.span.start);
    const e = { ...err, span: { start: err.span.start, end: nl >= 0 && nl < err.span.end ? Math.max(nl, err.span.start) : err.span.end } };
    const line = c.doc.getText(c.range(e.span)).split('\n')[0];
    const jgitHere = jgit !== undefined && lineStart(e.span.start) === jgitLine;
    if (jgitHere) {
      jgitReported = true;
      c.report('syntax', e.span, `${sentence(e.message)}. JGit fails on this line too ("${jgit.message}"), so the plugin does not load.`);
    } else if (e.message.includes(DIGIT_KEY)) {
      const key = /^\s*([0-9A-Za-z-]+)/.exec(line)?.[1] ?? line.trim();
      c.report(
        'key-starts-with-digit',
        e.span,
        `'${key}': git rejects a key that starts with a digit (git config fails on this file); JGit accepts the line and ignores it as an unknown key, so the plugin never reads it.`,
      );
    } else if (e.message.includes(BARE_COMMENT)) {
      bareKeyComment(c, e.span);
    } else if (jgit) {
      const n = c.doc.positionAt(jgitLine).line + 1;
      c.report('syntax', e.span, `${sentence(e.message)}: git rejects this line (git config fails on the file); JGit reads it, but fails on line ${n} ("${jgit.message}"), so the plugin does not load.`);
    } else {
      c.report('syntax', e.span, `${sentence(e.message)}: git rejects this line (git config fails on the file), but JGit reads it: the plugin loads the file. Fix it so both agree.`);
    }
  }
  // Entries before the first header have no section.
  const firstInSection = c.parsed.sections.length ? c.parsed.firstEntryOf(c.parsed.sections[0]) : c.parsed.entryCount;
  for (let i = 0; i < firstInSection; i++) {
    const entry = c.parsed.entry(i);
    if (jgit && lineStart(entry.keySpan.start) === jgitLine) jgitReported = true;
    const message = c.kind === 'fanout'
      ? `'${entry.rawKey}' comes before [remote]: the plugin joins the fan-out files' text to replication.config, so this key lands in whatever section comes before it (or, first of all, JGit fails with "Invalid line in config file").`
      : `'${entry.rawKey}' comes before any [section]: JGit fails with "Invalid line in config file", so the plugin does not load.`;
    c.report('key-outside-section', entry.span, message);
  }
  if (jgit && !jgitReported) {
    // A line git reads and JGit does not: a `\` at end of file, a bare key before CRLF or at
    // end of file, a subsection left open.
    const nl = text.indexOf('\n', jgitLine);
    const end = nl < 0 ? text.length : nl > jgitLine && text[nl - 1] === '\r' ? nl - 1 : nl;
    c.report('syntax', { start: jgitLine, end: Math.max(end, jgitLine) }, `JGit fails here with "${jgit.message}", so the plugin does not load (git reads this line).${jgitHint(jgit.message)}`);
  }
  if (c.kind === 'replication' && c.parsed.sections.length === 0 && c.parsed.errors.length === 0) {
    c.report('empty-config', { start: 0, end: 0 }, `No sections: the plugin logs "Replication config does not exist or it's empty; not replicating" and replicates nothing.`);
  }
}

function jgitHint(message: string): string {
  if (message === 'End of file in escape') return ' A value ends with a backslash at the end of the file: remove it or end the file with a newline.';
  if (message.startsWith('Bad entry name')) return ' A key without "=" before a CRLF line ending: JGit reads the CR as part of the name. Write "key = true" or use LF line endings.';
  if (message === 'Unexpected end of config file') return ' The file ends in the middle of a key or header: end it with a newline (or "= value").';
  return '';
}

/**
 * `mirror # keep`: git rejects the line; JGit reads the key with no value, so getBoolean
 * returns the default. The preferred fix writes that default, which keeps what the plugin does.
 */
function bareKeyComment(c: CheckContext, span: Span): void {
  const text = c.parsed.text;
  const start = text.lastIndexOf('\n', span.start - 1) + 1;
  const m = /^([ \t]*)([A-Za-z][A-Za-z0-9-]*)/.exec(text.slice(start, span.end));
  let section = null;
  for (const s of c.parsed.sections) if (s.header.start < span.start) section = s;
  const spec = section && !section.broken ? findSection(REPLICATION_CATALOG, section.name, c.kind) : undefined;
  const key = m && spec ? findKey(spec, m[2]) : undefined;
  const fixes: Fix[] = [];
  if (m) {
    const at = start + m[1].length + m[2].length;
    const insert = (value: string) => [{ range: c.range({ start: at, end: at }), newText: ` = ${value}` }];
    if (key?.type === 'bool' && typeof key.default === 'boolean') {
      fixes.push({ title: `Write ${m[2]} = ${key.default} (the default the plugin uses now)`, edits: insert(String(key.default)), preferred: true });
      if (!key.default) fixes.push({ title: `Write ${m[2]} = true (changes what the plugin does)`, edits: insert('true') });
    } else {
      fixes.push({ title: `Write ${m[2]} = (no value, as JGit reads it now)`, edits: insert(''), preferred: true });
    }
  }
  const what = key?.type === 'bool' && typeof key.default === 'boolean' ? `the default (${key.default}) applies, not true` : 'the default applies';
  c.report(
    'bare-key-comment',
    span,
    `git rejects a key without '=' followed by a comment; JGit reads the key with no value, so ${what}. Write '${m?.[2] ?? 'key'} = value # comment' so both agree.`,
    { fixes },
  );
}

/** The parser's error ("unterminated section header") as the start of a sentence. */
function sentence(parserMessage: string): string {
  return parserMessage.charAt(0).toUpperCase() + parserMessage.slice(1);
}
