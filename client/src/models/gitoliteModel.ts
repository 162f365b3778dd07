// Remotes tree model for a gitolite home: each copy this host pushes to, with the repos it
// receives from here, each repo's sync mode (async, sync, nosync) and whether the copy may
// redirect users' pushes here (redirectOK). Pure, like remotesModel.
import { isAbsolute, resolve } from 'node:path';
import type { RemoteSummary } from '../../../server/src/protocol';
import type { TreeNode } from './treeNode';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const MODE_TEXT = {
  async: 'async: pushed in the background after each push here',
  sync: 'sync: pushed before the user\'s push returns',
  nosync: 'nosync: never pushed by itself ("manual mirror push pending")',
} as const;

export function isGitoliteRemotes(remotes: RemoteSummary[]): boolean {
  return remotes.length > 0 && remotes.every((r) => r.gitolite);
}

export function gitoliteCopyNodes(remotes: RemoteSummary[], site?: string): TreeNode[] {
  return remotes.map((r) => {
    const id = `copy:${r.name}`;
    const file = isAbsolute(r.file) || !site ? r.file : resolve(site, r.file);
    const repos = r.gitolite?.repos ?? [];
    const modes = [...new Set(repos.map((x) => x.mode))];
    const redirect = repos.filter((x) => x.redirectOK).length;
    const children: TreeNode[] = repos.map((x) => ({
      id: `${id}:repo:${x.name}`,
      kind: 'gitolite-repo',
      label: x.name,
      description: [x.mode, x.redirectOK ? 'redirectOK' : ''].filter(Boolean).join(' · '),
      tooltip: `${x.name} → ${r.name}:${x.name}\n${MODE_TEXT[x.mode]}${x.redirectOK ? `\nredirectOK: users' pushes to ${r.name} are redirected here` : ''}`,
      icon: x.mode === 'nosync' ? 'clock' : x.mode === 'sync' ? 'sync' : 'repo',
      contextValue: 'gitolite-repo',
      data: { remote: r.name, project: x.name },
    }));
    const problems = [r.errors ? plural(r.errors, 'error') : '', r.warnings ? plural(r.warnings, 'warning') : ''].filter(Boolean).join(', ');
    return {
      id,
      kind: 'remote',
      label: r.name,
      description: problems || `${plural(repos.length, 'repo')} · ${modes.join(', ')}${redirect ? ` · redirectOK${redirect < repos.length ? ` (${redirect})` : ''}` : ''}`,
      tooltip: `gitolite copy ${r.name}: ${plural(repos.length, 'repository', 'repositories')} pushed from this host (git push --mirror ${r.name}:<repo>)\n${file}:${r.line}${problems ? `\n${problems}` : ''}`,
      icon: r.errors ? 'error' : r.warnings ? 'warning' : 'remote',
      iconColor: r.errors ? 'problemsErrorIcon.foreground' : r.warnings ? 'problemsWarningIcon.foreground' : undefined,
      contextValue: r.errors ? 'remote.error' : 'remote',
      children,
      expanded: true,
      open: { file, line: r.line },
      data: { remote: r.name },
    };
  });
}
