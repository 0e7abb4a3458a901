import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Deployment, DeploymentTrigger, ProbeLine } from '../../../shared/api/deployments';
import type { RollbackInput, RollbackMode, RollbackPlan, RollbackPoint } from '../../../shared/api/rollback';
import { BerthError } from '../../../shared/errors';
import type { AppStore } from '../apps/app-store';
import type { DeployService } from '../deploy/deploy-service';
import { currentOwner, ownerLabel } from '../deploy/owner';
import { isInProgress } from '../deploy/state-machine';
import { summaryOf } from '../deploy/pipeline';
import type { EventBus } from '../events/event-bus';
import type { BerthPaths } from '../home';
import type { ImageCache } from '../registry/image-cache';
import type { ReleaseStore } from '../releases/release-store';
import type { LinkProvider, ServerLink } from '../ssh/server-link';
import type { SecretStore } from '../store/secret-store';
import { capabilityOf } from './capability';
import type { ImageLocator } from './image-locator';
import { imagesInUse, markRemoved, removeReleaseImage, assertRemovable } from './image-pruning';
import { deletionRefusal, wentLive } from './image-retention';
import { diffEnv, diffFields, notUndone, secretsKept, unchangedFields, type OpenEnvVar } from './rollback-plan';
import type { RollbackSettingsStore } from './rollback-settings';

type ParsedRollbackInput = z.output<typeof RollbackInput>;

export interface RollbackServiceDeps {
  store: ReleaseStore;
  apps: AppStore;
  deploy: DeployService;
  settings: RollbackSettingsStore;
  locator: ImageLocator;
  cache: ImageCache;
  links: LinkProvider;
  bus: EventBus;
  secrets: SecretStore;
  paths: BerthPaths;
  now?: () => Date;
}

/** Checks of many releases stop here; older ones are left to what their records say. */
const DEEP_CHECKS = 30;

/**
 * Rollbacks and redeploys: plans them (the diff from what is live, and whether the release can run), refuses the
 * ones that cannot before anything changes, and queues the others as new deployments that run the release's exact
 * snapshot (or its image with today's config) through the same zero-downtime path as a deploy.
 */
export class RollbackService {
  constructor(private readonly deps: RollbackServiceDeps) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  records(serverId: string, app: string): Deployment[] {
    return this.deps.store.list(serverId, { app });
  }

  /** A deployment id, or a seq within the app. */
  resolveTarget(serverId: string, app: string, target: string | number): Deployment {
    const records = this.deps.store.list(serverId, { app });
    const seq = typeof target === 'number' ? target : /^#?\d+$/.test(target) ? Number(target.replace('#', '')) : null;
    const found = seq !== null ? records.find((d) => d.seq === seq) : records.find((d) => d.id === target);
    if (!found) throw new BerthError('DEPLOYMENT_NOT_FOUND', `${app} has no deployment ${seq !== null ? `#${seq}` : target} on server ${serverId}.`);
    return found;
  }

  /** One release's capability, checked live on the server (and, with `connect`, on servers not connected yet). */
  async check(link: ServerLink, d: Deployment, options: { connect: boolean; images?: Set<string> }): Promise<RollbackPoint> {
    const images = options.images ?? (await this.deps.locator.serverImages(link, true));
    const onServer = d.image ? images.has(d.image.id) : false;
    const searchElsewhere = !onServer && wentLive(d) && d.imageRemoved?.by !== 'user';
    const located = searchElsewhere ? await this.deps.locator.locate(link, d, options) : null;
    return capabilityOf(d, { onServer, located });
  }

  /** Every release of the app with its capability; the newest releases are searched for beyond the server. */
  async points(link: ServerLink, records: readonly Deployment[], options: { fresh: boolean } = { fresh: true }): Promise<RollbackPoint[]> {
    // a record still in progress or without an image is judged from itself: no need to ask the server
    if (records.every((d) => !d.image || isInProgress(d.status))) return records.map((d) => capabilityOf(d, { onServer: false, located: null }));
    const ids = await this.deps.locator.serverImages(link, options.fresh);
    const out: RollbackPoint[] = [];
    let deep = 0;
    for (const d of records) {
      const onServer = d.image ? ids.has(d.image.id) : false;
      if (onServer || !wentLive(d) || d.imageRemoved?.by === 'user' || deep >= DEEP_CHECKS) {
        out.push(capabilityOf(d, { onServer, located: null }));
        continue;
      }
      deep++;
      out.push(await this.check(link, d, { connect: false, images: ids }));
    }
    return out;
  }

  async plan(link: ServerLink, input: ParsedRollbackInput): Promise<RollbackPlan> {
    const app = this.deps.apps.get(input.serverId, input.app);
    const target = this.resolveTarget(input.serverId, input.app, input.target);
    const live = this.deps.store.live(input.serverId, input.app);
    const point = await this.check(link, target, { connect: true });
    const next = input.mode === 'exact' ? target.config : app.runtime;
    const warnings: string[] = [];
    if (live?.id === target.id && input.mode === 'exact') warnings.push(`#${target.seq} is already live: this starts the same release again.`);
    if (point.capable && point.via !== 'server') warnings.push(point.reason);
    if (next.published.length > 0 && live) warnings.push('The app publishes ports on the server, which two containers cannot share: the live version stops just before this one starts.');
    if (target.releaseNote) warnings.push(`Note on #${target.seq} by ${target.releaseNote.by}, ${target.releaseNote.at.slice(0, 10)}: ${target.releaseNote.text}`);
    if (target.autoRollback) warnings.push(`#${target.seq} was rolled back automatically on ${target.autoRollback.at.slice(0, 10)}: ${target.autoRollback.reason}`);
    const envNow = await this.openEnv(live?.config.env ?? []);
    const envNext = await this.openEnv(next.env);
    return {
      serverId: input.serverId,
      app: input.app,
      mode: input.mode,
      target: { id: target.id, seq: target.seq, title: target.title, status: target.status },
      live: live ? { id: live.id, seq: live.seq } : null,
      capable: point.capable,
      reason: point.reason,
      via: point.via,
      refusal: point.capable || !point.code ? null : { code: point.code, message: point.reason, details: { deploymentId: target.id } },
      image: { from: live?.image ?? null, to: target.image, changed: live?.image?.id !== target.image?.id },
      env: diffEnv(envNow, envNext),
      changes: diffFields(live?.config ?? null, next),
      unchanged: unchangedFields(live?.config ?? null, next),
      secretsKept: secretsKept(envNow, envNext),
      notUndone: notUndone(next, target.seq),
      warnings,
    };
  }

  /** Queues the rollback (or redeploy) as a new deployment, or refuses it before anything changes. */
  async rollback(link: ServerLink, input: ParsedRollbackInput, trigger: DeploymentTrigger = 'user'): Promise<Deployment> {
    const app = this.deps.apps.get(input.serverId, input.app);
    const target = this.resolveTarget(input.serverId, input.app, input.target);
    const point = await this.check(link, target, { connect: true });
    if (!point.capable) throw new BerthError(point.code ?? 'NOT_ROLLBACK_CAPABLE', point.reason, { deploymentId: target.id });
    const config = input.mode === 'exact' ? structuredClone(target.config) : structuredClone(app.runtime);
    return this.deps.deploy.submit(target.serverId, target.app, (seq) =>
      this.newRecord(target, input.mode, trigger, { config, retention: app.retention, title: input.title }, seq),
    );
  }

  /**
   * The watch window saw a live release fail: its previous release runs again as an automatic rollback, and the
   * failed one says why (it becomes rolled-back once the rollback is live).
   */
  autoRollback(failed: Deployment, previous: Deployment, reason: string, probes: ProbeLine[]): Deployment | null {
    const current = this.deps.store.find(failed.serverId, failed.id);
    if (current?.status !== 'live') return null;
    const queued = this.deps.deploy.submit(previous.serverId, previous.app, (seq) =>
      this.newRecord(previous, 'exact', 'auto-rollback', {
        config: structuredClone(previous.config),
        retention: current.retention,
        title: `Automatic rollback to #${previous.seq}`,
        description: reason,
      }, seq),
    );
    const marked = this.deps.store.save({
      ...current,
      error: { code: 'HEALTH_CHECK_FAILED', message: `${reason}. Rolled back automatically to #${previous.seq} (#${queued.seq}).` },
      autoRollback: { at: this.now().toISOString(), by: 'berth', phase: 'watch', reason, revertedTo: previous.id, rollbackId: queued.id, probes },
    });
    this.deps.bus.emit('deployments.changed', summaryOf(marked));
    const message = `${failed.app} #${failed.seq} failed its health check after going live; rolling back to #${previous.seq}.`;
    this.deps.bus.emit('notifications.autoRolledBack', { serverId: failed.serverId, app: failed.app, deploymentId: failed.id, seq: failed.seq, revertedTo: previous.id, rollbackId: queued.id, message });
    this.deps.bus.emit('notifications.healthCheckFailed', { serverId: failed.serverId, app: failed.app, deploymentId: failed.id, seq: failed.seq, message });
    return queued;
  }

  pin(serverId: string, deploymentId: string, pinned: boolean): Deployment {
    const d = this.deps.store.get(serverId, deploymentId);
    const saved = this.deps.store.save({ ...d, pinned });
    this.deps.bus.emit('deployments.changed', summaryOf(saved));
    return saved;
  }

  /** A note on a release, signed with who wrote it; empty text takes it away. */
  note(serverId: string, deploymentId: string, text: string): Deployment {
    const { releaseNote: _old, ...d } = this.deps.store.get(serverId, deploymentId);
    const saved = this.deps.store.save(text === '' ? d : { ...d, releaseNote: { text, at: this.now().toISOString(), by: ownerLabel(currentOwner()) } });
    this.deps.bus.emit('deployments.changed', summaryOf(saved));
    return saved;
  }

  /** Removes a release's image from the server and this computer's cache; never the live one or one still in use. */
  async deletePoint(link: ServerLink, deploymentId: string): Promise<Deployment> {
    const serverId = link.serverId;
    const d = this.deps.store.get(serverId, deploymentId);
    const records = this.deps.store.list(serverId, { app: d.app });
    const inUse = await imagesInUse(link.docker);
    assertRemovable(deletionRefusal(d, records, inUse), d.seq);
    const imageId = d.image?.id ?? '';
    const registry = await this.deps.settings.registryAccess(serverId, d.app);
    const tags = (await link.docker.listImages({ all: false })).find((i) => i.Id === imageId)?.RepoTags;
    if (tags && !(await removeReleaseImage(link.docker, imageId, tags, d.app, registry))) {
      throw new BerthError('DOCKER_ERROR', `The image of #${d.seq} is still on the server: a container started on it meanwhile.`);
    }
    this.deps.cache.remove(serverId, d.app, imageId);
    this.deps.locator.forget(serverId);
    const sharing = records.filter((r) => r.image?.id === imageId).map((r) => r.id);
    markRemoved({ store: this.deps.store, cache: this.deps.cache, bus: this.deps.bus, now: this.deps.now }, serverId, sharing, 'user');
    return this.deps.store.get(serverId, deploymentId);
  }

  private newRecord(
    target: Deployment,
    mode: RollbackMode,
    trigger: DeploymentTrigger,
    fields: { config: Deployment['config']; retention: Deployment['retention']; title?: string | undefined; description?: string },
    seq: number,
  ): Deployment {
    const { serverId, app } = target;
    const id = `${app}-${seq}-${randomBytes(3).toString('hex')}`;
    const live = this.deps.store.live(serverId, app);
    const title = fields.title ?? (mode === 'exact' ? `Rollback to #${target.seq}` : `Redeploy #${target.seq} with the current config`);
    return {
      id,
      serverId,
      app,
      seq,
      kind: mode === 'exact' ? 'rollback' : 'redeploy',
      trigger,
      title,
      description: fields.description ?? (target.title ? `#${target.seq}: ${target.title}` : ''),
      status: 'queued',
      error: null,
      note: null,
      timestamps: { queued: this.now().toISOString() },
      finishedAt: null,
      runtime: null,
      source: structuredClone(target.source),
      build: target.build,
      config: fields.config,
      retention: fields.retention,
      image: target.image,
      slot: null,
      containers: [],
      switch: null,
      logPath: this.deps.paths.deploymentLog(serverId, id),
      rolledBackFrom: live?.id ?? null,
      target: target.id,
      supersededBy: null,
    };
  }

  private async openEnv(env: Deployment['config']['env']): Promise<OpenEnvVar[]> {
    const out: OpenEnvVar[] = [];
    for (const v of env) out.push({ key: v.key, secret: v.secret, value: v.secret ? (v.sealed ? await this.deps.secrets.open(v.sealed) : '') : (v.value ?? '') });
    return out;
  }
}
