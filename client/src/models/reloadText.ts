// The reload preview in the editor: where the code lenses go (each `[remote "…"]` header of a
// replication.config or fan-out file) and the preview as text, the CLI's own formatting
// (`plan --against`) with the remote the lens was clicked on first. Pure: no vscode.
import type { ReloadPreview } from '../../../server/src/protocol';
import { formatReloadPreview } from '../../../server/src/cli/reloadPreview';

/** 0-based lines of the `[remote "NAME"]` headers, with the name (git's quoting undone). */
export function remoteHeaders(text: string): Array<{ line: number; remote: string }> {
  const out: Array<{ line: number; remote: string }> = [];
  text.split(/\r?\n/).forEach((l, line) => {
    const m = /^\s*\[\s*remote\s+"((?:[^"\\\n]|\\.)*)"\s*\]/i.exec(l);
    if (m) out.push({ line, remote: m[1].replace(/\\(.)/g, '$1') });
  });
  return out;
}

/** The preview's lines; with `remote`, that remote's diff goes first (it is what was asked). */
export function reloadPreviewText(p: ReloadPreview, remote?: string): string {
  const first = remote ? [...p.remotes].sort((a, b) => Number(b.remote === remote) - Number(a.remote === remote)) : p.remotes;
  const lines = formatReloadPreview({ ...p, remotes: first }, '');
  if (remote && !p.remotes.some((r) => r.remote === remote) && !p.unchanged) lines.splice(1, 0, `remote ${remote}: unchanged`);
  return lines.join('\n') + '\n';
}
