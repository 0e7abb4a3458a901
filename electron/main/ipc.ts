import { ipcMain, type WebContents, type WebFrameMain } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/ipc-channels';
import type { Outcome } from '../../shared/rpc';
import type { Engine } from '../core/engine';
import type { CallContext } from '../core/rpc/dispatcher';
import { APP_ORIGIN } from './app-protocol';

/**
 * Wires the two fixed channels to the engine. Calls are accepted only from the main frame of our own app:// page,
 * so a navigation or an injected frame can never reach the engine.
 */
export function registerIpc(engine: Engine): void {
  const contexts = new Map<number, CallContext>();

  ipcMain.handle(IPC_CALL_CHANNEL, async (event, method: unknown, input: unknown): Promise<Outcome> => {
    if (!isTrustedFrame(event.senderFrame) || typeof method !== 'string') {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Calls are accepted only from the Berth window.' } };
    }
    return engine.dispatcher.call(method, input, contextFor(event.sender, contexts));
  });

  engine.bus.onAny((topic, data) => {
    for (const ctx of contexts.values()) ctx.emit(topic, data as never);
  });
}

function contextFor(sender: WebContents, contexts: Map<number, CallContext>): CallContext {
  const existing = contexts.get(sender.id);
  if (existing) return existing;
  const abort = new AbortController();
  const ctx: CallContext = {
    clientId: `window-${sender.id}`,
    signal: abort.signal,
    emit: (topic, data) => {
      if (!sender.isDestroyed()) sender.send(IPC_EVENT_CHANNEL, { topic, data });
    },
  };
  const end = (): void => {
    abort.abort();
    contexts.delete(sender.id);
  };
  sender.once('destroyed', end);
  sender.once('did-start-navigation', end);
  contexts.set(sender.id, ctx);
  return ctx;
}

function isTrustedFrame(frame: WebFrameMain | null): boolean {
  if (!frame || frame.parent !== null) return false;
  try {
    return new URL(frame.url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}
