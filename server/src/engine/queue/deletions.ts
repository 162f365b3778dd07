// When a project that vanished from basePath may be deleted on the mirrors. Gerrit never infers
// a deletion from a directory listing (it acts on the delete-project plugin's event), so the
// daemon infers one only on evidence: a scan that read everything, that still finds projects,
// in which no more than a share of the known projects vanished at once, and only after the
// project stayed missing on every scan for a while. Anything else deletes nothing and says why.
import type { ProjectScan } from '../site/loadSite';

export interface DeletionPolicy {
  /** How long (ms) a project must stay missing before its mirrors are deleted; Infinity: never. */
  delayMs: number;
  /** How many consecutive scans must miss it (at least). */
  minScans: number;
  /** Largest share of the known projects that may vanish in one scan, and be deleted per scan. */
  maxShare: number;
}

export const DEFAULT_DELETION_POLICY: DeletionPolicy = { delayMs: 600_000, minScans: 3, maxShare: 0.1 };

export type ScanVerdict =
  /** The scan is not evidence of anything: nothing is deleted, and `reason` says why. */
  | { kind: 'refused'; reason: string }
  /** `missing`: projects now missing (the new ones also in `newlyMissing`); `confirmed`: delete them now. */
  | { kind: 'ok'; missing: string[]; newlyMissing: string[]; confirmed: string[] };

export class DeletionTracker {
  /** Projects seen by the last trusted scan, plus those missing but not yet deleted. */
  private readonly known = new Set<string>();
  private readonly missing = new Map<string, { since: number; scans: number }>();

  constructor(
    readonly basePath: string,
    readonly policy: DeletionPolicy = DEFAULT_DELETION_POLICY,
  ) {}

  get size(): number {
    return this.known.size;
  }

  /** Most projects that may vanish (and be deleted) in one scan: at least one. */
  allowance(): number {
    return Math.max(1, Math.floor(this.policy.maxShare * this.known.size));
  }

  observe(scan: ProjectScan, now: number): ScanVerdict {
    if (scan.errors.length) {
      const shown = scan.errors.slice(0, 3).join('; ') + (scan.errors.length > 3 ? `; and ${scan.errors.length - 3} more` : '');
      return { kind: 'refused', reason: `cannot scan basePath ${this.basePath} (${shown})` };
    }
    if (scan.projects.length === 0 && this.known.size > 0)
      return { kind: 'refused', reason: `basePath ${this.basePath} holds no project (${this.known.size} were there)` };
    const present = new Set(scan.projects);
    const gone = [...this.known].filter((p) => !present.has(p));
    const allowed = this.allowance();
    if (gone.length > allowed)
      return {
        kind: 'refused',
        reason:
          `${gone.length} of ${this.known.size} projects disappeared at once (${gone.slice(0, 5).join(', ')}${gone.length > 5 ? ', …' : ''}); ` +
          `at most ${allowed} may vanish per scan (${Math.round(this.policy.maxShare * 100)}%)`,
      };
    for (const p of present) {
      this.known.add(p);
      this.missing.delete(p);
    }
    const newlyMissing: string[] = [];
    const confirmed: string[] = [];
    for (const p of gone) {
      let m = this.missing.get(p);
      if (!m) {
        m = { since: now, scans: 0 };
        this.missing.set(p, m);
        newlyMissing.push(p);
      }
      m.scans++;
      if (m.scans >= this.policy.minScans && now - m.since >= this.policy.delayMs) confirmed.push(p);
    }
    confirmed.sort((a, b) => this.missing.get(a)!.since - this.missing.get(b)!.since);
    return { kind: 'ok', missing: gone, newlyMissing, confirmed: confirmed.slice(0, allowed) };
  }

  /** The projects waiting for confirmation: since when they are missing, and when they are due. */
  pending(): Array<{ project: string; since: number; due: number }> {
    return [...this.missing].map(([project, m]) => ({ project, since: m.since, due: m.since + this.policy.delayMs })).sort((a, b) => a.since - b.since);
  }

  /** The project's mirrors were deleted: it is no longer known. */
  forget(project: string): void {
    this.known.delete(project);
    this.missing.delete(project);
  }
}

/**
 * What the daemon tells the dry run (`plan`): `eventsDirectory/project-deletions.json`, rewritten
 * when the set of missing projects or the scan's verdict changes. Outside ref-updates/, so a
 * Gerrit sharing the store never sees it.
 */
export interface DeletionState {
  updated: string;
  /** Why the last scan was not evidence (nothing is deleted while this is set). */
  refused?: string;
  pending: Array<{ project: string; since: string; due: string | null }>;
}

export const DELETION_STATE_FILE = 'project-deletions.json';
