// Which open documents had their outline or folding ranges cut at gitReplication.maxItemsComputed
// (the server's gitReplication/itemsLimited notification), and what the status item says. Pure.
import type { ItemsLimitedParams, LimitedFeature } from '../../../server/src/protocol';

export const MAX_ITEMS_SETTING = 'gitReplication.maxItemsComputed';

export class ItemLimits {
  private readonly byUri = new Map<string, Map<LimitedFeature, number>>();

  /** Apply a notification; false when it changed nothing. */
  update(p: ItemsLimitedParams): boolean {
    const features = this.byUri.get(p.uri) ?? new Map<LimitedFeature, number>();
    const before = features.get(p.feature) ?? null;
    if (before === p.limit) return false;
    if (p.limit === null) features.delete(p.feature);
    else features.set(p.feature, p.limit);
    if (features.size) this.byUri.set(p.uri, features);
    else this.byUri.delete(p.uri);
    return true;
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  /** The status item's text and detail for a document, or undefined when nothing was cut. */
  status(uri: string): { text: string; detail: string } | undefined {
    const f = this.byUri.get(uri);
    if (!f) return undefined;
    const outline = f.get('outline');
    const folding = f.get('folding');
    const parts = [outline !== undefined ? `the first ${outline} outline symbols` : '', folding !== undefined ? `the first ${folding} folding ranges` : ''].filter(Boolean);
    return { text: outline !== undefined ? 'Outline limited' : 'Folding limited', detail: `Only ${parts.join(' and ')} are shown, for performance (${MAX_ITEMS_SETTING}).` };
  }
}
