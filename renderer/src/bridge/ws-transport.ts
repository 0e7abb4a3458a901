import { ResultMessage, EventMessage, type Outcome } from '../../../shared/rpc';
import type { EventListener, Transport } from './transport';

type Pending = { resolve: (outcome: Outcome) => void };

const RETRY_MS = [250, 500, 1000, 2000, 4000];

/**
 * The browser bridge's transport. It reconnects by itself when the socket drops (the engine restarted, the laptop
 * slept) and tells the app through the 'bridge.connection' pseudo-event, so the UI can show a banner.
 */
export function wsTransport(url: string): Transport {
  const listeners = new Set<EventListener>();
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | undefined;
  let attempt = 0;

  const notify = (topic: string, data: unknown): void => {
    for (const listener of listeners) listener(topic, data);
  };

  const connect = (): void => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
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
    ws.onclose = () => {
      notify('bridge.connection', { connected: false });
      for (const [id, waiter] of pending) {
        pending.delete(id);
        waiter.resolve({ ok: false, error: { code: 'SSH_DISCONNECTED', message: 'Lost the connection to the Berth engine; retrying.' } });
      }
      const delay = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)];
      setTimeout(connect, delay);
    };
  };
  connect();

  return {
    call: (method, input) =>
      new Promise<Outcome>((resolve) => {
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
