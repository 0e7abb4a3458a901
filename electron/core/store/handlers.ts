import type { storeMethods } from '../../../shared/api/store';
import type { HandlerGroup } from '../rpc/dispatcher';
import type { HomeStore } from './home-store';

export function createStoreHandlers(store: () => HomeStore): HandlerGroup<keyof typeof storeMethods> {
  return {
    'store.warnings': async () => ({ warnings: store().warnings.list() }),
    'store.dismissWarnings': async ({ ids }) => ({ dismissed: store().warnings.dismiss(ids) }),
  };
}
