// A real project of the site for a remote: hover and inlay hints expand a url with it, so the
// admin sees where one of their own projects goes rather than a placeholder. The projects come
// from the host (ServiceContext.siteProjects: the bare repositories under gerrit.basePath);
// which of them a remote replicates is ReplicationFilter's rule (projectFilter.ts).
import type { Entry } from '../../gitconfig/parser';
import type { ServiceContext } from '../../service/types';
import { compilePattern, isSingleProjectMatch, projectMatches } from '../projectFilter';
import { entriesFor, lastEntry } from '../remoteModel';
import type { ResolvedConfig } from '../resolved';
import { applyInsteadOf, expandUrl, maskUrlPassword, type InsteadOfRule } from '../uri';

export type SiteProject =
  /** The host cannot list the site's projects (the CLI, a test without a site). */
  | { known: false }
  /** `project`: the first (in basePath order) the remote replicates; absent when none does. */
  | { known: true; project?: string; total: number };

/** The site's first project that a remote with these entries replicates. */
export function siteProjectFor(etcDir: string, remoteEntries: Entry[], ctx: ServiceContext): SiteProject {
  const projects = ctx.siteProjects?.(etcDir);
  if (!projects) return { known: false };
  const include = entriesFor(remoteEntries, 'projects').map((e) => compilePattern(e.value ?? ''));
  const exclude = entriesFor(remoteEntries, 'excludeProjects').map((e) => compilePattern(e.value ?? ''));
  return { known: true, project: projects.find((p) => projectMatches(p, include, exclude)), total: projects.length };
}

export interface Expansion {
  /** The url the project is pushed to, without its password; or why it cannot be expanded. */
  url?: string;
  error?: string;
  /** remoteNameStyle when it is not the default (it changes the name). */
  style?: string;
}

/** The file's `[url "base"] insteadOf = prefix` rules (JGit's RemoteConfig rewrites urls with them). */
export function insteadOfRules(resolved: ResolvedConfig): InsteadOfRule[] {
  const rules: InsteadOfRule[] = [];
  for (const g of resolved.groups) {
    if (g.spec.name !== 'url' || g.subsection === null) continue;
    for (const e of entriesFor(g.entries, 'insteadOf')) if (e.value) rules.push({ base: g.subsection, prefix: e.value });
  }
  return rules;
}

/**
 * The url `template` of a remote with these entries expands to for `project` (Destination.getURI),
 * after the file's insteadOf rules, as the engine pushes it.
 */
export function expandForProject(template: string, project: string, remoteEntries: Entry[], opts: { style?: string; insteadOf?: InsteadOfRule[] } = {}): Expansion {
  const nameStyle = opts.style ?? lastEntry(remoteEntries, 'remoteNameStyle')?.value ?? 'slash';
  const single = isSingleProjectMatch(entriesFor(remoteEntries, 'projects').map((e) => e.value ?? ''));
  try {
    const url = expandUrl(applyInsteadOf(template, opts.insteadOf ?? []), project, nameStyle, { singleProject: single });
    return { url: maskUrlPassword(url), style: nameStyle !== 'slash' ? nameStyle : undefined };
  } catch (err) {
    return { error: maskUrlPassword((err as Error).message) };
  }
}
