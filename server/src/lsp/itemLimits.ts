// Telling the user that an outline or the folding ranges of a document were cut at
// gitReplication.maxItemsComputed (service/itemBudget.ts): a log line the first time per open
// document and feature, and, to a client that shows it (our extension), a notification each time
// the state changes, so its status item appears and goes away with the limit.
import type { ItemsLimitedParams, LimitedFeature } from '../protocol';
import { LimitedFeatures, type ItemBudget } from '../service/itemBudget';

const WHAT: Record<LimitedFeature, string> = { outline: 'outline symbols', folding: 'folding ranges' };

export class ItemLimitNotices {
  /** The limit last applied per document and feature. */
  private readonly state = new LimitedFeatures();
  private readonly logged = new Set<string>();

  constructor(
    private readonly log: (message: string) => void,
    private readonly notify: ((p: ItemsLimitedParams) => void) | undefined,
  ) {}

  /** After an answer built within `budget`: note whether it was cut. */
  answered(uri: string, name: string, feature: LimitedFeature, budget: ItemBudget): void {
    const limit = budget.exceeded ? budget.max : null;
    if (!this.state.update({ uri, feature, limit })) return;
    if (limit !== null && !this.logged.has(`${feature} ${uri}`)) {
      this.logged.add(`${feature} ${uri}`);
      this.log(`${name}: only the first ${limit} ${WHAT[feature]} are computed, for performance (gitReplication.maxItemsComputed).`);
    }
    this.notify?.({ uri, feature, limit });
  }

  /** The document closed: told again if it is opened again. */
  forget(uri: string): void {
    this.state.forget(uri);
    for (const f of Object.keys(WHAT)) this.logged.delete(`${f} ${uri}`);
  }
}
