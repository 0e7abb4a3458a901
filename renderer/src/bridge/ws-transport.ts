import type { RefusedAccess } from '../../../shared/bridge-access';
import type { ErrorEnvelope } from '../../../shared/errors';
import { ResultMessage, EventMessage, type Outcome } from '../../../shared/rpc';
import { askAccess } from './access';
import type { EventListener, Transport } from './transport';

type Pending = { resolve: (outcome: Outcome) => void };

const RETRY_MS = [250, 500, 1000, 2000, 4000];

/**
 * The browser bridge's transport. It reconnects by itself when the socket drops (the engine restarted, the laptop
 * slept) and tells the app through the 'bridge.connection' pseudo-event, so the UI can show a banner. A socket that
 * never opens may be refused rather than lost (a token from an earlier run): the bridge says which at `accessUrl`,
 * and a refusal ends the retries with a 'bridge.refused' pseudo-event instead.
 */
export function wsTransport(url: string, accessUrl: string): Transport {
  const listeners = new Set<EventListener>();
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | undefined;
  let attempt = 0;
  let refused: ErrorEnvelope | undefined;

  const notify = (topic: string, data: unknown): void => {
    for (const listener of listeners) listener(topic, data);
  };

  // A call that was answered with an error must not go out later with the queue.
  const failPending = (error: ErrorEnvelope): void => {
    queue.length = 0;
    for (const [id, waiter] of pending) {
      pending.delete(id);
      waiter.resolve({ ok: false, error });
    }
  };

  const refuse = (verdict: RefusedAccess): void => {
    refused = { code: 'FORBIDDEN', message: verdict.message, details: { reason: verdict.reason } };
    failPending(refused);
    notify('bridge.refused', verdict);
  };

  const retry = (): void => {
    const delay = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)];
    setTimeout(connect, delay);
  };

  const connect = (): void => {
    const ws = new WebSocket(url);
    let opened = false;
    socket = ws;
    ws.onopen = () => {
      opened = true;
      attempt = 0;
      notify('bridge.connection', { connected: true });
      for (const message of queue.splice(0)) ws.send(message);
    };
    ws.onmessage = (event) => {
      const raw: unknown = JSON.parse(String(event.data));
      const result = ResultMessage.safeParse(raw);
      if (result.success) {
        const { id, ...rest } = result.data;
        const waiter = pending.get(id);
        pending.delete(id);
        waiter?.resolve(rest.ok ? { ok: true, value: rest.value } : { ok: false, error: rest.error });
        return;
      }
      const evt = EventMessage.safeParse(raw);
      if (evt.success) notify(evt.data.topic, evt.data.data);
    };
    const lost = (): void => {
      failPending({ code: 'SSH_DISCONNECTED', message: 'Lost the connection to the Berth engine; retrying.' });
      retry();
    };
    ws.onclose = () => {
      if (opened) {
        notify('bridge.connection', { connected: false });
        lost();
        return;
      }
      void askAccess(accessUrl).then((verdict) => (verdict?.access === 'refused' ? refuse(verdict) : lost()));
    };
  };
  connect();

  return {
    call: (method, input) =>
      new Promise<Outcome>((resolve) => {
        if (refused) {
          resolve({ ok: false, error: refused });
          return;
        }
        const id = nextId++;
        pending.set(id, { resolve });
        const message = JSON.stringify({ t: 'call', id, method, input });
        if (socket?.readyState === WebSocket.OPEN) socket.send(message);
        else queue.push(message);
      }),
    listen: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
