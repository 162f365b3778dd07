// Remotes tree model: each remote → its URLs (template and an expanded example), the settings
// that differ from the defaults and the projects it matches. Errors and warnings from the
// config's diagnostics decorate the remote and link to the [remote] header. With the engine's
// status, every URL and project row carries its mirror health (icon, last success, last error),
// and a URL row expands to its targets (one per project).
import { isAbsolute, resolve } from 'node:path';
import type { RemoteSummary, StatusResult, TargetStatus } from '../../../server/src/protocol';
import { displayUrl } from './args';
import { countsText, HEALTH_LOOK, latest, targetDescription, targetLines, worst } from './healthModel';
import type { TreeNode } from './treeNode';
import { gitoliteCopyNodes, isGitoliteRemotes } from './gitoliteModel';

/** What a URL, target or project row hands its commands. */
export interface RowData {
  remote: string;
  /** The url template (as shown: no user info). */
  url?: string;
  project?: string;
  /** The expanded URL of a target row. */
  target?: string;
}

function healthLook(targets: TargetStatus[]): Pick<TreeNode, 'icon' | 'iconColor'> | undefined {
  const h = worst(targets.map((t) => t.health));
  return h ? { icon: HEALTH_LOOK[h].icon, iconColor: HEALTH_LOOK[h].color } : undefined;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** site: where relative config paths in the summaries are resolved (the engine reports them relative to the site). */
export function remoteNodes(remotes: RemoteSummary[], site?: string, health?: StatusResult, now = Date.now()): TreeNode[] {
  if (isGitoliteRemotes(remotes)) return gitoliteCopyNodes(remotes, site);
  return remotes.map((r) => {
    const file = isAbsolute(r.file) || !site ? r.file : resolve(site, r.file);
    const id = `remote:${r.name}`;
    const mine = health?.targets.filter((t) => t.remote === r.name) ?? [];
    const urls: TreeNode[] = r.urls.map((u, i) => {
      const template = displayUrl(u.template);
      const example = u.example ? displayUrl(u.example) : undefined;
      const targets = mine.filter((t) => t.template === template);
      const lines = [template, ...(example ? [`resolves to, e.g.: ${example}`] : [])];
      if (targets.length) lines.push('', `mirror health: ${countsText(targets)}`, ...latest(targets, now));
      const children: TreeNode[] = targets.map((t) => ({
        id: `${id}:url:${i}:target:${t.project}`,
        kind: 'target',
        label: t.project,
        description: targetDescription(t, now),
        tooltip: targetLines(t, now).join('\n'),
        icon: HEALTH_LOOK[t.health].icon,
        iconColor: HEALTH_LOOK[t.health].color,
        contextValue: 'target',
        data: { remote: r.name, url: template, project: t.project, target: displayUrl(t.url) } satisfies RowData,
      }));
      const description = [example && example !== template ? `→ ${example}` : '', targets.length ? countsText(targets) : ''].filter(Boolean).join(' · ');
      return {
        id: `${id}:url:${i}`,
        kind: 'url',
        label: template,
        description: description || undefined,
        tooltip: lines.join('\n'),
        icon: 'link',
        ...healthLook(targets),
        contextValue: 'url',
        children: children.length ? children : undefined,
        expanded: false,
        data: { remote: r.name, url: template } satisfies RowData,
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
    // Each matched project, with its health over the remote's URLs; its tooltip gets the
    // engine's explain answer when hovered (views/remotesTree.ts resolves it).
    const projects: TreeNode[] = (r.projects ?? []).map((p) => {
      const targets = mine.filter((t) => t.project === p);
      return {
        id: `${id}:project:${p}`,
        kind: 'project',
        label: p,
        description: targets.length ? (targets.length === 1 ? targetDescription(targets[0], now) : countsText(targets)) : undefined,
        tooltip: targets.length ? targets.flatMap((t) => targetLines(t, now)).join('\n') : `${p} → ${r.name}`,
        icon: 'repo',
        ...healthLook(targets),
        contextValue: 'project',
        data: { remote: r.name, project: p } satisfies RowData,
      };
    });
    children.push({
      id: `${id}:projects`,
      kind: 'projects',
      label: plural(r.projectCount, 'project'),
      description: r.refused ? 'none replicated: the config has errors' : mine.length ? `matched · ${countsText(mine)}` : 'matched',
      tooltip: r.refused ? 'Gerrit refuses to load a config with errors, so it replicates nothing until they are fixed (see Problems).' : undefined,
      icon: 'repo',
      ...healthLook(mine),
      contextValue: 'projects',
      children: projects.length ? projects : undefined,
      expanded: false,
      data: { remote: r.name } satisfies RowData,
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
