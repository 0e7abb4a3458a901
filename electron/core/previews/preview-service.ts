import type { z } from 'zod';
import type { Deployment } from '../../../shared/api/deployments';
import type { PreviewRemoval, PreviewView, previewsMethods } from '../../../shared/api/previews';
import { BerthError } from '../../../shared/errors';
import type { AppStore, StoredApp } from '../apps/app-store';
import { removeAppRuntime } from '../deploy/app-runtime';
import type { DeployService } from '../deploy/deploy-service';
import type { ServerLookup } from '../deploy/pipeline';
import type { EventBus } from '../events/event-bus';
import type { ReleaseStore } from '../releases/release-store';
import type { LinkProvider } from '../ssh/server-link';
import { removePreviewImages, settleRecords } from './preview-cleanup';
import { normalizePreviewRef } from './preview-name';
import { checkPreviewLimit, derivePreview, previewsGone, previewsOf } from './preview-plan';

type DeployArgs = z.output<(typeof previewsMethods)['previews.deploy']['input']>;

/** The refs (`refs/heads/…`, `refs/tags/…`, `refs/pull/N/head`) the app's remote has now. */
export type RefLister = (app: StoredApp) => Promise<ReadonlySet<string>>;

export interface PreviewServiceDeps {
  apps: AppStore;
  store: ReleaseStore;
  deployments: DeployService;
  links: LinkProvider;
  servers: ServerLookup;
  bus: EventBus;
  listRefs: RefLister;
  now?: () => Date;
}

/** An app's previews: made and refreshed from the app on each deploy, removed by hand or once their branch is gone. */
export class PreviewService {
  constructor(private readonly deps: PreviewServiceDeps) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  list(serverId: string, app: string): PreviewView[] {
    this.deps.apps.get(serverId, app);
    return previewsOf(this.deps.apps.list(serverId), app).map((p) => {
      const latest = this.deps.store.list(serverId, { app: p.name, limit: 1 })[0];
      return {
        serverId,
        name: p.name,
        app,
        ref: p.previewOf?.ref ?? '',
        domains: p.runtime.domains,
        latest: latest ? { seq: latest.seq, status: latest.status, title: latest.title } : null,
        createdAt: p.createdAt,
      };
    });
  }

  /** Writes the branch's preview from the app's current definition and queues its deployment. */
  deploy(input: DeployArgs): { preview: StoredApp; deployment: Deployment } {
    const { serverId, app } = input;
    const ref = normalizePreviewRef(input.ref);
    const parent = this.deps.apps.get(serverId, app);
    const all = this.deps.apps.list(serverId);
    const previews = previewsOf(all, app);
    checkPreviewLimit(parent, previews, ref);
    const existing = previews.find((p) => p.previewOf?.ref === ref);
    const byName = new Map(all.map((a) => [a.name, a]));
    const preview = derivePreview(parent, ref, (name) => byName.get(name), existing, this.now());
    this.deps.apps.put(preview);
    this.deps.bus.emit('apps.changed', { serverId, name: preview.name, removed: false });
    const deployment = this.deps.deployments.deploy({
      serverId,
      app: preview.name,
      trigger: input.trigger,
      ...(input.title !== undefined ? { title: input.title } : {}),
    });
    return { preview, deployment };
  }

  async remove(serverId: string, app: string, ref: string, dropRecords: boolean): Promise<PreviewRemoval> {
    const wanted = normalizePreviewRef(ref);
    const preview = previewsOf(this.deps.apps.list(serverId), app).find((p) => p.previewOf?.ref === wanted);
    if (!preview) {
      this.deps.apps.get(serverId, app);
      throw new BerthError('APP_NOT_FOUND', `"${app}" has no preview of ${wanted}; berth preview list ${app} shows the ones it has.`);
    }
    return this.removePreview(preview, 'user', dropRecords);
  }

  /** Removes the previews whose branch the remote no longer has; the others stay as they are. */
  async prune(serverId: string, app: string, dropRecords: boolean): Promise<PreviewRemoval[]> {
    const parent = this.deps.apps.get(serverId, app);
    const previews = previewsOf(this.deps.apps.list(serverId), app);
    if (previews.length === 0) return [];
    const gone = previewsGone(previews, await this.deps.listRefs(parent));
    const out: PreviewRemoval[] = [];
    for (const preview of gone) out.push(await this.removePreview(preview, 'branch-gone', dropRecords));
    return out;
  }

  /** Removes every preview of an app that is being removed (records kept): nothing could deploy or prune them after. */
  async removeAll(serverId: string, app: string): Promise<void> {
    for (const preview of previewsOf(this.deps.apps.list(serverId), app)) await this.removePreview(preview, 'app-removed', false);
  }

  /** Every app with previews on the servers given: what a periodic sweep goes through. */
  parentsWithPreviews(serverId: string): string[] {
    return [...new Set(this.deps.apps.list(serverId).flatMap((a) => (a.previewOf ? [a.previewOf.app] : [])))];
  }

  private async removePreview(preview: StoredApp, reason: PreviewRemoval['reason'], dropRecords: boolean): Promise<PreviewRemoval> {
    const { serverId, name } = preview;
    const ref = preview.previewOf?.ref ?? '';
    const app = preview.previewOf?.app ?? '';
    for (const job of this.deps.deployments.queued(serverId).filter((d) => d.app === name)) await this.deps.deployments.cancel(serverId, job.id);
    const server = await this.deps.servers(serverId);
    const link = await this.deps.links.acquire(serverId);
    let imagesRemoved: number;
    try {
      await removeAppRuntime(link, server, name);
      imagesRemoved = await removePreviewImages(link.docker, name);
    } finally {
      this.deps.links.release(serverId);
    }
    const why = { user: `Preview of ${ref} removed.`, 'branch-gone': `Preview removed: the branch ${ref} is gone from the remote.`, 'app-removed': `Preview removed with the app ${app}.` }[reason];
    const recordCount = settleRecords(this.deps.store, serverId, name, dropRecords, why, this.now());
    this.deps.apps.remove(serverId, name);
    this.deps.bus.emit('apps.changed', { serverId, name, removed: true });
    const removal: PreviewRemoval = { name, ref, reason, imagesRemoved, records: dropRecords ? 'dropped' : 'kept', recordCount };
    this.deps.bus.emit('previews.removed', { ...removal, serverId, app });
    return removal;
  }
}
