import { z } from 'zod';
import { errorCodes, type ErrorEnvelope as Envelope } from './errors';

/** The schema of an ErrorEnvelope; apart from errors.ts so code that only throws and catches never loads zod. */
export const ErrorEnvelope: z.ZodType<Envelope> = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorEnvelope = Envelope;
