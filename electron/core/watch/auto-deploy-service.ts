import type { AutoDeploySettings, AutoDeployStatus } from '../../../shared/api/auto-deploy';
import { BerthError, toEnvelope } from '../../../shared/errors';
import { openSourceCredentials } from '../apps/git-credentials';
import type { AppStore } from '../apps/app-store';
import type { DeployService } from '../deploy/deploy-service';
import { serverSeqFloor } from '../deploy/seq-floor';
import { isInProgress } from '../deploy/state-machine';
import type { EventBus } from '../events/event-bus';
import type { ReleaseStore } from '../releases/release-store';
import type { LinkProvider } from '../ssh/server-link';
import type { SecretStore } from '../store/secret-store';
import { planAutoDeploy, type Covered } from './auto-deploy-plan';
import { statusOf, type AutoDeployRecord, type AutoDeployStore } from './auto-deploy-store';
import { listRemoteRefs, thisComputer, type RemoteRef } from './remote-refs';

export interface AutoDeployDeps {
  records: AutoDeployStore;
  apps: Pick<AppStore, 'get'>;
  deployments: Pick<DeployService, 'deploy'>;
  releases: Pick<ReleaseStore, 'list' | 'live'>;
  links: LinkProvider;
  secrets: SecretStore;
  bus: EventBus;
  now?: () => Date;
}

/** How many of an app's newest records are looked at for a deployment that already covers a commit. */
const RECENT = 20;

/**
 * Auto-deploy without webhooks: each watched app's remote is asked with `git ls-remote` at its interval, and a new
 * commit on its branch (or a new tag matching its pattern) is deployed, titled by the commit's subject.
 */
export class AutoDeployService {
  private timer: NodeJS.Timeout | undefined;
  private readonly checking = new Map<string, Promise<AutoDeployStatus>>();
  private only: { serverId: string; app: string } | null = null;

  constructor(private readonly deps: AutoDeployDeps) {}

  private now(): Date {
    return (this.deps.now ?? (() => new Date()))();
  }

  status(serverId: string, app: string): AutoDeployStatus {
    return statusOf(serverId, app, this.deps.records.read(serverId, app));
  }

  set(serverId: string, app: string, settings: AutoDeploySettings | null): AutoDeployStatus {
    const stored = this.deps.apps.get(serverId, app);
    if (settings && stored.source.kind !== 'git') {
      throw new BerthError('SOURCE_INVALID', `${app} is deployed from ${stored.source.kind === 'folder' ? 'a folder' : 'an image'}: auto-deploy watches a git repository, so give it a git source first (berth app set ${app} --git URL).`);
    }
    const watchChanged = (current: AutoDeployRecord) => JSON.stringify(current.settings?.watch) !== JSON.stringify(settings?.watch);
    return this.change(serverId, app, (current) => ({
      ...current,
      settings,
      // another branch or pattern starts its own memory: the tags of the old pattern say nothing about the new one
      ...(watchChanged(current) ? { memory: { tagsSeen: null, started: current.memory.started }, lastSeen: null, lastError: null } : {}),
    }));
  }

  pause(serverId: string, app: string): AutoDeployStatus {
    this.deps.apps.get(serverId, app);
    return this.change(serverId, app, (current) => ({ ...current, paused: true }));
  }

  resume(serverId: string, app: string): AutoDeployStatus {
    this.deps.apps.get(serverId, app);
    return this.change(serverId, app, (current) => ({ ...current, paused: false }));
  }

  /** One check now; a check of the same app under way is joined rather than run twice. */
  check(serverId: string, app: string): Promise<AutoDeployStatus> {
    const key = `${serverId}/${app}`;
    const running = this.checking.get(key);
    if (running) return running;
    const started = this.runCheck(serverId, app).finally(() => this.checking.delete(key));
    this.checking.set(key, started);
    return started;
  }

  /**
   * Checks each watched app whose interval has passed, every `tickMs`, for as long as the process runs (the desktop
   * app, the web bridge, `berth watch`). Settings are read again on each tick, so a change made elsewhere applies.
   * Inside an engine the ticks do not keep the process alive; `berth watch`, which does nothing else, asks them to.
   */
  start(tickMs: number, options: { only?: { serverId: string; app: string }; keepAlive?: boolean } = {}): void {
    if (this.timer) return;
    this.only = options.only ?? null;
    const tick = (): void => {
      for (const { serverId, app } of this.due()) void this.check(serverId, app).catch(() => undefined);
    };
    tick();
    this.timer = setInterval(tick, tickMs);
    if (!options.keepAlive) this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.checking.values()]);
  }

  private due(): Array<{ serverId: string; app: string }> {
    const at = this.now().getTime();
    return this.deps.records.watched().filter(({ serverId, app }) => {
      if (this.only && (this.only.serverId !== serverId || this.only.app !== app)) return false;
      const record = this.deps.records.read(serverId, app);
      if (record.paused || !record.settings) return false;
      const last = record.lastCheckAt ? Date.parse(record.lastCheckAt) : 0;
      return at - last >= record.settings.intervalSec * 1000;
    });
  }

  private async runCheck(serverId: string, app: string): Promise<AutoDeployStatus> {
    const record = this.deps.records.read(serverId, app);
    if (!record.settings) throw new BerthError('INVALID_INPUT', `${app} has no auto-deploy settings: set a branch or a tag pattern to watch first.`);
    if (record.paused) return statusOf(serverId, app, record);
    const settings = record.settings;
    const at = this.now().toISOString();
    let refs: RemoteRef[];
    try {
      refs = await this.listRefs(serverId, app, settings);
    } catch (error) {
      return this.change(serverId, app, (current) => ({ ...current, lastCheckAt: at, lastError: toEnvelope(error) }));
    }
    const plan = planAutoDeploy(settings.watch, refs, record.memory, this.covered(serverId, app));
    let lastDeployment = record.lastDeployment;
    if (plan.deploy) {
      const floor = await serverSeqFloor(this.deps.links, serverId, app);
      const queued = this.deps.deployments.deploy({ serverId, app, trigger: 'auto', ref: plan.deploy.ref }, floor);
      lastDeployment = { id: queued.id, seq: queued.seq, ref: plan.deploy.ref, hash: plan.deploy.hash, at };
    }
    const lastError = plan.problem ? new BerthError('GIT_FAILED', `${plan.problem} Check the auto-deploy settings of ${app}.`).toEnvelope() : null;
    return this.change(serverId, app, (current) => ({ ...current, lastCheckAt: at, lastSeen: plan.seen, lastDeployment, lastError, memory: plan.memory }));
  }

  private async listRefs(serverId: string, app: string, settings: AutoDeploySettings): Promise<RemoteRef[]> {
    const stored = this.deps.apps.get(serverId, app);
    if (stored.source.kind !== 'git') throw new BerthError('SOURCE_INVALID', `${app} no longer has a git source: auto-deploy has nothing to watch.`);
    const query = { url: stored.source.url, kinds: [settings.watch.kind], credentials: await openSourceCredentials(stored.source, this.deps.secrets) };
    if (settings.from === 'computer') return listRemoteRefs(thisComputer, query);
    const link = await this.deps.links.acquire(serverId);
    try {
      return await listRemoteRefs(link, query);
    } finally {
      this.deps.links.release(serverId);
    }
  }

  /** Commits a deployment already covers: those queued or running (by hash or by the ref asked for) and the live one. */
  private covered(serverId: string, app: string): Covered {
    const hashes = new Set<string>();
    const refs = new Set<string>();
    for (const d of this.deps.releases.list(serverId, { app, limit: RECENT })) {
      if (!isInProgress(d.status)) continue;
      if (d.source.commit) hashes.add(d.source.commit.hash);
      if (d.source.source.kind === 'git') refs.add(d.source.source.ref);
    }
    const live = this.deps.releases.live(serverId, app);
    if (live?.source.commit) hashes.add(live.source.commit.hash);
    return { hashes, refs };
  }

  private change(serverId: string, app: string, change: (current: AutoDeployRecord) => AutoDeployRecord): AutoDeployStatus {
    const status = statusOf(serverId, app, this.deps.records.update(serverId, app, change));
    this.deps.bus.emit('autoDeploy.changed', status);
    return status;
  }
}
