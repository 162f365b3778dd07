// Gitolite v3 mirroring decisions for one host, as Mirroring.pm makes them: the copies and
// their types (async/sync/nosync), the host's mode per repository (master, copy, local,
// "mirrored but not here"), and what this host would push where. Settings come from the
// gitolite model (conf + rc), compared with what gitolite compiled on the host.
import { join } from 'node:path';
import { loadGitoliteSite, type GitoliteRepoMirror, type GitoliteSite } from '../../gitolite/mirroringSite';
import { GITOLITE_RULES } from '../../gitolite/gitoliteRules';
import { DiagnosticSeverity } from '../../service/lspConstants';
import { diskWorkspace, type Workspace } from '../../service/workspace';
import { readCompiledGitoliteSite } from './compiled';
import { projectNameProblem } from '../transport/safety';

export type CopyType = 'async' | 'sync' | 'nosync';

export interface RepoMirroring {
  repo: string;
  /** mirror.master ('' when unset). */
  master: string;
  /** Copy host → type, as Mirroring.pm's copies(). */
  copies: Map<string, CopyType>;
  /** False when the conf names it but its directory is missing on this host. */
  onDisk?: boolean;
  /** The conf's repo line (or wild pattern) whose settings it takes, when a conf was read. */
  conf?: GitoliteRepoMirror;
}

export interface MirrorSite {
  home: string;
  hostname?: string;
  repoBase: string;
  repos: RepoMirroring[];
  /** Errors in the gitolite conf/rc (file:line): nothing is mirrored while there are any. */
  errors: string[];
  /** Things the admin should know (conf and compiled state disagree, …). */
  notes: string[];
  /**
   * The settings a repository not (yet) on this host would take: an exact conf entry or the
   * first wild pattern it matches (`explain` of a wild repository not created yet).
   */
  settingsFor?(repo: string): RepoMirroring | undefined;
}

/** Mirroring.pm copies(): every `mirror.copies*` value is async, then `.sync*` and `.nosync*` keys override. */
export function copiesFromOptions(options: Array<[string, string]>): Map<string, CopyType> {
  // git_config() returns one value per key: a repeated key keeps its last value.
  const byKey = new Map<string, string>();
  for (const [k, v] of options) byKey.set(k, v);
  const out = new Map<string, CopyType>();
  const pass = (re: RegExp, type: CopyType) => {
    for (const [k, v] of byKey) if (re.test(k)) for (const h of v.split(/\s+/).filter(Boolean)) out.set(h, type);
  };
  pass(/^gitolite-options\.mirror\.copies/, 'async');
  pass(/^gitolite-options\.mirror\.copies\.sync/, 'sync');
  pass(/^gitolite-options\.mirror\.copies\.nosync/, 'nosync');
  return out;
}

export function masterFromOptions(options: Array<[string, string]>): string {
  let master = '';
  for (const [k, v] of options) if (k === 'gitolite-options.mirror.master') master = v.trim();
  return master;
}

/**
 * Loads a gitolite home's mirroring settings. The gitolite model (gitolite.conf and the rc, as
 * gitolite reads them) decides; the repositories are the bare ones under GL_REPO_BASE plus those
 * the conf names. Wild repositories take the settings of the pattern they match. What gitolite
 * compiled on the host (`gl-conf`) is compared, so a conf edited without `gitolite setup` is
 * pointed out; when no gitolite.conf can be found, the compiled settings are used alone.
 */
export function loadMirrorSite(home: string, ws: Workspace = diskWorkspace): MirrorSite {
  const compiled = readCompiledGitoliteSite(home);
  let model: GitoliteSite | undefined;
  try {
    model = loadGitoliteSite(home, ws);
  } catch {
    model = undefined;
  }
  const fromCompiled = new Map(compiled.repos.map((r) => [r.repo, { master: masterFromOptions(r.options), copies: copiesFromOptions(r.options), hasGlConf: r.options.length > 0 }]));
  if (!model) {
    return {
      home,
      hostname: compiled.hostname,
      repoBase: compiled.repoBase,
      repos: [...fromCompiled].map(([repo, c]) => ({ repo, master: c.master, copies: c.copies, onDisk: true })),
      errors: [],
      notes: [`${join(home, '.gitolite', 'conf', 'gitolite.conf')} not found: using the settings gitolite compiled into each repository's gl-conf`],
    };
  }
  const errors = model.diagnostics
    .filter((d) => GITOLITE_RULES[d.code].severity === DiagnosticSeverity.Error)
    .map((d) => `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: error: ${d.message} [${d.code}]`);
  const exact = new Map(model.repos.filter((r) => !r.isPattern).map((r) => [r.name, r]));
  const patterns = model.repos.filter((r) => r.isPattern).map((r) => ({ r, re: safeRegExp(r.name) }));
  const names = new Set([...fromCompiled.keys(), ...exact.keys()]);
  const repos: RepoMirroring[] = [];
  const notes: string[] = [];
  for (const repo of [...names].sort()) {
    const m = exact.get(repo) ?? patterns.find((p) => p.re?.test(repo))?.r;
    const master = m?.master ?? '';
    const copies = new Map<string, CopyType>((m?.copies ?? []).map((c) => [c.host, c.mode]));
    const c = fromCompiled.get(repo);
    if (c && (c.hasGlConf || m) && !m?.isPattern && (c.master !== master || describeCopies(c.copies) !== describeCopies(copies))) {
      notes.push(
        `'${repo}': gitolite.conf says master '${master}', copies ${describeCopies(copies)}, but gitolite compiled master '${c.master}', copies ${describeCopies(c.copies)}; run 'gitolite setup' on this host`,
      );
    }
    repos.push({ repo, master, copies, onDisk: fromCompiled.has(repo), conf: m });
  }
  const settingsFor = (repo: string): RepoMirroring | undefined => {
    const m = exact.get(repo) ?? patterns.find((p) => p.re?.test(repo))?.r;
    return m ? { repo, master: m.master ?? '', copies: new Map(m.copies.map((c) => [c.host, c.mode])), onDisk: false, conf: m } : undefined;
  };
  return { home, hostname: model.hostname ?? compiled.hostname, repoBase: compiled.repoBase, repos, errors, notes, settingsFor };
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
}

function describeCopies(c: Map<string, CopyType>): string {
  const list = [...c].sort(([a], [b]) => (a < b ? -1 : 1)).map(([h, t]) => `${h}:${t}`);
  return list.length ? list.join(' ') : '(none)';
}

export type RepoMode = { mode: 'local' | 'master' | 'copy' } | { mode: 'elsewhere'; error: string };

/** Mirroring.pm mode(), in its order. */
export function modeOf(hostname: string | undefined, r: RepoMirroring): RepoMode {
  if (!hostname) return { mode: 'local' };
  if (r.master === hostname) return { mode: 'master' };
  if (r.copies.has(hostname)) return { mode: 'copy' };
  if (!r.master && r.copies.size === 0) return { mode: 'local' };
  return { mode: 'elsewhere', error: `${hostname}: '${r.repo}' is mirrored but not here` };
}

export interface MirrorTarget {
  repo: string;
  copy: string;
  type: CopyType;
}

export interface MirrorRefusal {
  repo: string;
  reason: string;
  /** True when the repository was named explicitly (an error), false for --all (a note). */
  explicit: boolean;
}

export interface MirrorSelection {
  hostname: string;
  targets: MirrorTarget[];
  refused: MirrorRefusal[];
  /** Repositories with nothing to mirror (local, or only self as copy). */
  local: string[];
}

export interface SelectOptions {
  /** Repositories to consider; empty or undefined = all. */
  repos?: string[];
  /** Only these copy hosts. */
  copies?: string[];
}

/** Decides what this host pushes where. Throws when HOSTNAME is unset, as `gitolite mirror` does. */
export function selectMirrors(site: MirrorSite, o: SelectOptions = {}): MirrorSelection {
  const hostname = site.hostname;
  if (site.errors.length) throw new Error(`${site.errors.join('\n')}\nerror: the gitolite configuration has errors; nothing is mirrored`);
  if (!hostname) throw new Error(`HOSTNAME not set in ${join(site.home, '.gitolite.rc')}: gitolite mirroring is off on this host`);
  const wanted = o.repos?.length ? o.repos.map((r) => r.replace(/\.git$/, '')) : undefined;
  const byName = new Map(site.repos.map((r) => [r.repo, r]));
  const sel: MirrorSelection = { hostname, targets: [], refused: [], local: [] };
  const explicit = wanted !== undefined;
  for (const name of wanted ?? site.repos.map((r) => r.repo)) {
    const problem = projectNameProblem(name);
    if (problem) {
      sel.refused.push({ repo: name, reason: `refusing repository: ${problem}`, explicit });
      continue;
    }
    const r = byName.get(name);
    if (!r || r.onDisk === false) {
      sel.refused.push({ repo: name, reason: `${hostname}: no repository '${name}' under ${site.repoBase}`, explicit });
      continue;
    }
    const m = modeOf(hostname, r);
    if (m.mode === 'elsewhere') {
      sel.refused.push({ repo: name, reason: m.error, explicit });
      continue;
    }
    if (m.mode === 'copy') {
      const master = r.master ? `its master is '${r.master}'` : 'no master is set';
      sel.refused.push({ repo: name, reason: `${hostname}: '${name}' is a copy on this host (${master}); only the master pushes to copies`, explicit });
      continue;
    }
    const copies = [...r.copies.entries()]
      .filter(([h]) => h !== hostname) // gitolite: "push_to_copies skipping self"
      .filter(([h]) => !o.copies?.length || o.copies.includes(h))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (m.mode === 'local' || copies.length === 0) {
      sel.local.push(name);
      continue;
    }
    for (const [copy, type] of copies) sel.targets.push({ repo: name, copy, type });
  }
  return sel;
}
