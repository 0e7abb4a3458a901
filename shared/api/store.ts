import { z } from 'zod';
import { method } from './define';

export const StoreWarningCode = z.enum([
  /** A record could not be read: it was set aside (kept) and the others go on. */
  'RECORD_QUARANTINED',
  /** A whole store file could not be read: it was moved aside (kept). */
  'FILE_QUARANTINED',
  /** A store file could not be read and its backup was used instead. */
  'BACKUP_RESTORED',
]);

export const StoreWarning = z.object({
  id: z.number().int(),
  at: z.string(),
  code: StoreWarningCode,
  /** What happened and what to do, naming the file. */
  message: z.string(),
  /** Where the unreadable content was kept. */
  path: z.string().nullable(),
});
export type StoreWarning = z.infer<typeof StoreWarning>;

export const storeMethods = {
  /** Faults found in the local records (quarantined records, restored backups) that nobody has dismissed yet. */
  'store.warnings': method(z.object({}).default({}), z.object({ warnings: z.array(StoreWarning) })),
  'store.dismissWarnings': method(z.object({ ids: z.array(z.number().int()).max(1000) }), z.object({ dismissed: z.number().int() })),
};

export const storeEvents = {
  'store.warning': StoreWarning,
};
