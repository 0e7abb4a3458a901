import type { EventData, Input, Method, Output, Topic } from '../../../shared/api';
import { ACCESS_PATH, type RefusedAccess } from '../../../shared/bridge-access';
import { BerthError } from '../../../shared/errors';
import { ipcTransport } from './ipc-transport';
import type { PreloadApi, Transport } from './transport';
import { wsTransport } from './ws-transport';

/** The typed face of the engine for the whole renderer: `await api.call('servers.list', {})`. */
export interface Api {
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  on<T extends Topic>(topic: T, listener: (data: EventData<T>) => void): () => void;
  onConnection(listener: (connected: boolean) => void): () => void;
  /** The browser bridge refused this page (a token from an earlier run, a foreign address); it will not retry. */
  onRefused(listener: (verdict: RefusedAccess) => void): () => void;
}

export function createApi(transport: Transport): Api {
  return {
    async call(method, input) {
      const outcome = await transport.call(method, input);
      if (!outcome.ok) throw BerthError.fromEnvelope(outcome.error);
      return outcome.value as never;
    },
    on(topic, listener) {
      return transport.listen((t, data) => {
        if (t === topic) listener(data as never);
      });
    },
    onConnection(listener) {
      return transport.listen((t, data) => {
        if (t === 'bridge.connection') listener((data as { connected: boolean }).connected);
      });
    },
    onRefused(listener) {
      return transport.listen((t, data) => {
        if (t === 'bridge.refused') listener(data as RefusedAccess);
      });
    },
  };
}

declare global {
  interface Window {
    berth?: PreloadApi;
  }
}

function pickTransport(): Transport {
  if (window.berth) return ipcTransport(window.berth);
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const query = `?token=${encodeURIComponent(token)}`;
  return wsTransport(`${scheme}://${window.location.host}/rpc${query}`, `${ACCESS_PATH}${query}`);
}

export const api: Api = createApi(pickTransport());
