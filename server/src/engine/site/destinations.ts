// One configured remote as a replication destination: which projects and refs it takes,
// where each project goes (URL expansion) and how local refs map to remote refs.
import { compilePattern, projectMatches, type CompiledPattern } from '../../replication/projectFilter';
import { javaRegexToJs, isSingleProjectMatch } from '../../replication/projectFilter';
import type { RemoteSettings } from './loadSite';
import { expandUrl } from './urls';

export interface RefSpec {
  force: boolean;
  src: string;
  dst: string;
  wildcard: boolean;
  text: string;
}

/** JGit RefSpec: `[+]src[:dst]`; without `:dst` the destination is the source (not for wildcards). */
export function parseRefSpec(text: string): RefSpec {
  let s = text.trim();
  const force = s.startsWith('+');
  if (force) s = s.slice(1);
  const colon = s.indexOf(':');
  const src = colon < 0 ? s : s.slice(0, colon);
  let dst = colon < 0 ? '' : s.slice(colon + 1);
  const stars = (x: string) => x.split('*').length - 1;
  const wildcard = stars(src) > 0;
  if (colon < 0) {
    if (wildcard) throw new Error(`Invalid wildcards ${text}`);
    dst = src;
  }
  if (stars(src) > 1 || stars(dst) > 1 || (wildcard && stars(dst) !== 1) || (!wildcard && stars(dst) !== 0)) throw new Error(`Invalid wildcards ${text}`);
  if (src === '') throw new Error(`Invalid refspec ${text}`);
  return { force, src, dst, wildcard, text: text.trim() };
}

function matchPattern(pattern: string, name: string): string | null {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === name ? '' : null;
  const pre = pattern.slice(0, star);
  const post = pattern.slice(star + 1);
  if (name.length < pre.length + post.length || !name.startsWith(pre) || !name.endsWith(post)) return null;
  return name.slice(pre.length, name.length - post.length);
}

/** The remote ref a local ref maps to under this spec, or null. */
export function mapSource(spec: RefSpec, ref: string): string | null {
  const mid = matchPattern(spec.src, ref);
  if (mid === null) return null;
  return spec.wildcard ? spec.dst.replace('*', mid) : spec.dst;
}

/** The local ref a remote ref comes from under this spec, or null. */
export function mapDestination(spec: RefSpec, remoteRef: string): string | null {
  const mid = matchPattern(spec.dst, remoteRef);
  if (mid === null) return null;
  return spec.wildcard ? spec.src.replace('*', mid) : spec.src;
}

export const ALL_REFS = '..all..';
const REFS_CONFIG = 'refs/meta/config';

/** RefNames.isNoteDbMetaRef and friends: refs skipped when replicateNoteDbMetaRefs is false. */
export function isNoteDbMetaRef(ref: string): boolean {
  return (
    /^refs\/changes\/\d\d\/\d+\/(meta|robot-comments)$/.test(ref) ||
    ref.startsWith('refs/draft-comments/') ||
    ref.startsWith('refs/starred-changes/')
  );
}

export class Destination {
  readonly specs: RefSpec[];
  readonly projects: CompiledPattern[];
  readonly exclude: CompiledPattern[];
  readonly excludedRefs: RegExp[];
  readonly warnings: string[] = [];

  constructor(readonly settings: RemoteSettings) {
    const push = settings.push.length ? settings.push : [`${settings.defaultForceUpdate ? '+' : ''}refs/*:refs/*`];
    this.specs = push.map(parseRefSpec);
    this.projects = settings.projects.map(compilePattern);
    this.exclude = settings.excludeProjects.map(compilePattern);
    this.excludedRefs = [];
    for (const p of settings.excludedRefsPattern) {
      try {
        const { source, flags } = javaRegexToJs(p);
        this.excludedRefs.push(new RegExp(`^(?:${source})$`, flags));
      } catch {
        this.warnings.push(`Invalid excludedRefsPattern '${p}' is ignored`);
      }
    }
  }

  get name(): string {
    return this.settings.name;
  }

  wouldPushProject(project: string): boolean {
    return projectMatches(project, this.projects, this.exclude);
  }

  /** Destination.wouldPushRef plus PushOne's filters (automerge, NoteDb, excludedRefsPattern). */
  wouldPushRef(ref: string): boolean {
    if (ref === ALL_REFS) return true;
    if (ref.startsWith('refs/cache-automerge/')) return false;
    if (ref === REFS_CONFIG && !this.settings.replicatePermissions) return false;
    if (!this.settings.replicateNoteDbMetaRefs && isNoteDbMetaRef(ref)) return false;
    if (this.excludedRefs.some((r) => r.test(ref))) return false;
    return this.specs.some((s) => mapSource(s, ref) !== null);
  }

  /** The first spec whose source matches: the remote ref and whether it is forced. */
  mapRef(ref: string): { dst: string; force: boolean } | null {
    for (const s of this.specs) {
      const dst = mapSource(s, ref);
      if (dst !== null) return { dst, force: s.force };
    }
    return null;
  }

  /** The local ref a remote ref would be pushed from (for mirror deletes), or null. */
  sourceOf(remoteRef: string): string | null {
    for (const s of this.specs) {
      const src = mapDestination(s, remoteRef);
      if (src !== null) return src;
    }
    return null;
  }

  /** Expanded URLs of a project (a template that cannot be expanded yields none). */
  urls(project: string): Array<{ template: string; url: string }> {
    const single = isSingleProjectMatch(this.settings.projects);
    const out: Array<{ template: string; url: string }> = [];
    for (const t of this.settings.urls) {
      const url = expandUrl(t, project, this.settings.remoteNameStyle, single);
      if (url !== undefined) out.push({ template: t, url });
    }
    return out;
  }
}
