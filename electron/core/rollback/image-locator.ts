import type { Deployment } from '../../../shared/api/deployments';
import type { ImageSource } from '../../../shared/api/rollback';
import { BerthError } from '../../../shared/errors';
import type { DeploymentLog } from '../logs/deployment-log';
import type { ImageCache } from '../registry/image-cache';
import { copyImage, pullRef, registryHas } from '../registry/image-transfer';
import { releaseRef, releaseRepository, type RegistryAccess } from '../registry/registry-ref';
import type { ReleaseStore } from '../releases/release-store';
import type { LinkProvider, ServerLink } from '../ssh/server-link';
import type { RollbackSettingsStore } from './rollback-settings';

export interface OtherServer {
  id: string;
  name: string;
  connected: boolean;
}

export interface LocatorDeps {
  links: LinkProvider;
  store: ReleaseStore;
  settings: RollbackSettingsStore;
  cache: ImageCache;
  /** The servers besides this one, and whether each is connected now. */
  otherServers(serverId: string): OtherServer[];
}

/** Where a release's image can be had when the server no longer has it. */
export type Located =
  | { via: Extract<ImageSource, 'registry'>; ref: string; registry: RegistryAccess; detail: string }
  | { via: Extract<ImageSource, 'other-server'>; fromServerId: string; detail: string }
  | { via: Extract<ImageSource, 'laptop-cache'>; detail: string };

const REGISTRY_TTL_MS = 30_000;
const IMAGES_TTL_MS = 2_000;
const OTHER_SERVER_TIMEOUT_MS = 3_000;

/**
 * Finds release images: on the server itself (by image ID), in the app's registry (by the digest it was pushed with,
 * or its `<app>:<seq>` tag), on another server this computer reaches, or in this computer's cache; and brings one
 * back to the server. Answers are cached for a few seconds, since history views ask often.
 */
export class ImageLocator {
  private readonly images = new Map<string, { at: number; ids: Promise<Set<string>> }>();
  private readonly registryAnswers = new Map<string, { at: number; has: boolean }>();

  constructor(private readonly deps: LocatorDeps) {}

  /** Image IDs on a server now (a fresh listing unless one is a moment old). */
  serverImages(link: ServerLink, fresh = false): Promise<Set<string>> {
    const cached = this.images.get(link.serverId);
    if (!fresh && cached && Date.now() - cached.at < IMAGES_TTL_MS) return cached.ids;
    const ids = link.docker.listImages({ all: false }).then((list) => new Set(list.map((i) => i.Id)));
    ids.catch(() => this.images.delete(link.serverId));
    this.images.set(link.serverId, { at: Date.now(), ids });
    return ids;
  }

  forget(serverId: string): void {
    this.images.delete(serverId);
  }

  /** Where else the image of `d` is; `connect` lets it reach servers that are not connected yet (for a real rollback). */
  async locate(link: ServerLink, d: Deployment, options: { connect: boolean }): Promise<Located | null> {
    const image = d.image;
    if (!image) return null;
    const registry = await this.deps.settings.registryAccess(link.serverId, d.app);
    if (registry) {
      for (const ref of this.registryRefs(link.serverId, d, registry)) {
        if (await this.registryHasCached(link, registry, ref)) {
          return { via: 'registry', ref, registry, detail: `It is not on the server any more; it will be pulled back from the registry (${ref}).` };
        }
      }
    }
    for (const other of this.deps.otherServers(link.serverId)) {
      if (!other.connected && !options.connect) continue;
      if (await this.otherHas(other.id, image.id)) {
        return { via: 'other-server', fromServerId: other.id, detail: `It is not on the server any more; it will be copied from ${other.name} (docker save → load over SSH).` };
      }
    }
    if (this.deps.cache.has(link.serverId, d.app, image.id)) {
      return { via: 'laptop-cache', detail: "It is not on the server any more; it will be loaded from this computer's cache." };
    }
    return null;
  }

  /** Brings the image to the server from where `locate` found it, tagged as the release's own tag. */
  async fetch(link: ServerLink, d: Deployment, located: Located, log: DeploymentLog, signal: AbortSignal): Promise<void> {
    const image = d.image;
    if (!image) throw new BerthError('IMAGE_GONE', `#${d.seq} has no image.`);
    const expect = { id: image.id, tag: image.tag };
    const progress = { signal, onProgress: (text: string) => log.lines('out', text) };
    const started = Date.now();
    switch (located.via) {
      case 'registry':
        log.info(`Pulling ${located.ref}`);
        await pullRef(link.docker, located.registry, located.ref, expect, progress);
        break;
      case 'other-server': {
        log.info(`Copying ${image.id.slice(7, 19)} from ${located.fromServerId} (save → load)`);
        const from = await this.deps.links.acquire(located.fromServerId);
        try {
          await copyImage(from.docker, link.docker, expect, progress);
        } finally {
          this.deps.links.release(located.fromServerId);
        }
        break;
      }
      case 'laptop-cache':
        log.info(`Loading ${image.id.slice(7, 19)} from this computer's cache`);
        await this.deps.cache.load(link.docker, link.serverId, d.app, expect, progress);
        break;
    }
    this.forget(link.serverId);
    log.info(`${image.tag} (${image.id.slice(7, 19)}) is on the server again (${Date.now() - started} ms)`);
  }

  /** Registry references this release may be under: the digests its image was pushed with, then its own tag. */
  private registryRefs(serverId: string, d: Deployment, registry: RegistryAccess): string[] {
    const repo = `${releaseRepository(registry, d.app)}@`;
    const digests = this.deps.store
      .list(serverId, { app: d.app })
      .filter((r) => r.image?.id === d.image?.id && r.image?.digest?.startsWith(repo))
      .map((r) => r.image?.digest ?? '');
    return [...new Set([...digests, releaseRef(registry, d.app, d.seq)])];
  }

  private async registryHasCached(link: ServerLink, registry: RegistryAccess, ref: string): Promise<boolean> {
    const key = `${link.serverId} ${ref}`;
    const cached = this.registryAnswers.get(key);
    if (cached && Date.now() - cached.at < REGISTRY_TTL_MS) return cached.has;
    const has = await registryHas(link.docker, registry, ref).catch(() => false);
    this.registryAnswers.set(key, { at: Date.now(), has });
    return has;
  }

  private async otherHas(serverId: string, imageId: string): Promise<boolean> {
    const leasing = this.deps.links.acquire(serverId);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), OTHER_SERVER_TIMEOUT_MS);
    });
    const link = await Promise.race([leasing.catch(() => null), timeout]);
    clearTimeout(timer);
    if (!link) {
      // a lease that arrives after we gave up is handed straight back
      leasing.then(() => this.deps.links.release(serverId), () => undefined);
      return false;
    }
    try {
      return (await this.serverImages(link)).has(imageId);
    } catch {
      return false;
    } finally {
      this.deps.links.release(serverId);
    }
  }

  /** A registry answer changes after a push: ask again next time. */
  pushed(serverId: string, ref: string): void {
    this.registryAnswers.set(`${serverId} ${ref}`, { at: Date.now(), has: true });
  }
}
