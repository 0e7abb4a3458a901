import { z } from 'zod';

/**
 * Why the browser bridge refused a page. A browser cannot read why a WebSocket upgrade failed, so the page asks
 * `GET /access?token=…` on its own origin and shows the answer instead of a lost connection.
 */
export const ACCESS_PATH = '/access';

export const accessRefusals = ['no-token', 'wrong-token', 'foreign-host', 'foreign-origin'] as const;
export type AccessRefusal = (typeof accessRefusals)[number];

export const AccessVerdict = z.discriminatedUnion('access', [
  z.object({ access: z.literal('granted') }),
  z.object({ access: z.literal('refused'), reason: z.enum(accessRefusals), message: z.string() }),
]);
export type AccessVerdict = z.infer<typeof AccessVerdict>;
export type RefusedAccess = Extract<AccessVerdict, { access: 'refused' }>;
