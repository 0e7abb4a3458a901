import type Docker from 'dockerode';
import type { Deployment } from '../../../shared/api/deployments';
import { removeReleaseImage } from '../rollback/image-pruning';
import type { ReleaseStore } from '../releases/release-store';
import { transition } from '../deploy/state-machine';

/** Removes every image of the preview's repository (`<preview>:<seq>`); returns how many left the server. */
export async function removePreviewImages(docker: Docker, name: string): Promise<number> {
  let removed = 0;
  for (const image of await docker.listImages({ all: false })) {
    const tags = image.RepoTags ?? [];
    if (!tags.some((t) => t.startsWith(`${name}:`))) continue;
    if (await removeReleaseImage(docker, image.Id, tags, name, null)) removed += 1;
  }
  return removed;
}

/**
 * What a removed preview leaves in the history: nothing (dropped with their logs), or its records with the live one
 * stepped down and every image marked gone, so nothing reads as still serving or able to roll back.
 */
export function settleRecords(store: ReleaseStore, serverId: string, name: string, drop: boolean, why: string, now: Date): number {
  const records = store.list(serverId, { app: name });
  for (const record of records) {
    if (drop) {
      store.remove(serverId, record.id);
      continue;
    }
    let next: Deployment = record;
    if (record.status === 'live') next = transition(record, 'superseded', now, { note: why });
    if (record.image && !record.imageRemoved) next = { ...next, imageRemoved: { at: now.toISOString(), by: 'user' } };
    if (next !== record) store.save(next);
  }
  return records.length;
}
