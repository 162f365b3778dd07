// The fan-out rules (FanoutConfigResource): each etc/replication/NAME.config holds exactly one
// line with `[remote]` and none with `[remote "`; the check is on the text of the lines, as
// the plugin does it (fanoutRule.ts, which the engine's site reading asks too). When the
// directory exists, remotes in replication.config are dropped.
import type { CheckContext } from '../context';
import { headerText } from './checkSections';
import { fanoutFiles } from '../siteLayout';
import { scanFanoutText } from '../fanoutRule';

export function checkFanoutFile(c: CheckContext): void {
  const text = c.parsed.text;
  const name = c.site.fanoutRemote ?? '';
  const scan = scanFanoutText(text);
  const bareAt = scan.bareAt;
  const bare = bareAt.length;
  for (const at of scan.subsections) {
    c.report('fanout-subsection', at, `Remote replication configuration file ${name}.config cannot contain remote subsections: the plugin skips the whole file. Write [remote]; the remote's name comes from the file name ('${name}').`, {
      fixes: [{ title: 'Write [remote]', edits: [{ range: c.range(at), newText: '[remote]' }], preferred: true }],
    });
  }
  if (bare !== 1 && scan.subsections.length === 0) {
    const extra = bare === 0 && c.parsed.sections.some((s) => s.name === 'remote' && s.subsection === null)
      ? ' The plugin looks for the exact text [remote] (lower case, no spaces).'
      : scan.bareInComment
        ? ' The check is on the text of each line, so a [remote] in a comment counts too.'
        : '';
    const span = bare > 1 ? { start: bareAt[1], end: bareAt[1] + 8 } : { start: 0, end: Math.min(text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'), text.length) };
    c.report(
      'fanout-remote-count',
      span,
      `Remote replication configuration file ${name}.config must contain only one remote section (found ${bare} lines with [remote]): the plugin skips the whole file, so remote '${name}' does not exist.${extra}`,
      bare > 1 ? { related: [{ span: { start: bareAt[0], end: bareAt[0] + 8 }, message: 'the first [remote]' }] } : undefined,
    );
  }
  for (const s of c.parsed.sections) {
    // [include]/[includeIf] have their own diagnostics (checkIncludes).
    if (s.broken || s.name === 'remote' || s.name === 'include' || s.name === 'includeif') continue;
    c.report('fanout-other-section', s.header, `${headerText(s)} in a fan-out file is merged into replication.config and applies to the whole plugin, not only to remote '${name}'.`);
  }
}

/** In replication.config: remotes are dropped when etc/replication/ exists. */
export function checkRemotesIgnoredByFanout(c: CheckContext): void {
  if (!c.remotesIgnored) return;
  const named = c.parsed.sections.filter((s) => s.name === 'remote' && s.subsection !== null && !s.legacy && !s.broken);
  if (named.length === 0) return;
  const names = [...new Set(named.map((s) => s.subsection!))];
  // The plugin's log line lists every name; a few and a count keep each message short, since
  // every ignored remote gets one (10,000 full lists would be a gigabyte of text).
  const listed = names.length <= 5 ? names.join(',') : `${names.slice(0, 5).join(',')},… (${names.length.toLocaleString('en-US')} remotes)`;
  const files = fanoutFiles(c.site.fanoutDir, c.ws);
  for (const s of named) {
    c.report(
      'fanout-remote-ignored',
      s.header,
      `etc/replication/ exists, so the plugin ignores this remote: "When replication directory is present replication.config file cannot contain remote configuration. Ignoring: ${listed}". Move it to etc/replication/${s.subsection}.config as [remote].`,
      { related: [{ path: files[0] ?? c.site.fanoutDir, message: `the fan-out directory${files.length ? ` (${files.length} file${files.length > 1 ? 's' : ''})` : ''}` }] },
    );
  }
}
