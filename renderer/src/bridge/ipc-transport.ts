import type { PreloadApi, Transport } from './transport';

export function ipcTransport(api: PreloadApi): Transport {
  return {
    call: (method, input) => api.call(method, input),
    listen: (listener) => {
      const handle = api.on(listener);
      return () => api.off(handle);
    },
  };
}
