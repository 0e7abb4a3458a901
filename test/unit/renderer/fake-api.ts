import type { EventData, Input, Method, Output, Topic } from '../../../shared/api';
import { BerthError } from '../../../shared/errors';
import type { Api } from '../../../renderer/src/bridge/client';

type Handler = (input: never) => unknown;

/** An Api whose answers the test writes, recording every call, and whose events the test emits. */
export function fakeApi(handlers: Partial<Record<string, Handler>> = {}) {
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  const connection = new Set<(connected: boolean) => void>();
  const calls: { method: string; input: unknown }[] = [];
  const api: Api = {
    async call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      calls.push({ method, input });
      const handler = handlers[method];
      if (!handler) throw new BerthError('UNKNOWN_METHOD', `There is no method "${method}".`);
      return (await handler(input as never)) as Output<M>;
    },
    on<T extends Topic>(topic: T, listener: (data: EventData<T>) => void) {
      const set = listeners.get(topic) ?? new Set();
      listeners.set(topic, set);
      set.add(listener as (data: unknown) => void);
      return () => set.delete(listener as (data: unknown) => void);
    },
    onConnection(listener) {
      connection.add(listener);
      return () => connection.delete(listener);
    },
    onRefused: () => () => undefined,
  };
  return {
    api,
    calls,
    handlers,
    callsOf: (method: string) => calls.filter((c) => c.method === method).map((c) => c.input),
    emit<T extends Topic>(topic: T, data: EventData<T>) {
      for (const l of listeners.get(topic) ?? []) l(data);
    },
    connection(connected: boolean) {
      for (const l of connection) l(connected);
    },
  };
}

/** Lets queued promise callbacks run. */
export const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
