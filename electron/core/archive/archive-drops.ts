import { basename } from 'node:path';
import type { ArchiveDrop } from '../../../shared/api/archives';
import type { AppSource, BuildSettings } from '../../../shared/api/apps';
import { BerthError } from '../../../shared/errors';
import { archiveLimits, checkArchive, type ArchiveLimits, type CheckedArchive } from './archive-scan';
import { Uploads } from './uploads';

/** A checked archive; one sent over the bridge also has its upload, removed once its deployment ends. */
export interface ReadyArchive {
  archive: CheckedArchive;
  uploadId?: string;
}

/** An app whose source is an archive builds only from one given with the deployment. */
export function archiveRequired(app: { name: string; source: AppSource }): void {
  if (app.source.kind === 'archive') {
    throw new BerthError('SOURCE_INVALID', `${app.name} is deployed from an archive: drop a .zip or .tar.gz on its page, or run berth deploy ${app.name} --archive FILE.`);
  }
}

/**
 * The archives of queued and running deployments: checked when a deployment is asked for (so a bad archive is
 * refused before anything is recorded or sent), held until its build reads it, let go when the deployment ends.
 */
export class ArchiveDrops {
  readonly uploads: Uploads;
  private readonly held = new Map<string, ReadyArchive>();

  constructor(uploadsDir: string, private readonly limits: () => ArchiveLimits = () => archiveLimits()) {
    this.uploads = new Uploads(uploadsDir, limits);
  }

  /**
   * The checked archive a deployment of this app builds from, or undefined when it builds from its own source. An
   * app whose source is an archive needs one with each deployment.
   */
  async check(app: { name: string; source: AppSource; build: BuildSettings }, drop: ArchiveDrop | undefined): Promise<ReadyArchive | undefined> {
    if (!drop) {
      archiveRequired(app);
      return undefined;
    }
    const root = drop.root ?? (app.source.kind === 'archive' ? app.source.root : '');
    const file = 'uploadId' in drop ? this.uploads.peek(drop.uploadId) : { path: drop.path, name: basename(drop.path) };
    const archive = await checkArchive(file.path, { name: file.name, root, build: app.build, limits: this.limits() });
    return 'uploadId' in drop ? { archive, uploadId: drop.uploadId } : { archive };
  }

  /** The deployment now owns the archive (an upload can no longer be dropped or deployed again). */
  hold(deploymentId: string, ready: ReadyArchive): void {
    if (ready.uploadId !== undefined) this.uploads.claim(ready.uploadId);
    this.held.set(deploymentId, ready);
  }

  archiveOf(deploymentId: string): CheckedArchive | undefined {
    return this.held.get(deploymentId)?.archive;
  }

  async release(deploymentId: string): Promise<void> {
    const held = this.held.get(deploymentId);
    if (!held) return;
    this.held.delete(deploymentId);
    if (held.uploadId !== undefined) await this.uploads.remove(held.archive.path);
  }

  async close(): Promise<void> {
    for (const id of [...this.held.keys()]) await this.release(id);
    await this.uploads.closeAll();
  }
}
