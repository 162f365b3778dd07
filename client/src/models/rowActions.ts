// The pure parts of the Remotes view's row commands: the selection a row stands for, the line of
// a url in the config, and how a connection test reads. No vscode import.
import type { ConnectionTest } from '../../../server/src/protocol';
import { displayUrl } from './args';
import { scrub } from './healthModel';
import type { RowData } from './remotesModel';
import { urlPatternOf } from './urlPattern';

/** A remote row: the remote; a URL row: that URL of it (Gerrit's --url substring). */
export function rowSelection(d: RowData): { remotes: string[]; urlPattern?: string } {
  return d.url ? { remotes: [d.remote], urlPattern: urlPatternOf(d.url) } : { remotes: [d.remote] };
}

/**
 * The 1-based line of the `url` key whose value shows as `template`, in the block that starts at
 * headerLine (up to the next section header); undefined when the block has none.
 */
export function urlLine(lines: string[], headerLine: number, template: string): number | undefined {
  for (let i = headerLine; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*\[/.test(l)) break;
    const m = /^\s*url\s*=\s*(.*?)\s*$/i.exec(l);
    if (!m) continue;
    const v = m[1].replace(/^"(.*)"$/, '$1').replace(/\s+[#;].*$/, '');
    if (displayUrl(v) === template || v === template) return i + 1;
  }
  return undefined;
}

/** One line per tested URL: it answered with N refs, the repository is missing, or git's error. */
export function connectionText(r: ConnectionTest): string {
  const where = `${r.remote} → ${displayUrl(r.url ?? r.template)}`;
  if (r.ok) return `${where}: connected, ${r.refs ?? 0} ref${r.refs === 1 ? '' : 's'} listed (${r.durationMs} ms, git ls-remote${r.project ? ` for ${r.project}` : ''})`;
  const err = scrub((r.error ?? 'failed').replace(/\s*\n\s*/g, ' ').trim());
  if (r.missing) return `${where}: the host answered, but the repository does not exist: ${err}`;
  return `${where}: connection failed: ${err}`;
}
