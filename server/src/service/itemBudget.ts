// How many items one answer about a whole document may hold (gitReplication.maxItemsComputed):
// the outline and the folding ranges of a 4 MB file would otherwise be ~46,000 symbols and an
// 8 MB message per request, built, serialised and dropped each time (issue 10, item 4). A module
// takes what it builds from the budget and stops when it is spent; the host then tells the user.
import type { ItemsLimitedParams, LimitedFeature } from '../protocol';

export const DEFAULT_MAX_ITEMS = 5000;

/** The setting as a whole number of items ≥ 1, or undefined when it is not one. */
export function maxItemsSetting(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : undefined;
}

export class ItemBudget {
  private used = 0;
  /** Some item was left out for want of room. */
  exceeded = false;

  constructor(readonly max: number) {}

  /** Room for `n` more items: how many of them may be built (all, some or none). */
  take(n: number): number {
    const granted = Math.max(0, Math.min(n, this.max - this.used));
    this.used += granted;
    if (granted < n) this.exceeded = true;
    return granted;
  }
}

/** Which documents have which answers limited, and at how many items: kept by the server (to
 *  tell the client only of changes) and by the client (for its status item). */
export class LimitedFeatures {
  private readonly byUri = new Map<string, Map<LimitedFeature, number>>();

  /** Apply a state (limit null: no longer limited); false when it changed nothing. */
  update(p: ItemsLimitedParams): boolean {
    const features = this.byUri.get(p.uri) ?? new Map<LimitedFeature, number>();
    if ((features.get(p.feature) ?? null) === p.limit) return false;
    if (p.limit === null) features.delete(p.feature);
    else features.set(p.feature, p.limit);
    if (features.size) this.byUri.set(p.uri, features);
    else this.byUri.delete(p.uri);
    return true;
  }

  /** The limited answers of a document, or undefined when none is. */
  of(uri: string): ReadonlyMap<LimitedFeature, number> | undefined {
    return this.byUri.get(uri);
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }
}
