import { describe, expect, it } from 'vitest';
import type { StoreWarning } from '../../../shared/api/store';
import { createStoreWarningsStore } from '../../../renderer/src/stores/store-warnings';
import { fakeApi } from './fake-api';

const warning = (id: number): StoreWarning => ({ id, at: '2026-01-01T00:00:00.000Z', code: 'RECORD_QUARANTINED', message: `record ${id} was set aside`, path: '/home/berth.db' });

describe('store warnings', () => {
  it('shows the warnings already found and each new one as it comes', async () => {
    const fake = fakeApi({ 'store.warnings': () => ({ warnings: [warning(1)] }) });
    const store = createStoreWarningsStore(fake.api);
    store.getState().start();
    await store.getState().load();
    fake.emit('store.warning', warning(2));
    expect(store.getState().warnings.map((w) => w.id)).toEqual([2, 1]);
  });

  it('forgets dismissed warnings, in the engine too', async () => {
    const fake = fakeApi({ 'store.warnings': () => ({ warnings: [warning(1), warning(2)] }), 'store.dismissWarnings': () => ({ dismissed: 1 }) });
    const store = createStoreWarningsStore(fake.api);
    await store.getState().load();
    await store.getState().dismiss([1]);
    expect(store.getState().warnings.map((w) => w.id)).toEqual([2]);
    expect(fake.callsOf('store.dismissWarnings')).toEqual([{ ids: [1] }]);
  });
});
