// A Gerrit site as the replication plugin sees it: etc/replication.config (+ the fan-out
// directory etc/replication/*.config), etc/secure.config and etc/gerrit.config's basePath.
// A config with errors is refused with its diagnostics, as Gerrit refuses to load.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseGitConfig } from '../../gitconfig/parser';
import { readSiteModel, type ReadEntry, type RefusedInclude } from '../../replication/siteModel';
import { parseJGitBoolean, parseJGitInt } from '../../replication/values';
import { jgitRawOf } from '../../gitconfig/jgitRead';
import { applyInsteadOf, type InsteadOfRule } from '../../replication/uri';
import { checkFiles, type RefusedFile } from '../../formats/checkFiles';
import { isSymlink, type Refusal } from '../../service/confine';
import { diskWorkspace, type Workspace } from '../../service/workspace';
import { HOST_RULES } from '../../service/hostRules';
import { lineDiagnostic, type Rule } from '../../service/diagnostics';
import { RULES } from '../../replication/checks/replicationRules';
import type { CheckDiagnostic } from '../../protocol';
import { keyDefault } from './settings';
import { REPLICATION_CATALOG, findKey, findSection } from '../../catalog/keyCatalog';
import { unsafeUrl } from '../transport/safety';
import { withoutUrlPassword } from '../transport/invocation';

export interface RemoteSettings {
  name: string;
  /** File (relative to the site) and 1-based line of the remote's section header. */
  file: string;
  line: number;
  urls: string[];
  adminUrls: string[];
  push: string[];
  projects: string[];
  excludeProjects: string[];
  excludedRefsPattern: string[];
  authGroup: string[];
  replicationDelay: number;
  rescheduleDelay: number;
  replicationRetry: number;
  replicationMaxRetries: number;
  updateRefErrorMaxRetries: number;
  threads: number;
  timeout: number;
  drainQueueAttempts: number;
  pushBatchSize: number;
  createMissingRepositories: boolean;
  replicatePermissions: boolean;
  replicateProjectDeletions: boolean;
  replicateNoteDbMetaRefs: boolean;
  mirror: boolean;
  defaultForceUpdate: boolean;
  remoteNameStyle: string;
  username?: string;
  password?: string;
  /** Every key written for this remote: its last value, or each value of a multi-valued key. */
  written: Array<{ key: string; value: string }>;
  /**
   * Every [remote] block of this remote, in file order: where its header is and the last line
   * before the next section header of that file (diagnostics are attributed per block).
   */
  blocks: Array<{ file: string; line: number; endLine: number }>;
}

export interface Site {
  dir: string;
  basePath: string;
  eventsDir: string;
  /** replication.eventsDirectory and gerrit.basePath as written ('' when unset), before resolving. */
  written: { eventsDirectory: string; basePath: string };
  /** replication.distributionInterval (seconds; 0 = off): cluster mode, nodes share eventsDir. */
  distributionInterval: number;
  replicateOnStartup: boolean;
  maxRefsToShow: number;
  remotes: RemoteSettings[];
  /** Files that make up the config (absolute paths). */
  files: string[];
  diagnostics: CheckDiagnostic[];
  /** Load-time warnings Gerrit would log (ignored remotes, skipped fan-out files…). */
  warnings: string[];
  /** True when any diagnostic is an error: nothing is replicated. */
  refused: boolean;
}

type Located = ReadEntry;

export class SiteError extends Error {}

export function loadSite(dirArg: string, ws: Workspace = diskWorkspace): Site {
  const dir = resolve(dirArg);
  if (!ws.stat(dir)?.isDirectory) throw new SiteError(`site directory not found: ${dirArg}`);
  const etc = join(dir, 'etc');
  const warnings: string[] = [];
  const diagnostics: CheckDiagnostic[] = [];
  const rel = (p: string) => relative(dir, p);
  const lineOf = (l: Located, offset: number) => model.line(l.file, offset);
  // A code of a rule table (the engine's own, or a replication rule it enforces harder): an
  // error whatever the rule's default, because the engine refuses to replicate with it.
  const addEngineError = <T extends Record<string, Rule>>(table: T, code: keyof T & string, l: Located, offset: number, message: string) => {
    const file = rel(l.file.path);
    const line = lineOf(l, offset);
    // The language service may already report the same problem on that line.
    if (diagnostics.some((d) => d.file === file && d.line === line && d.severity === 'error')) return;
    diagnostics.push(lineDiagnostic(table, code, file, line, message, 'error'));
  };

  // The one reading of the site's files, shared with the language service (replication/siteModel).
  // [include] files are read here, through `ws` (siteModel → configIncludes.resolveIncludes),
  // confined to the site: what leads outside it is refused there and reported below.
  const model = readSiteModel(etc, ws);
  const located = model.entries;
  if (model.replicationMissing) warnings.push("Replication config does not exist or it's empty; not replicating");
  else if (model.dropped.length)
    warnings.push(`When replication directory is present replication.config file cannot contain remote configuration. Ignoring: ${model.dropped.join(',')}`);
  for (const f of model.skippedFanout) {
    if (f.why === 'subsection') warnings.push(`Remote replication configuration file ${f.path} cannot contain remote subsections.`);
    else if (!f.blank) warnings.push(`Remote replication configuration file ${f.path} must contain only one remote section.`);
  }
  const files = model.files;

  diagnostics.push(...checkFiles([
    ...files.map((p) => ({ path: p, display: rel(p), text: model.texts.get(p) })),
    ...model.refused.map((r) => ({ path: r.path, display: rel(r.path), refused: refusedFile(r.path, r.why) })),
  ], ws));
  refuseOutsideIncludes(model.refusedIncludes, diagnostics, rel);

  // Global settings: last value wins (git-config semantics across the merged files).
  const global = (section: string, key: string) => {
    let hit: Located | undefined;
    for (const l of located) if (l.remote === undefined && l.section === section && l.entry.key === key.toLowerCase()) hit = l;
    return hit;
  };
  const intOf = (l: Located | undefined, section: string, key: string, dflt?: number): number => {
    const d = keyDefault(section, key);
    const base = dflt ?? (d.default as number) ?? 0;
    if (!l) return base;
    const r = parseJGitInt(jgitRawOf(l.file.parsed, l.entry), `${section}.${key.toLowerCase()}`, base);
    if (!r.ok) {
      addEngineError(HOST_RULES, 'invalid-value', l, l.entry.keySpan.start, r.error);
      return base;
    }
    return d.floor !== undefined ? Math.max(d.floor, r.value) : r.value;
  };
  const boolOf = (l: Located | undefined, section: string, key: string): boolean => {
    const dflt = keyDefault(section, key).default as boolean;
    if (!l) return dflt;
    // The value JGit reads (`mirror # keep`: no value, so the default).
    const r = parseJGitBoolean(jgitRawOf(l.file.parsed, l.entry), `${section}.${key.toLowerCase()}`, dflt);
    if (!r.ok) {
      addEngineError(HOST_RULES, 'invalid-value', l, l.entry.keySpan.start, r.error);
      return dflt;
    }
    return r.value;
  };

  const defaultForceUpdate = boolOf(global('gerrit', 'defaultForceUpdate'), 'gerrit', 'defaultForceUpdate');
  const replicateOnStartup = boolOf(global('gerrit', 'replicateOnStartup'), 'gerrit', 'replicateOnStartup');
  const maxRefsToShow = intOf(global('gerrit', 'maxRefsToShow'), 'gerrit', 'maxRefsToShow');
  const globalBatch = intOf(global('gerrit', 'pushBatchSize'), 'gerrit', 'pushBatchSize');
  const distributionInterval = intOf(global('replication', 'distributionInterval'), 'replication', 'distributionInterval');
  const lockErr = intOf(global('replication', 'lockErrorMaxRetries'), 'replication', 'lockErrorMaxRetries');
  const updateRefErr = intOf(global('replication', 'updateRefErrorMaxRetries'), 'replication', 'updateRefErrorMaxRetries', lockErr);
  const maxRetries = intOf(global('replication', 'maxRetries'), 'replication', 'maxRetries');
  const eventsEntry = global('replication', 'eventsDirectory');
  const eventsRaw = eventsEntry?.entry.value?.trim();
  const eventsDir = eventsRaw ? (isAbsolute(eventsRaw) ? eventsRaw : resolve(dir, eventsRaw)) : join(dir, 'data', 'replication');

  // Secure credentials per remote.
  const secure = new Map<string, { username?: string; password?: string }>();
  for (const { entry: e, remote } of model.secure) {
    const c = secure.get(remote!) ?? {};
    if (e.key === 'username') c.username = e.value ?? '';
    if (e.key === 'password') c.password = e.value ?? '';
    secure.set(remote!, c);
  }

  const insteadOf: InsteadOfRule[] = [];
  for (const l of located) {
    if (l.section === 'url' && l.entry.key === 'insteadof' && l.entry.value) insteadOf.push({ base: l.entry.section!.subsection!, prefix: l.entry.value });
  }

  // Remotes, grouped in order of first appearance (sorted below, as JGit lists them).
  const byRemote = new Map<string, Located[]>();
  for (const l of located) if (l.remote !== undefined) (byRemote.get(l.remote) ?? byRemote.set(l.remote, []).get(l.remote)!).push(l);
  const remotes: RemoteSettings[] = [];
  const headers = new Map<object, number[]>();
  for (const [name, entries] of byRemote) {
    const all = (key: string) => entries.filter((l) => l.entry.key === key.toLowerCase());
    const last = (key: string) => all(key).at(-1);
    const values = (key: string) => all(key).map((l) => jgitRawOf(l.file.parsed, l.entry) ?? '');
    const first = entries[0];
    const header = first.entry.section!.header.start;
    const file = rel(first.file.path);
    const line = lineOf(first, header);
    if (all('fetch').length) {
      warnings.push(`Ignore '${name}' endpoint: not a 'push' target`);
      continue;
    }
    // A password written into a url is moved to the credentials (transports' withoutUrlPassword).
    // JGit's RemoteConfig rewrites urls with [url "…"] insteadOf; the plugin pushes there.
    const split = values('url').map((u) => withoutUrlPassword(applyInsteadOf(u, insteadOf)));
    const urls = split.map((x) => x.url);
    const urlCred = split.find((x) => x.password !== undefined);
    if (urls.length === 0) continue; // Gerrit skips a remote without url silently
    const projects = values('projects');
    // The editor only warns about these URLs (Gerrit would load them); the engine refuses them.
    // A missing ${name} is the language service's `missing-name` error, already collected above.
    for (const l of all('url')) {
      const bad = unsafeUrl(l.entry.value ?? '');
      if (bad) addEngineError(RULES, 'unsafe-url', l, l.entry.keySpan.start, bad);
    }
    const batch = last('pushBatchSize') ? intOf(last('pushBatchSize'), 'remote', 'pushBatchSize') : globalBatch;
    const cred = secure.get(name);
    remotes.push({
      name,
      file,
      line,
      urls,
      adminUrls: values('adminUrl').map((u) => withoutUrlPassword(u).url),
      push: values('push'),
      projects,
      excludeProjects: values('excludeProjects'),
      excludedRefsPattern: values('excludedRefsPattern'),
      authGroup: values('authGroup'),
      replicationDelay: intOf(last('replicationDelay'), 'remote', 'replicationDelay'),
      rescheduleDelay: intOf(last('rescheduleDelay'), 'remote', 'rescheduleDelay'),
      replicationRetry: intOf(last('replicationRetry'), 'remote', 'replicationRetry'),
      replicationMaxRetries: last('replicationMaxRetries') ? intOf(last('replicationMaxRetries'), 'remote', 'replicationMaxRetries') : maxRetries,
      updateRefErrorMaxRetries: updateRefErr,
      threads: intOf(last('threads'), 'remote', 'threads'),
      timeout: intOf(last('timeout'), 'remote', 'timeout'),
      drainQueueAttempts: intOf(last('drainQueueAttempts'), 'remote', 'drainQueueAttempts'),
      pushBatchSize: distributionInterval > 0 ? 0 : batch,
      createMissingRepositories: boolOf(last('createMissingRepositories'), 'remote', 'createMissingRepositories'),
      replicatePermissions: boolOf(last('replicatePermissions'), 'remote', 'replicatePermissions'),
      replicateProjectDeletions: boolOf(last('replicateProjectDeletions'), 'remote', 'replicateProjectDeletions'),
      replicateNoteDbMetaRefs: boolOf(last('replicateNoteDbMetaRefs'), 'remote', 'replicateNoteDbMetaRefs'),
      mirror: boolOf(last('mirror'), 'remote', 'mirror'),
      defaultForceUpdate,
      remoteNameStyle: ((last('remoteNameStyle') ? jgitRawOf(last('remoteNameStyle')!.file.parsed, last('remoteNameStyle')!.entry) : undefined) ?? (keyDefault('remote', 'remoteNameStyle').default as string) ?? 'slash').trim(),
      username: cred?.username ?? urlCred?.username,
      password: cred?.password ?? urlCred?.password,
      written: dedupeWritten(entries),
      blocks: blocksOf(entries, rel, headers),
    });
  }

  // RemoteConfig.getAllRemoteConfigs sorts the names (String.compareTo: UTF-16 units, as
  // JavaScript's default sort): the plugin's destinations come in that order.
  remotes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  // gerrit.config basePath (read by the model, confined to the site like the rest).
  const gerritText = model.gerritConfig;
  const basePathWritten = gerritText === undefined ? '' : writtenBasePath(gerritText);
  const basePath = basePathWritten ? (isAbsolute(basePathWritten) ? basePathWritten : resolve(dir, basePathWritten)) : join(dir, 'git');

  return {
    dir,
    basePath,
    eventsDir,
    written: { eventsDirectory: eventsRaw ?? '', basePath: basePathWritten },
    distributionInterval: Math.max(0, distributionInterval),
    replicateOnStartup,
    maxRefsToShow,
    remotes,
    files: [...files, ...model.included.filter((p) => !files.includes(p))],
    diagnostics,
    warnings,
    refused: diagnostics.some((d) => d.severity === 'error'),
  };
}

/** A file of the site the model did not read, as the engine reports it: an error, so nothing is replicated. */
function refusedFile(path: string, why: Refusal): RefusedFile {
  if (why === 'not-regular') return { code: 'not-regular', severity: 'error', message: 'not a regular file (a FIFO, a device or a socket): the engine never opens one, so nothing is replicated until this is a regular file' };
  const what = isSymlink(path) ? 'a symlink that leads' : 'a path that leads';
  return { code: 'outside-root', severity: 'error', message: `${what} outside the Gerrit site (symlinks resolved): the engine reads nothing outside the site, so nothing is replicated until this is a file inside it` };
}

const ENGINE_REFUSES = ' The engine does not read it either, so it replicates nothing: it cannot know what Gerrit would read there (a projects filter, a narrower push).';

/**
 * An [include] the model refused is an error for the engine, whatever the rule's default: the
 * language service's diagnostic at that line is raised to one, or the model's refusal reported.
 */
function refuseOutsideIncludes(refusals: RefusedInclude[], diagnostics: CheckDiagnostic[], rel: (p: string) => string): void {
  for (const r of refusals) {
    const file = rel(r.file);
    const code = r.why === 'outside' ? 'include-outside-site' : 'include-not-regular';
    const seen = diagnostics.find((d) => d.file === file && d.line === r.line && d.code === code);
    if (seen) {
      if (seen.severity !== 'error') {
        seen.severity = 'error';
        seen.message += ENGINE_REFUSES;
      }
      continue;
    }
    const via = r.via === r.file ? '' : ` (included by ${rel(r.via)})`;
    const what = r.why === 'outside' ? `${isSymlink(r.target) ? 'is a symlink that leads' : 'is'} outside the Gerrit site` : 'is not a regular file (a FIFO, a device or a socket)';
    diagnostics.push(lineDiagnostic(RULES, code, file, r.line, `${r.target}${via} ${what}.${ENGINE_REFUSES}`, 'error'));
  }
}

function dedupeWritten(entries: Located[]): Array<{ key: string; value: string }> {
  const m = new Map<string, Array<{ key: string; value: string }>>();
  // url/adminUrl values are shown in the editor: never with a password in them.
  const shown = (l: Located) => (/url$/.test(l.entry.key) ? withoutUrlPassword(l.entry.value ?? '').url : l.entry.value ?? 'true');
  // A multi-valued key (push, projects, url…) keeps every value; any other key its last one.
  const remote = findSection(REPLICATION_CATALOG, 'remote');
  for (const l of entries) {
    const v = { key: l.entry.rawKey, value: shown(l) };
    const multi = remote ? findKey(remote, l.entry.key)?.multi : false;
    const list = m.get(l.entry.key);
    if (multi && list) list.push(v);
    else m.set(l.entry.key, [v]);
  }
  return [...m.values()].flat();
}

/** The [remote] blocks the entries come from, each to the line before the next header of its file. */
function blocksOf(entries: Located[], rel: (p: string) => string, headers: Map<object, number[]>): Array<{ file: string; line: number; endLine: number }> {
  const out: Array<{ file: string; line: number; endLine: number }> = [];
  const seen = new Set<object>();
  for (const l of entries) {
    const sec = l.entry.section;
    if (!sec || seen.has(sec)) continue;
    seen.add(sec);
    const start = sec.header.start;
    const next = nextHeader(headers, l.file.parsed, start);
    const line = (offset: number) => l.file.lines.position(offset).line + 1;
    out.push({ file: rel(l.file.path), line: line(start), endLine: next === undefined ? Number.MAX_SAFE_INTEGER : line(next) - 1 });
  }
  return out;
}

/** The first section header after `offset` in the file, or undefined. `headers`: per parse, its header offsets sorted once. */
function nextHeader(headers: Map<object, number[]>, parsed: ReadEntry['file']['parsed'], offset: number): number | undefined {
  let starts = headers.get(parsed);
  if (!starts) headers.set(parsed, (starts = parsed.sections.map((x) => x.header.start).sort((a, b) => a - b)));
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] > offset) hi = mid;
    else lo = mid + 1;
  }
  return starts[lo];
}

/** Where the site's repositories live: gerrit.config's gerrit.basePath (relative to the site), else $site/git. */
export function gerritBasePath(dir: string, ws: Workspace = diskWorkspace): string {
  const gerritText = ws.read(join(dir, 'etc', 'gerrit.config'));
  const bp = gerritText === undefined ? '' : writtenBasePath(gerritText);
  return bp ? (isAbsolute(bp) ? bp : resolve(dir, bp)) : join(dir, 'git');
}

/** gerrit.basePath as gerrit.config writes it (trimmed; '' when unset). */
function writtenBasePath(gerritText: string): string {
  let bp: string | undefined;
  for (const e of parseGitConfig(gerritText).entries) if (e.section?.name === 'gerrit' && !e.section.subsection && e.key === 'basepath') bp = e.value ?? undefined;
  return bp?.trim() ?? '';
}

/** What one walk of basePath found: the projects, and why the listing may be incomplete. */
export interface ProjectScan {
  projects: string[];
  /** Directories or entries that could not be read (the scan is then not evidence of absence). */
  errors: string[];
  /** Symbolic links skipped because they lead to a directory the walk already visited. */
  loops: string[];
}

/**
 * Walks basePath for bare repositories (a project's name is its path without `.git`). Symbolic
 * links are followed, as Gerrit's scan does, but only after the real tree, and a directory
 * already visited (same device and inode) is never entered again: links such as `a -> .` end
 * the walk and make no duplicate, and a link to a project names it only when nothing else does.
 * Anything that cannot be read is reported in `errors` rather than silently dropped.
 */
export function scanProjects(basePath: string): ProjectScan {
  const scan: ProjectScan = { projects: [], errors: [], loops: [] };
  const seen = new Set<string>();
  const links: Array<{ path: string; name: string }> = [];
  const why = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  const visit = (p: string, relName: string, viaLink: boolean) => {
    let st;
    try {
      st = statSync(p, { bigint: true });
    } catch (e) {
      // A dangling link may be a repository on a volume that is away for now: not evidence.
      if (viaLink || (e as NodeJS.ErrnoException).code !== 'ENOENT') scan.errors.push(`${p}: ${why(e)}`);
      return;
    }
    if (!st.isDirectory()) return;
    const id = `${st.dev}:${st.ino}`;
    if (seen.has(id)) {
      if (viaLink) scan.loops.push(relName);
      return;
    }
    seen.add(id);
    if (isBareRepository(p)) scan.projects.push(relName.endsWith('.git') ? relName.slice(0, -4) : relName);
    else walk(p, relName);
  };
  const walk = (d: string, prefix: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      scan.errors.push(`${d}: ${why(e)}`);
      return;
    }
    for (const ent of entries) {
      const p = join(d, ent.name);
      const relName = prefix ? `${prefix}/${ent.name}` : ent.name;
      if (ent.isSymbolicLink()) links.push({ path: p, name: relName });
      else if (ent.isDirectory()) visit(p, relName, false);
    }
  };
  try {
    const st = statSync(basePath, { bigint: true });
    if (!st.isDirectory()) {
      scan.errors.push(`${basePath}: not a directory`);
      return scan;
    }
    seen.add(`${st.dev}:${st.ino}`);
  } catch (e) {
    scan.errors.push(`${basePath}: ${why(e)}`);
    return scan;
  }
  walk(basePath, '');
  for (let i = 0; i < links.length; i++) visit(links[i].path, links[i].name, true);
  return scan;
}

/** The bare repositories under basePath (see scanProjects). */
export function listProjects(basePath: string): string[] {
  return scanProjects(basePath).projects;
}

export function isBareRepository(p: string): boolean {
  return existsSync(join(p, 'HEAD')) && existsSync(join(p, 'objects')) && existsSync(join(p, 'refs'));
}

/** The local repository directory of a project. */
export function projectDir(basePath: string, project: string): string {
  const withGit = join(basePath, project + '.git');
  if (existsSync(withGit)) return withGit;
  const plain = join(basePath, project);
  return existsSync(plain) ? plain : withGit;
}
