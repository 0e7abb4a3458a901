import { randomBytes } from 'node:crypto';
import type { AppLogLine } from '../../../shared/api/logs';
import { BerthError } from '../../../shared/errors';
import { followContainerLogs, type FollowLinks, type LogLine } from '../docker/log-follow';
import { timestampNanos } from '../docker/log-lines';
import { LABEL, labelFilter } from '../deploy/labels';
import type { ServerLink } from '../ssh/server-link';
import { canTail, tailJsonLog } from './json-log-tail';
import { LogRing } from './log-ring';
import { SecretMask } from './secret-mask';

const RING_LINES = 2_000;
/** Characters of text the ring keeps: 2,000 lines of up to 64 KiB each would be 128 MiB. */
const RING_CHARS = 8 * 1024 * 1024;
const FLUSH_MS = 50;
const MAX_BATCH = 500;

export interface FollowRequest {
  serverId: string;
  app: string;
  tail: number;
  since?: number | string | undefined;
  timestamps: boolean;
}

export type LinesListener = (batch: { followId: string; serverId: string; app: string; lines: AppLogLine[] }) => void;
export type EndListener = (end: { followId: string; reason: string }) => void;

/** The secret values an app's containers may print: those of its definition and of its recent releases. */
export type AppSecrets = (serverId: string, app: string) => Promise<string[]>;

interface Follow {
  id: string;
  request: FollowRequest;
  ring: LogRing<AppLogLine>;
  mask: SecretMask;
  controller: AbortController;
  pending: AppLogLine[];
  timer: NodeJS.Timeout | undefined;
  onLines: LinesListener;
}

/**
 * Follows the runtime logs of an app's running containers (every replica, stdout and stderr apart), hands them to
 * the subscriber in batches and keeps the most recent lines in a bounded ring. A follow survives reconnects of the
 * server link and ends when its containers stop or the subscriber goes away.
 */
export class AppLogs {
  private readonly follows = new Map<string, Follow>();

  constructor(
    private readonly links: FollowLinks,
    private readonly secretsOf: AppSecrets = async () => [],
  ) {}

  async follow(request: FollowRequest, onLines: LinesListener, onEnd: EndListener, signal?: AbortSignal): Promise<{ followId: string; containers: string[] }> {
    // the lease is held for as long as the follow runs
    const link = await this.links.acquire(request.serverId);
    let containers: Array<{ id: string; name: string; logPath: string | null }>;
    try {
      const list = await link.docker.listContainers({ filters: { label: labelFilter({ [LABEL.app]: request.app, [LABEL.role]: 'app' }) } });
      containers = await Promise.all(list.map(async (c) => ({ id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ''), logPath: await tailablePath(link, c.Id, request) })));
      if (containers.length === 0) throw new BerthError('APP_NOT_FOUND', `${request.app} has no running container on ${request.serverId} to follow.`);
    } catch (error) {
      this.links.release(request.serverId);
      throw error;
    }
    const mask = new SecretMask();
    mask.add(await this.secretsOf(request.serverId, request.app).catch(() => []));
    const follow: Follow = {
      id: `f-${randomBytes(6).toString('hex')}`,
      request,
      ring: new LogRing<AppLogLine>(RING_LINES, { weigh: (line) => line.text.length, maxWeight: RING_CHARS }),
      mask,
      controller: new AbortController(),
      pending: [],
      timer: undefined,
      onLines,
    };
    this.follows.set(follow.id, follow);
    signal?.addEventListener('abort', () => this.unfollow(follow.id), { once: true });

    const runs = containers.map(async ({ id, name, logPath }) => {
      let last = '';
      const onLine = (line: LogLine): void => {
        last = line.timestamp;
        this.add(follow, name, line);
      };
      const signal = follow.controller.signal;
      const viaApi = (from: { tail?: number; since?: number | string }) => followContainerLogs(this.links, request.serverId, id, { ...from, signal }, onLine);
      if (logPath === null) return viaApi({ tail: request.tail, ...(request.since !== undefined ? { since: request.since } : {}) });
      try {
        return await tailJsonLog(link, { id, logPath }, { tail: request.tail, signal }, onLine);
      } catch {
        // the tail's session failed (no session left, the link dropped): the daemon's endpoint takes over after the
        // last line delivered, and reconnects by itself
        const after = sinceAfter(last);
        return viaApi(after === null ? { tail: request.tail } : { since: after });
      }
    });
    void Promise.allSettled(runs).then((results) => {
      this.links.release(request.serverId);
      this.flush(follow);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      const reason = follow.controller.signal.aborted ? 'unfollowed' : failed ? String((failed.reason as Error).message ?? failed.reason) : 'containers stopped';
      this.follows.delete(follow.id);
      onEnd({ followId: follow.id, reason });
    });
    return { followId: follow.id, containers: containers.map((c) => c.name) };
  }

  unfollow(followId: string): boolean {
    const follow = this.follows.get(followId);
    if (!follow) return false;
    follow.controller.abort();
    return true;
  }

  recent(followId: string, limit: number): { lines: AppLogLine[]; dropped: number } {
    const follow = this.follows.get(followId);
    if (!follow) throw new BerthError('INVALID_INPUT', `There is no log follow ${followId}; it may have ended.`);
    return { lines: follow.ring.toArray(limit), dropped: follow.ring.dropped };
  }

  closeAll(): void {
    for (const id of [...this.follows.keys()]) this.unfollow(id);
  }

  private add(follow: Follow, container: string, line: LogLine): void {
    const text = follow.mask.apply(line.text);
    const entry: AppLogLine = follow.request.timestamps ? { stream: line.stream, text, at: line.timestamp, container } : { stream: line.stream, text, container };
    follow.ring.push(entry);
    follow.pending.push(entry);
    if (follow.pending.length >= MAX_BATCH) this.flush(follow);
    else follow.timer ??= setTimeout(() => this.flush(follow), FLUSH_MS);
  }

  private flush(follow: Follow): void {
    if (follow.timer) clearTimeout(follow.timer);
    follow.timer = undefined;
    if (follow.pending.length === 0) return;
    const lines = follow.pending;
    follow.pending = [];
    follow.onLines({ followId: follow.id, serverId: follow.request.serverId, app: follow.request.app, lines });
  }
}

/** Docker's `since` (seconds.nanoseconds, inclusive) just after an RFC 3339 timestamp; null without one. */
export function sinceAfter(timestamp: string): string | null {
  const ns = timestampNanos(timestamp);
  if (ns === null) return null;
  const next = ns + 1n;
  return `${next / 1_000_000_000n}.${(next % 1_000_000_000n).toString().padStart(9, '0')}`;
}

/** The container's json-file log when it can be tailed directly on the server (fast path), else null. */
async function tailablePath(link: ServerLink, id: string, request: FollowRequest): Promise<string | null> {
  if (request.since !== undefined) return null;
  const info = await link.docker.getContainer(id).inspect();
  if (info.HostConfig.LogConfig?.Type !== 'json-file' || !info.LogPath) return null;
  return (await canTail(link, info.LogPath)) ? info.LogPath : null;
}
