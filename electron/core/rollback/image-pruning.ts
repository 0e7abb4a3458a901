import type Docker from 'dockerode';
import type { Deployment, ImageRemoval } from '../../../shared/api/deployments';
import { BerthError } from '../../../shared/errors';
import { asBerthError, imageExists, isNotFound, statusOf } from '../deploy/docker-util';
import { summaryOf } from '../deploy/pipeline';
import type { EventBus } from '../events/event-bus';
import type { ImageCache } from '../registry/image-cache';
import { isAppRepository, type RegistryAccess } from '../registry/registry-ref';
import type { ReleaseStore } from '../releases/release-store';
import type { ServerLink } from '../ssh/server-link';
import { decideRetention } from './image-retention';

export interface PruneDeps {
  store: ReleaseStore;
  cache: ImageCache;
  bus: EventBus;
  now?: () => Date;
}

export interface PruneReport {
  /** Image IDs that left the server (or were found gone already), with the deployments that ran them. */
  removed: Map<string, string[]>;
  /** Image IDs kept, with why. */
  kept: Map<string, string>;
}

/** Image IDs any container on the server uses, running or stopped: those are never removed. */
export async function imagesInUse(docker: Docker): Promise<Set<string>> {
  const containers = await docker.listContainers({ all: true });
  return new Set(containers.map((c) => c.ImageID));
}

/**
 * Applies an app's retention to its images on one server: what `decideRetention` lets go is untagged and removed
 * (only the app's own tags; an image someone else tagged stays for them), cached copies of it are deleted, and the
 * records say "image removed". Records themselves stay.
 */
export async function pruneImages(deps: PruneDeps, link: ServerLink, app: string, keepLast: number, registry: RegistryAccess | null): Promise<PruneReport> {
  const docker = link.docker;
  const records = deps.store.list(link.serverId, { app });
  const decision = decideRetention(records, keepLast, await imagesInUse(docker));
  const tagsById = new Map((await docker.listImages({ all: false })).map((i) => [i.Id, i.RepoTags ?? []]));
  const removed = new Map<string, string[]>();
  for (const [imageId, deploymentIds] of decision.remove) {
    const tags = tagsById.get(imageId);
    const gone = tags === undefined ? true : await removeReleaseImage(docker, imageId, tags, app, registry);
    if (!gone) continue;
    removed.set(imageId, deploymentIds);
    markRemoved(deps, link.serverId, deploymentIds, 'retention');
  }
  for (const cached of deps.cache.list(link.serverId, app)) {
    if (!decision.keep.has(cached)) deps.cache.remove(link.serverId, app, cached);
  }
  return { removed, kept: decision.keep };
}

/**
 * Removes the app's tags of one image (`<app>:<seq>`, `<registry>/<app>:<seq>`); the image goes with its last tag.
 * An untagged image is removed by ID. Returns whether the image is gone from the server.
 */
export async function removeReleaseImage(docker: Docker, imageId: string, tags: readonly string[], app: string, registry: RegistryAccess | null): Promise<boolean> {
  const real = tags.filter((t) => t !== '<none>:<none>');
  const ours = real.filter((t) => isAppRepository(t, app, registry));
  const refs = real.length === 0 ? [imageId] : ours;
  for (const ref of refs) {
    try {
      await docker.getImage(ref).remove();
    } catch (error) {
      if (isNotFound(error)) continue;
      // 409: a container started on it a moment ago; it stays
      if (statusOf(error) === 409) return false;
      throw asBerthError(error, 'DOCKER_ERROR', `Could not remove the image ${ref}`);
    }
  }
  return !(await imageExists(docker, imageId));
}

export function markRemoved(deps: PruneDeps, serverId: string, deploymentIds: readonly string[], by: ImageRemoval['by']): Deployment[] {
  const at = (deps.now ?? (() => new Date()))().toISOString();
  const out: Deployment[] = [];
  for (const id of deploymentIds) {
    const current = deps.store.find(serverId, id);
    if (!current || current.imageRemoved?.by === by) continue;
    const saved = deps.store.save({ ...current, imageRemoved: { at, by } });
    deps.bus.emit('deployments.changed', summaryOf(saved));
    out.push(saved);
  }
  return out;
}

/** After an image came back to the server (pulled or copied), records that ran it no longer say it was removed. */
export function markRestored(deps: PruneDeps, serverId: string, app: string, imageId: string): void {
  for (const d of deps.store.list(serverId, { app })) {
    if (d.image?.id !== imageId || !d.imageRemoved || d.imageRemoved.by !== 'retention') continue;
    const { imageRemoved: _gone, ...rest } = d;
    deps.store.save(rest);
  }
}

export function assertRemovable(refusal: string | null, seq: number): void {
  if (refusal !== null) throw new BerthError('INVALID_INPUT', `The rollback point #${seq} cannot be deleted: ${refusal}`);
}
