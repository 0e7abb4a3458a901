import { toEnvelope } from '../../shared/errors';
import { CallMessage, type EventMessage, type ResultMessage } from '../../shared/rpc';

/** WebSocket close codes (RFC 6455 §7.4.1) the bridge ends a connection with. */
export const CloseCode = {
  unsupportedData: 1003,
  invalidPayload: 1007,
  policy: 1008,
  tooBig: 1009,
} as const;

/** The largest message a client may send: an env file of a million characters fits, with room for escaping. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * Past this much unsent output a client is dropped: a tab that stopped reading (a frozen or throttled page) would
 * otherwise keep every event and log line in the engine's memory.
 */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * Calls one client may have unanswered before the bridge stops reading from it (TCP then holds the rest on the
 * client's side). The window makes a handful; a client that keeps sending calls that wait (a server that never
 * answers) would otherwise pin every message it sent. Reading resumes at half.
 */
export const MAX_CALLS_IN_FLIGHT = 256;

export type FrameVerdict = { ok: true; call: CallMessage } | { ok: false; code: number; reason: string };

/**
 * What one client message is. Oversized frames and invalid UTF-8 never get here: the WebSocket library refuses them
 * while reading (1009, 1007). A close reason must fit in 123 bytes and never echoes the payload.
 */
export function readCall(data: Buffer, isBinary: boolean): FrameVerdict {
  if (isBinary) return { ok: false, code: CloseCode.unsupportedData, reason: 'binary messages are not accepted' };
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch {
    return { ok: false, code: CloseCode.invalidPayload, reason: 'message is not JSON' };
  }
  const parsed = CallMessage.safeParse(json);
  if (!parsed.success) return { ok: false, code: CloseCode.policy, reason: 'message is not a call envelope' };
  return { ok: true, call: parsed.data };
}

/** Whether a client that has this much output still unsent must be dropped before more is queued for it. */
export function isTooSlow(bufferedBytes: number, limit = MAX_BUFFERED_BYTES): boolean {
  return bufferedBytes > limit;
}

/**
 * The text of one outgoing message. A value JSON cannot write (a cycle, a BigInt) must not throw inside the event
 * bus or the dispatcher's caller: a result becomes an INTERNAL error for its call, an event is dropped.
 */
export function encodeMessage(message: ResultMessage | EventMessage): string | undefined {
  try {
    return JSON.stringify(message);
  } catch (error) {
    if (message.t !== 'result') return undefined;
    const envelope = toEnvelope(new Error(`the answer could not be sent (${error instanceof Error ? error.message : String(error)})`));
    return JSON.stringify({ t: 'result', id: message.id, ok: false, error: envelope });
  }
}
