// The client's record of which documents had their outline or folding ranges limited
// (client/src/models/itemLimits.ts) and what its language status item says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ItemLimits } from '../../client/src/models/itemLimits';

test('a limited outline shows a status naming the setting; it goes away when no longer limited or closed', () => {
  const l = new ItemLimits();
  const uri = 'file:///site/etc/replication.config';
  assert.equal(l.status(uri), undefined);
  assert.equal(l.update({ uri, feature: 'outline', limit: 5000 }), true);
  assert.equal(l.update({ uri, feature: 'outline', limit: 5000 }), false, 'the same state again changes nothing');
  assert.deepEqual(l.status(uri), { text: 'Outline limited', detail: 'Only the first 5000 outline symbols are shown, for performance (gitReplication.maxItemsComputed).' });
  l.update({ uri, feature: 'folding', limit: 5000 });
  assert.match(l.status(uri)!.detail, /5000 outline symbols and the first 5000 folding ranges/);
  l.update({ uri, feature: 'outline', limit: null });
  assert.equal(l.status(uri)!.text, 'Folding limited');
  assert.equal(l.status('file:///other'), undefined);
  l.forget(uri);
  assert.equal(l.status(uri), undefined);
});
