import { create } from 'zustand';
import type { ProbeInput, ProbeResult } from '../../../shared/api/servers';
import type { ErrorEnvelope } from '../../../shared/errors';
import type { Api } from '../bridge/client';

interface ProbeState {
  running: boolean;
  result?: ProbeResult;
  error?: ErrorEnvelope;
  probe(api: Api, input: ProbeInput): Promise<void>;
}

/** One connection test at a time: its result or its coded error. */
export const useProbeStore = create<ProbeState>((set) => ({
  running: false,
  async probe(api, input) {
    set({ running: true, result: undefined, error: undefined });
    try {
      set({ result: await api.call('servers.probe', input), running: false });
    } catch (error) {
      const envelope = error as ErrorEnvelope;
      set({ error: { code: envelope.code ?? 'INTERNAL', message: envelope.message ?? String(error) }, running: false });
    }
  },
}));
