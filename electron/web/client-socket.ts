import { randomUUID } from 'node:crypto';
import type { RawData, WebSocket } from 'ws';
import { toEnvelope } from '../../shared/errors';
import type { CallMessage, EventMessage, Outcome, ResultMessage } from '../../shared/rpc';
import type { Engine } from '../core/engine';
import type { CallContext } from '../core/rpc/dispatcher';
import { encodeMessage, isTooSlow, MAX_CALLS_IN_FLIGHT, readCall } from './frames';

/**
 * One browser tab's connection: calls in, results and engine events out. Whatever the tab sends or fails to read
 * ends this connection only; the engine and the other tabs go on.
 */
export function serveClient(ws: WebSocket, engine: Pick<Engine, 'dispatcher' | 'bus'>): void {
  const abort = new AbortController();
  const send = (message: ResultMessage | EventMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (isTooSlow(ws.bufferedAmount)) {
      // A close frame would wait behind the megabytes already queued: cut the connection instead.
      ws.terminate();
      return;
    }
    const text = encodeMessage(message);
    if (text !== undefined) ws.send(text);
  };
  const ctx: CallContext = {
    clientId: randomUUID(),
    signal: abort.signal,
    emit: (topic, data) => send({ t: 'event', topic, data }),
  };
  let inFlight = 0;
  const answer = async (call: CallMessage): Promise<void> => {
    if (++inFlight >= MAX_CALLS_IN_FLIGHT) ws.pause();
    const outcome: Outcome = await engine.dispatcher
      .call(call.method, call.input, ctx)
      .catch((error: unknown) => ({ ok: false, error: toEnvelope(error) }));
    if (--inFlight <= MAX_CALLS_IN_FLIGHT / 2 && ws.isPaused) ws.resume();
    send({ t: 'result', id: call.id, ...outcome });
  };
  const stopForwarding = engine.bus.onAny((topic, data) => send({ t: 'event', topic, data }));

  ws.on('message', (data, isBinary) => {
    if (ws.readyState !== ws.OPEN) return;
    const verdict = readCall(asBuffer(data), isBinary);
    if (!verdict.ok) {
      ws.close(verdict.code, verdict.reason);
      return;
    }
    void answer(verdict.call);
  });
  // The library reports an oversized frame (1009), invalid UTF-8 (1007) or a protocol error (1002) here and has
  // already started closing with that code; without a listener the error would end the whole process.
  ws.on('error', () => undefined);
  ws.on('close', () => {
    stopForwarding();
    abort.abort();
  });
}

function asBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}
