// Which open documents had their outline or folding ranges cut at gitReplication.maxItemsComputed
// (the server's gitReplication/itemsLimited notification), and what the status item says. Pure.
import { LimitedFeatures } from '../../../server/src/service/itemBudget';

export const MAX_ITEMS_SETTING = 'gitReplication.maxItemsComputed';

/** LimitedFeatures (shared with the server), with what the status item says. */
export class ItemLimits extends LimitedFeatures {
  /** The status item's text and detail for a document, or undefined when nothing was cut. */
  status(uri: string): { text: string; detail: string } | undefined {
    const f = this.of(uri);
    if (!f) return undefined;
    const outline = f.get('outline');
    const folding = f.get('folding');
    const parts = [outline !== undefined ? `the first ${outline} outline symbols` : '', folding !== undefined ? `the first ${folding} folding ranges` : ''].filter(Boolean);
    return { text: outline !== undefined ? 'Outline limited' : 'Folding limited', detail: `Only ${parts.join(' and ')} are shown, for performance (${MAX_ITEMS_SETTING}).` };
  }
}
