import type { SwitchInfo } from '../../../shared/api/deployments';
import type { EdgeProxy } from './edge-proxy';
import { backendName } from './haproxy-config';

export interface SlotSwitchOptions {
  upTimeoutMs: number;
  drainTimeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Moves an app's traffic from one slot's servers to another's through the runtime API, without a reload:
 * new servers `ready` → wait until HAProxy sees them up → old servers `drain` (no new requests, in-flight ones
 * finish) → wait until they are idle → `maint`. If the new servers never come up, they go back to maint and the old
 * ones were never touched.
 */
export async function switchSlots(proxy: EdgeProxy, app: string, next: string[], previous: string[], options: SlotSwitchOptions): Promise<SwitchInfo> {
  const backend = backendName(app);
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  let upAt = 0;
  let drainedAt = 0;
  await proxy.withLock(async () => {
    for (const server of next) {
      await proxy.runtime.setState(backend, server, 'ready');
      // Berth has just probed it healthy: mark it up now instead of waiting for HAProxy's next check
      await proxy.runtime.mustSucceed(`set server ${backend}/${server} health up`);
    }
    try {
      await proxy.runtime.waitUp(backend, next, options.upTimeoutMs, options.signal);
    } catch (error) {
      for (const server of next) await proxy.runtime.setState(backend, server, 'maint').catch(() => undefined);
      throw error;
    }
    upAt = Date.now();
    for (const server of previous) await proxy.runtime.setState(backend, server, 'drain');
    drainedAt = Date.now();
  });
  if (previous.length > 0) {
    await proxy.runtime.waitIdle(backend, previous, options.drainTimeoutMs);
    await proxy.withLock(async () => {
      for (const server of previous) await proxy.runtime.setState(backend, server, 'maint');
    });
  }
  return {
    mode: 'proxy',
    startedAt,
    durationMs: (drainedAt || upAt) - started,
    // the old servers kept taking requests until the new ones were up, so nothing was left unserved
    gapMs: previous.length > 0 ? Math.max(0, upAt - drainedAt) : 0,
  };
}
