// git-config syntax, as git and JGit see it. Two cases where they disagree get their own code.
import type { CheckContext } from './context';

const DIGIT_KEY = 'a key name must start with a letter';
const BARE_COMMENT = 'a comment right after a key without "="';

export function checkSyntax(c: CheckContext): void {
  for (const err of c.parsed.errors) {
    // Keep the range on the line where the error starts.
    const nl = c.parsed.text.indexOf('\n', err.span.start);
    const e = { ...err, span: { start: err.span.start, end: nl >= 0 && nl < err.span.end ? Math.max(nl, err.span.start) : err.span.end } };
    const line = c.doc.getText(c.range(e.span)).split('\n')[0];
    if (e.message.includes(DIGIT_KEY)) {
      const key = /^\s*([0-9A-Za-z-]+)/.exec(line)?.[1] ?? line.trim();
      c.report(
        'key-starts-with-digit',
        e.span,
        `'${key}': git rejects a key that starts with a digit (git config fails on this file); JGit accepts the line and ignores it as an unknown key, so the plugin never reads it.`,
      );
    } else if (e.message.includes(BARE_COMMENT)) {
      c.report(
        'bare-key-comment',
        e.span,
        `git rejects a key without '=' followed by a comment; JGit reads the key as true. Write 'key = true # comment' so both agree.`,
      );
    } else {
      c.report('syntax', e.span, `${e.message}. JGit cannot read the file either ("Config file … is invalid"), so the plugin does not load.`);
    }
  }
  // Only entries before the first header have no section.
  const firstInSection = c.parsed.sections.length ? c.parsed.firstEntryOf(c.parsed.sections[0]) : c.parsed.entryCount;
  for (let i = 0; i < firstInSection; i++) {
    const entry = c.parsed.entry(i);
    const message = c.kind === 'fanout'
      ? `'${entry.rawKey}' comes before [remote]: the plugin joins the fan-out files' text to replication.config, so this key lands in whatever section comes before it (or, first of all, JGit fails with "Invalid line in config file").`
      : `'${entry.rawKey}' comes before any [section]: JGit fails with "Invalid line in config file", so the plugin does not load.`;
    c.report('key-outside-section', entry.span, message);
  }
  if (c.kind === 'replication' && c.parsed.sections.length === 0 && c.parsed.errors.length === 0) {
    c.report('empty-config', { start: 0, end: 0 }, `No sections: the plugin logs "Replication config does not exist or it's empty; not replicating" and replicates nothing.`);
  }
}
