// Remotes tree model: each remote → its URLs (template and an expanded example), the settings
// that differ from the defaults and how many projects it matches. Errors and warnings from the
// config's diagnostics decorate the remote and link to the [remote] header.
import { isAbsolute, resolve } from 'node:path';
import type { RemoteSummary } from '../../../server/src/protocol';
import { displayUrl } from './args';
import type { TreeNode } from './treeNode';
import { gitoliteCopyNodes, isGitoliteRemotes } from './gitoliteModel';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** site: where relative config paths in the summaries are resolved (the engine reports them relative to the site). */
export function remoteNodes(remotes: RemoteSummary[], site?: string): TreeNode[] {
  if (isGitoliteRemotes(remotes)) return gitoliteCopyNodes(remotes, site);
  return remotes.map((r) => {
    const file = isAbsolute(r.file) || !site ? r.file : resolve(site, r.file);
    const id = `remote:${r.name}`;
    const urls: TreeNode[] = r.urls.map((u, i) => {
      const example = u.example ? displayUrl(u.example) : undefined;
      return {
        id: `${id}:url:${i}`,
        kind: 'url',
        label: displayUrl(u.template),
        description: example && example !== displayUrl(u.template) ? `→ ${example}` : undefined,
        tooltip: example ? `${displayUrl(u.template)}\nresolves to, e.g.: ${example}` : displayUrl(u.template),
        icon: 'link',
        contextValue: 'url',
        data: { remote: r.name, url: u.template },
      };
    });
    // The URLs are shown above; every other key that differs from its default is listed.
    // A multi-valued key (two push lines) is listed once per value: the index keeps ids unique.
    const settings: TreeNode[] = r.nonDefaults.filter((s) => s.key.toLowerCase() !== 'url').map((s, i) => ({
      id: `${id}:set:${i}:${s.key}`,
      kind: 'setting',
      label: s.key,
      description: s.value,
      tooltip: `${s.key} = ${s.value} (differs from the default)`,
      icon: 'settings-gear',
      contextValue: 'setting',
      open: { file, line: r.line },
    }));
    // Each [remote] block with its own problems; the remote opens at the first block with errors.
    const blocks = (r.blocks?.length ? r.blocks : [{ file: r.file, line: r.line, errors: r.errors, warnings: r.warnings }])
      .map((b) => ({ ...b, file: isAbsolute(b.file) || !site ? b.file : resolve(site, b.file) }));
    const worst = blocks.find((b) => b.errors) ?? blocks.find((b) => b.warnings) ?? blocks[0];
    const blockProblems = (b: { errors: number; warnings: number }) => [b.errors ? plural(b.errors, 'error') : '', b.warnings ? plural(b.warnings, 'warning') : ''].filter(Boolean).join(', ');
    const children: TreeNode[] = [...urls];
    if (blocks.length > 1) {
      children.push({
        id: `${id}:blocks`, kind: 'blocks', label: 'Defined in', description: `${blocks.length} blocks`, icon: 'symbol-namespace', expanded: true,
        children: blocks.map((b, i) => ({
          id: `${id}:block:${i}`, kind: 'block', label: `${b.file.split(/[\\/]/).pop()}:${b.line}`, description: blockProblems(b) || undefined,
          tooltip: `${b.file}:${b.line}${blockProblems(b) ? `\n${blockProblems(b)}` : ''}`,
          icon: b.errors ? 'error' : b.warnings ? 'warning' : 'symbol-namespace', iconColor: b.errors ? 'problemsErrorIcon.foreground' : b.warnings ? 'problemsWarningIcon.foreground' : undefined,
          contextValue: 'block', open: { file: b.file, line: b.line },
        })),
      });
    }
    if (settings.length) {
      children.push({ id: `${id}:settings`, kind: 'settings', label: 'Settings', description: `${settings.length} non-default`, icon: 'settings', children: settings, expanded: false });
    }
    children.push({
      id: `${id}:projects`,
      kind: 'projects',
      label: plural(r.projectCount, 'project'),
      description: 'matched',
      icon: 'repo',
      contextValue: 'projects',
      data: { remote: r.name },
    });
    const problems = [r.errors ? plural(r.errors, 'error') : '', r.warnings ? plural(r.warnings, 'warning') : ''].filter(Boolean).join(', ');
    const node: TreeNode = {
      id,
      kind: 'remote',
      label: r.name,
      description: problems || plural(r.urls.length, 'URL'),
      tooltip: blocks.length > 1
        ? `${blocks.map((b) => `${b.file}:${b.line}${blockProblems(b) ? ` — ${blockProblems(b)}` : ''}`).join('\n')}`
        : `${worst.file}:${worst.line}${problems ? `\n${problems} — open the config to see them` : ''}`,
      icon: r.errors ? 'error' : r.warnings ? 'warning' : 'remote',
      iconColor: r.errors ? 'problemsErrorIcon.foreground' : r.warnings ? 'problemsWarningIcon.foreground' : undefined,
      contextValue: r.errors ? 'remote.error' : 'remote',
      children,
      expanded: true,
      open: { file: worst.file, line: worst.line },
      data: { remote: r.name },
    };
    return node;
  });
}
