import type { Api } from '../bridge/client';

/** The names Berth deploys as an archive: what a dropped file must look like to be offered as one. */
export function isArchiveName(name: string): boolean {
  return /\.(zip|tar\.gz|tgz)$/i.test(name);
}

/** The first dropped or chosen file that is an archive, if any. */
export function archiveIn(files: FileList | null | undefined): File | undefined {
  return files ? [...files].find((f) => isArchiveName(f.name)) : undefined;
}

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(blob);
  });
}

/**
 * Hands a dropped archive to the engine. The desktop app gives its path (the engine reads the file itself); a
 * browser has none, so the file goes over the bridge in chunks, read one at a time, never whole.
 */
export async function sendArchive(api: Api, file: File, onProgress: (sent: number) => void, pathForFile?: (file: File) => string): Promise<{ path: string } | { uploadId: string }> {
  const path = pathForFile?.(file);
  if (path) return { path };
  const { uploadId, chunkBytes } = await api.call('uploads.open', { name: file.name, size: file.size });
  try {
    for (let offset = 0; offset < file.size; offset += chunkBytes) {
      const data = await base64Of(file.slice(offset, offset + chunkBytes));
      const { received } = await api.call('uploads.write', { uploadId, offset, data });
      onProgress(received);
    }
    await api.call('uploads.close', { uploadId });
  } catch (error) {
    await api.call('uploads.discard', { uploadId }).catch(() => undefined);
    throw error;
  }
  return { uploadId };
}
