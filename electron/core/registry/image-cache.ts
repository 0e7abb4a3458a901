import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { loadFromFile, saveToFile, type TransferOptions } from './image-transfer';

/**
 * Release images saved on this computer (`docker save` archives under `<home>/image-cache/<server>/<app>/`), so a
 * rollback can load one back into a server that lost it, without a registry. Files are named by image ID.
 */
export class ImageCache {
  constructor(private readonly root: string) {}

  path(serverId: string, app: string, imageId: string): string {
    return join(this.dir(serverId, app), `${imageId.replace(/^sha256:/, '')}.tar`);
  }

  has(serverId: string, app: string, imageId: string): boolean {
    return existsSync(this.path(serverId, app, imageId));
  }

  async save(docker: Docker, serverId: string, app: string, imageId: string, options: TransferOptions = {}): Promise<void> {
    if (this.has(serverId, app, imageId)) return;
    await saveToFile(docker, imageId, this.path(serverId, app, imageId), options);
  }

  async load(docker: Docker, serverId: string, app: string, expect: { id: string; tag: string }, options: TransferOptions = {}): Promise<void> {
    await loadFromFile(docker, this.path(serverId, app, expect.id), expect, options);
  }

  /** Image IDs cached for an app. */
  list(serverId: string, app: string): string[] {
    const dir = this.dir(serverId, app);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => /^[0-9a-f]{64}\.tar$/.test(name))
      .map((name) => `sha256:${name.slice(0, -4)}`);
  }

  remove(serverId: string, app: string, imageId: string): void {
    rmSync(this.path(serverId, app, imageId), { force: true });
  }

  private dir(serverId: string, app: string): string {
    return join(this.root, serverId, app);
  }
}
