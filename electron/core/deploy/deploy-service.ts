import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { z } from 'zod';
import type { DeployInput, Deployment, DeploymentSummary } from '../../../shared/api/deployments';
import { archiveRequired, type ArchiveDrops, type ReadyArchive } from '../archive/archive-drops';
import type { AppStore, StoredApp } from '../apps/app-store';
import type { BerthPaths } from '../home';
import { runDeployment, summaryOf, type PipelineDeps } from './pipeline';
import { DeployQueue } from './queue';
import { isInProgress, transition } from './state-machine';
import { currentOwner } from './owner';

type ParsedDeployInput = z.output<typeof DeployInput>;

export interface DeployServiceDeps extends PipelineDeps {
  apps: AppStore;
  paths: BerthPaths;
  archives: ArchiveDrops;
}

/**
 * The deployments of every server: takes requests, records them as queued, runs them one per app in order, and
 * cancels exactly the job asked for.
 */
export class DeployService {
  readonly queue: DeployQueue;

  constructor(private readonly deps: DeployServiceDeps) {
    this.queue = new DeployQueue((job, signal) =>
      runDeployment(deps, job.serverId, job.id, signal)
        .then(() => undefined)
        .finally(() => deps.archives.release(job.id)),
    );
  }

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  /**
   * Records a new build-and-deploy of the app's current definition, or of the archive checked for it by
   * archiveFor, and puts it in the app's queue.
   */
  deploy(input: ParsedDeployInput, seqOnServer = 0, archive?: ReadyArchive): Deployment {
    const app = this.deps.apps.get(input.serverId, input.app);
    if (!archive) archiveRequired(app);
    return this.submit(app.serverId, app.name, (seq) => this.newDeployment(app, input, seq, archive), seqOnServer);
  }

  /** Checks the archive a deployment asks for, before anything is recorded; undefined when it builds the app's source. */
  archiveFor(input: ParsedDeployInput): Promise<ReadyArchive | undefined> {
    return this.deps.archives.check(this.deps.apps.get(input.serverId, input.app), input.archive);
  }

  /**
   * Records and queues a new deployment of an app, built around the seq allocated for it (queued, with its
   * snapshot; a rollback or redeploy also carries its image). The entry point for other kinds of deployment.
   */
  submit(serverId: string, app: string, build: (seq: number) => Deployment, seqOnServer = 0): Deployment {
    const saved = this.deps.store.create(serverId, app, (seq) => ({ ...build(seq), owner: currentOwner() }), seqOnServer);
    this.deps.bus.emit('deployments.changed', summaryOf(saved));
    this.queue.enqueue({ serverId: saved.serverId, app: saved.app, id: saved.id });
    return saved;
  }

  async cancel(serverId: string, id: string): Promise<Deployment> {
    const record = this.deps.store.get(serverId, id);
    if (!isInProgress(record.status)) return record;
    if (this.queue.dequeue(serverId, record.app, id)) {
      await this.deps.archives.release(id);
      return this.save(transition(record, 'cancelled', this.now(), { error: { code: 'CANCELLED', message: 'Cancelled before it started.' } }));
    }
    const settled = this.queue.abort(id);
    if (settled) {
      await settled;
      return this.deps.store.get(serverId, id);
    }
    // a record left in progress by an engine that is gone: nothing runs it any more
    return this.save(transition(record, 'interrupted', this.now(), { error: { code: 'INTERRUPTED', message: 'No Berth process was running this deployment.' } }));
  }

  list(serverId: string, filter: { app?: string | undefined; limit: number; before?: number | undefined }): Deployment[] {
    return this.deps.store.list(serverId, filter);
  }

  /** Each app's live record, looked up per app rather than among the newest records of the server. */
  liveReleases(serverId: string, app?: string): Deployment[] {
    const names = app !== undefined ? [app] : this.deps.apps.list(serverId).map((a) => a.name);
    return names.map((name) => this.deps.store.live(serverId, name)).filter((d): d is Deployment => d !== undefined);
  }

  get(serverId: string, id: string): Deployment {
    return this.deps.store.get(serverId, id);
  }

  queued(serverId?: string): DeploymentSummary[] {
    return this.queue
      .snapshot()
      .filter((job) => serverId === undefined || job.serverId === serverId)
      .map((job) => this.deps.store.find(job.serverId, job.id))
      // a job that went live may still be retiring the previous version; it no longer counts as waiting or running
      .filter((d): d is Deployment => d !== undefined && isInProgress(d.status))
      .map(summaryOf);
  }

  async close(): Promise<void> {
    for (const job of await this.queue.abortAll()) {
      const record = this.deps.store.find(job.serverId, job.id);
      if (record && record.status === 'queued') {
        this.save(transition(record, 'interrupted', this.now(), { error: { code: 'INTERRUPTED', message: 'Berth was closing before this deployment started.' } }));
      }
    }
    await this.deps.archives.close();
  }

  private save(record: Deployment): Deployment {
    const saved = this.deps.store.save(record);
    this.deps.bus.emit('deployments.changed', summaryOf(saved));
    return saved;
  }

  private newDeployment(app: StoredApp, input: ParsedDeployInput, seq: number, archive: ReadyArchive | undefined): Deployment {
    const id = `${app.name}-${seq}-${randomBytes(3).toString('hex')}`;
    const source: StoredApp['source'] = archive
      ? { kind: 'archive', root: archive.archive.info.root }
      : input.ref !== undefined && app.source.kind === 'git'
        ? { ...app.source, ref: input.ref }
        : app.source;
    if (archive) this.deps.archives.hold(id, archive);
    const at = this.now().toISOString();
    return {
      id,
      serverId: app.serverId,
      app: app.name,
      seq,
      kind: 'deploy',
      trigger: input.trigger,
      title: input.title ?? (archive ? `Deploy ${archive.archive.info.name}` : defaultTitle(source)),
      description: input.description ?? '',
      status: 'queued',
      error: null,
      note: null,
      timestamps: { queued: at },
      finishedAt: null,
      runtime: null,
      source: archive ? { source, commit: null, archive: archive.archive.info } : { source, commit: null },
      build: { ...app.build, clean: input.clean ?? app.build.clean },
      config: structuredClone(app.runtime),
      retention: app.retention,
      image: null,
      slot: null,
      containers: [],
      switch: null,
      logPath: this.deps.paths.deploymentLog(app.serverId, id),
      rolledBackFrom: null,
      target: null,
      supersededBy: null,
    };
  }
}

/** Git deployments take their title from the commit message once it is known. */
function defaultTitle(source: StoredApp['source']): string {
  switch (source.kind) {
    case 'folder':
      return `Deploy from ${basename(source.path)}`;
    case 'image':
      return `Deploy ${source.image}`;
    case 'git':
    case 'archive':
      return '';
  }
}
