import type Docker from 'dockerode';
import type { CacheCleared } from '../../../shared/api/builds';
import { byteSize } from '../../../shared/format';
import { asBerthError } from '../deploy/docker-util';
import { LABEL } from '../deploy/labels';
import { appCacheRecords, type BuildWindow, type CacheRecord } from './cache-records';

interface Dialer {
  dial(options: object, callback: (error: unknown, data: unknown) => void): void;
}

function dial<T>(docker: Docker, options: object): Promise<T> {
  return new Promise((resolve, reject) => {
    (docker.modem as unknown as Dialer).dial(options, (error, data) => (error ? reject(error) : resolve(data as T)));
  });
}

/** Removes one cache record (the daemon takes one id per prune); `all` also takes records shared with images. */
async function pruneRecord(docker: Docker, id: string): Promise<{ deleted: number; bytes: number }> {
  const result = await dial<{ CachesDeleted?: string[] | null; SpaceReclaimed?: number }>(docker, {
    path: '/build/prune?',
    method: 'POST',
    options: { all: true, filters: JSON.stringify({ id: [id] }) },
    statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
  });
  return { deleted: result.CachesDeleted?.length ?? 0, bytes: result.SpaceReclaimed ?? 0 };
}

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

export function clearedReport(app: string, freed: Omit<CacheCleared, 'message'>): CacheCleared {
  const kept = freed.inUse > 0 ? ` ${count(freed.inUse, 'record')} in use by a build under way stayed.` : '';
  const message = `Cleared the build cache of ${app}: ${count(freed.records, 'cache record')} and ${count(freed.images, 'dangling image')}, ${byteSize(freed.bytes)} freed.${kept}`;
  return { ...freed, message };
}

/**
 * Clears what the app's builds left in the server's build cache: the BuildKit records created while they ran (cache
 * mounts included) and the dangling images labelled with the app. Records a build under way still uses stay.
 */
export async function clearAppCache(docker: Docker, app: string, windows: readonly BuildWindow[]): Promise<CacheCleared> {
  try {
    const [info, usage] = await Promise.all([docker.info() as Promise<{ SystemTime?: string }>, docker.df() as Promise<{ BuildCache?: CacheRecord[] | null }>]);
    const serverAheadMs = info.SystemTime ? Date.parse(info.SystemTime) - Date.now() : 0;
    const chosen = appCacheRecords(usage.BuildCache ?? [], windows, serverAheadMs);
    let records = 0;
    let bytes = 0;
    let inUse = 0;
    for (const record of chosen) {
      if (record.InUse) {
        inUse += 1;
        continue;
      }
      const pruned = await pruneRecord(docker, record.ID);
      records += pruned.deleted;
      bytes += pruned.bytes;
    }
    const images = (await docker.pruneImages({ filters: JSON.stringify({ dangling: ['true'], label: [`${LABEL.app}=${app}`] }) })) as {
      ImagesDeleted?: unknown[] | null;
      SpaceReclaimed?: number;
    };
    const removedImages = (images.ImagesDeleted ?? []).filter((entry) => typeof (entry as { Deleted?: unknown }).Deleted === 'string').length;
    return clearedReport(app, { records, images: removedImages, bytes: bytes + (images.SpaceReclaimed ?? 0), inUse });
  } catch (error) {
    throw asBerthError(error, 'DOCKER_ERROR', `Could not clear the build cache of ${app}`);
  }
}
