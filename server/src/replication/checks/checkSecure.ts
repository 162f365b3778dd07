// secure.config: credentials only for remotes that exist, and a file only its owner can read.
import { parseGitConfig } from '../../gitconfig/parser';
import type { CheckContext } from '../context';
import { fanoutFiles } from '../siteLayout';
import { isRemoteSection } from '../remoteModel';
import { includedRemotes } from './checkIncludes';
import { hasIncludeSections, resolveIncludes } from '../configIncludes';
import { basename } from 'node:path';

/** Remote names the plugin would load, from replication.config or from the fan-out files. */
export function definedRemotes(c: Pick<CheckContext, 'ws' | 'site'>): { names: Set<string>; from: string } | undefined {
  const text = c.ws.read(c.site.replicationConfig);
  const doc = text === undefined ? undefined : parseGitConfig(text);
  // Remotes that come from files replication.config includes (JGit follows them).
  const included = doc && hasIncludeSections(doc) ? includedRemotes(resolveIncludes(c.site.replicationConfig, doc, c.ws)) : undefined;
  if (c.ws.stat(c.site.fanoutDir)?.isDirectory === true) {
    const names = new Set(fanoutFiles(c.site.fanoutDir, c.ws).map((p) => basename(p).replace(/\.config$/, '')));
    // The fan-out directory drops replication.config's own remotes, not the included ones.
    for (const n of included?.keys() ?? []) names.add(n);
    return { names, from: c.site.fanoutDir };
  }
  if (!doc) return undefined;
  const names = new Set<string>();
  for (const s of doc.sections) if (isRemoteSection(s, 'replication')) names.add(s.subsection!);
  for (const n of included?.keys() ?? []) names.add(n);
  return { names, from: c.site.replicationConfig };
}

export function checkSecure(c: CheckContext): void {
  const st = c.ws.stat(c.path);
  if (st && (st.mode & 0o044) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(3, '0');
    const who = st.mode & 0o004 ? 'every user on the host' : 'the file\'s group';
    const firstLine = c.parsed.text.indexOf('\n');
    c.report('secure-readable', { start: 0, end: firstLine < 0 ? c.parsed.text.length : firstLine }, `secure.config has mode ${mode}: ${who} can read the replication passwords. Run chmod 600 on it (Gerrit's init creates it that way).`);
  }
  const defined = definedRemotes(c);
  if (!defined) return;
  const where = defined.from === c.site.fanoutDir ? 'etc/replication/' : 'replication.config';
  for (const s of c.parsed.sections) {
    if (s.name !== 'remote' || s.subsection === null || s.legacy || s.broken) continue;
    if (defined.names.has(s.subsection)) continue;
    const nameSpan = s.subsectionSpan ?? s.header;
    const guess = [...defined.names].find((n) => n.toLowerCase() === s.subsection!.toLowerCase());
    c.report(
      'secure-unknown-remote',
      nameSpan,
      `No remote '${s.subsection}' in ${where}: these credentials are never used.${guess ? ` Remote names are case-sensitive: did you mean '${guess}'?` : ''}`,
      {
        related: [{ path: defined.from, message: `the remotes are defined in ${where}` }],
        fixes: guess ? [{ title: `Change to '${guess}'`, edits: [{ range: c.range(nameSpan), newText: guess }], preferred: true }] : undefined,
      },
    );
  }
}
