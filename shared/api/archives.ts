import { z } from 'zod';
import { noControl } from '../safe-input';
import { method } from './define';

/** Checked the same way on every side: a sub-folder of the archive, written with "/", never leaving it. */
export function archiveRootProblem(root: string): string | null {
  const control = noControl(root);
  if (control !== null) return control;
  if (/^([a-zA-Z]:)?[\\/]/.test(root)) return 'is an absolute path';
  if (root.split(/[\\/]/).includes('..')) return 'goes up with ".."';
  return null;
}

const UploadId = z.string().regex(/^[a-f0-9]{32}$/, 'an id returned by uploads.open');

/** The folder inside the archive that is the build root (Dokploy's dropBuildPath); empty means the archive's top. */
export const ArchiveRoot = z
  .string()
  .max(1000)
  .superRefine((root, ctx) => {
    const why = archiveRootProblem(root);
    if (why !== null) ctx.addIssue({ code: 'custom', message: `the archive's root folder ${why}: give a folder inside the archive, such as site or app/web` });
  });

/** What a release records of the archive it was built from. */
export const ArchiveInfo = z.object({
  /** The file's name as it was given or dropped (not a path). */
  name: z.string(),
  size: z.number().int().nonnegative(),
  /** Of the file's bytes, computed while it was read. */
  sha256: z.string(),
  format: z.enum(['zip', 'tar.gz']),
  /** The build root inside the archive; '' for its top. */
  root: z.string(),
});
export type ArchiveInfo = z.infer<typeof ArchiveInfo>;

/**
 * An archive for one deployment: a file on the engine's computer (the CLI, or the desktop app given a dropped file's
 * path), or a file sent in chunks over the bridge first (a browser has no path).
 */
export const ArchiveDrop = z.union([
  z.object({ path: z.string().min(1).max(4096).superRefine(noControlRule), root: ArchiveRoot.optional() }).strict(),
  z.object({ uploadId: UploadId, root: ArchiveRoot.optional() }).strict(),
]);
export type ArchiveDrop = z.infer<typeof ArchiveDrop>;

function noControlRule(value: string, ctx: z.RefinementCtx): void {
  const why = noControl(value);
  if (why !== null) ctx.addIssue({ code: 'custom', message: `the archive path ${why}: give the path of a .zip or .tar.gz file` });
}

/** Chunks are base64 in JSON frames: 1 MiB of file per frame stays well under the bridge's 4 MiB message limit. */
export const UPLOAD_CHUNK_BYTES = 1024 * 1024;

export const uploadsMethods = {
  /** Starts receiving a dropped archive; refused at once when its size is over the archive limit. */
  'uploads.open': method(
    z.object({ name: z.string().min(1).max(255).superRefine(noControlRule), size: z.number().int().nonnegative() }),
    z.object({ uploadId: UploadId, chunkBytes: z.number().int().positive() }),
  ),
  /** One chunk, in order: `offset` must be the number of bytes received so far. */
  'uploads.write': method(
    z.object({ uploadId: UploadId, offset: z.number().int().nonnegative(), data: z.string().max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4) }),
    z.object({ received: z.number().int().nonnegative() }),
  ),
  /** Ends the upload once every byte is there; the id can then be deployed (once) with `archive: { uploadId }`. */
  'uploads.close': method(z.object({ uploadId: UploadId }), z.object({ uploadId: UploadId, name: z.string(), size: z.number().int() })),
  /** Drops an upload that will not be deployed. */
  'uploads.discard': method(z.object({ uploadId: UploadId }), z.object({ discarded: z.boolean() })),
};
