import { z } from 'zod';
import { ErrorEnvelope } from './error-envelope';

/**
 * The wire envelope shared by the Electron IPC channels and the WebSocket bridge, so one dispatcher
 * serves both and the renderer never knows which transport it runs on.
 */
export const CallMessage = z.object({
  t: z.literal('call'),
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(100),
  input: z.unknown(),
});
export type CallMessage = z.infer<typeof CallMessage>;

export const ResultMessage = z.discriminatedUnion('ok', [
  z.object({ t: z.literal('result'), id: z.number(), ok: z.literal(true), value: z.unknown() }),
  z.object({ t: z.literal('result'), id: z.number(), ok: z.literal(false), error: ErrorEnvelope }),
]);
export type ResultMessage = z.infer<typeof ResultMessage>;

export const EventMessage = z.object({
  t: z.literal('event'),
  topic: z.string(),
  data: z.unknown(),
});
export type EventMessage = z.infer<typeof EventMessage>;

export type Outcome = { ok: true; value: unknown } | { ok: false; error: ErrorEnvelope };
