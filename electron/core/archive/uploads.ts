import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { BerthError } from '../../../shared/errors';
import { formatBytes } from '../../../shared/format';
import { UPLOAD_CHUNK_BYTES } from '../../../shared/api/archives';
import type { ArchiveLimits } from './archive-scan';

interface Upload {
  name: string;
  size: number;
  received: number;
  path: string;
  handle: FileHandle | null;
  touchedAt: number;
}

/** An upload nobody wrote to or deployed for this long is dropped, with its file. */
const IDLE_MS = 60 * 60 * 1000;

/**
 * Archives sent over the browser bridge, which has no file path to give: written chunk by chunk, in order, to a file
 * of their own in the home's uploads folder, then handed to one deployment, which removes the file when it ends.
 */
export class Uploads {
  private readonly open = new Map<string, Upload>();
  private readonly ready = new Map<string, Upload>();
  /** Files handed to deployments that have not ended yet. */
  private readonly claimed = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly limits: () => ArchiveLimits,
  ) {}

  async begin(name: string, size: number): Promise<{ uploadId: string; chunkBytes: number }> {
    const limit = this.limits().maxBytes;
    if (size > limit) throw new BerthError('ARCHIVE_TOO_LARGE', `${name} is ${formatBytes(size)}, over the archive limit of ${formatBytes(limit)}. Leave build output and dependencies out of it.`, { size, limit });
    await this.dropIdle();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const uploadId = randomBytes(16).toString('hex');
    const path = join(this.dir, `${uploadId}.part`);
    const handle = await open(path, 'wx', 0o600);
    this.open.set(uploadId, { name: basename(name.replace(/\\/g, '/')), size, received: 0, path, handle, touchedAt: Date.now() });
    return { uploadId, chunkBytes: UPLOAD_CHUNK_BYTES };
  }

  async write(uploadId: string, offset: number, data: string): Promise<{ received: number }> {
    const upload = this.open.get(uploadId);
    if (!upload?.handle) throw notOpen(uploadId);
    if (offset !== upload.received) throw new BerthError('INVALID_INPUT', `The chunk at byte ${offset} came out of order: ${upload.received} bytes of ${upload.name} were received so far. Send the chunks in order.`);
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length > UPLOAD_CHUNK_BYTES) throw new BerthError('INVALID_INPUT', `A chunk may hold at most ${formatBytes(UPLOAD_CHUNK_BYTES)}.`);
    if (upload.received + bytes.length > upload.size) {
      await this.discard(uploadId);
      throw new BerthError('INVALID_INPUT', `${upload.name} is longer than the ${upload.size} bytes announced; the upload was dropped. Send it again.`);
    }
    await upload.handle.write(bytes, 0, bytes.length, upload.received);
    upload.received += bytes.length;
    upload.touchedAt = Date.now();
    return { received: upload.received };
  }

  async close(uploadId: string): Promise<{ uploadId: string; name: string; size: number }> {
    const upload = this.open.get(uploadId);
    if (!upload?.handle) throw notOpen(uploadId);
    if (upload.received !== upload.size) throw new BerthError('INVALID_INPUT', `${upload.name} is not complete: ${upload.received} of ${upload.size} bytes were received. Send the rest first.`);
    await upload.handle.close();
    upload.handle = null;
    this.open.delete(uploadId);
    this.ready.set(uploadId, upload);
    return { uploadId, name: upload.name, size: upload.size };
  }

  /** A completed upload's file and name, without giving it away yet (a refused archive can be deployed again with another root). */
  peek(uploadId: string): { path: string; name: string } {
    const upload = this.ready.get(uploadId);
    if (!upload) throw notOpen(uploadId);
    upload.touchedAt = Date.now();
    return { path: upload.path, name: upload.name };
  }

  /** Hands the file to a deployment, which gives it back to remove() when it ends. */
  claim(uploadId: string): void {
    const upload = this.ready.get(uploadId);
    if (!upload) return;
    this.ready.delete(uploadId);
    this.claimed.add(upload.path);
  }

  async remove(path: string): Promise<void> {
    this.claimed.delete(path);
    await rm(path, { force: true });
  }

  async discard(uploadId: string): Promise<boolean> {
    const upload = this.open.get(uploadId) ?? this.ready.get(uploadId);
    if (!upload) return false;
    this.open.delete(uploadId);
    this.ready.delete(uploadId);
    await upload.handle?.close().catch(() => undefined);
    await rm(upload.path, { force: true });
    return true;
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.open.keys(), ...this.ready.keys()]) await this.discard(id);
  }

  /** Also files left by a process that ended before it could remove them. */
  private async dropIdle(): Promise<void> {
    const now = Date.now();
    for (const [id, upload] of [...this.open, ...this.ready]) if (now - upload.touchedAt > IDLE_MS) await this.discard(id);
    const known = new Set([...[...this.open.values(), ...this.ready.values()].map((u) => u.path), ...this.claimed]);
    for (const file of await readdir(this.dir).catch(() => [])) {
      const path = join(this.dir, file);
      if (known.has(path)) continue;
      const info = await stat(path).catch(() => null);
      if (info && now - info.mtimeMs > IDLE_MS) await rm(path, { force: true });
    }
  }
}

function notOpen(uploadId: string): BerthError {
  return new BerthError('INVALID_INPUT', `There is no upload ${uploadId} under way (it ended, was deployed, or was dropped after an hour unused). Drop the archive again.`);
}
