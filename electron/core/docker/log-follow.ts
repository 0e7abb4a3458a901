import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError } from '../../../shared/errors';
import type { LinkProvider, ServerLink } from '../ssh/server-link';
import { LogLineDecoder, ResumePoint, type LogLine } from './log-lines';

export type { LogLine } from './log-lines';

/** A LinkProvider that can say when a dropped server is back (the ConnectionPool). */
export interface FollowLinks extends LinkProvider {
  whenConnected(serverId: string, signal?: AbortSignal): Promise<void>;
}

export interface FollowOptions {
  /** Lines of history before following; all when absent. Applies to the first opening only. */
  tail?: number;
  /** Unix seconds (or Docker's `seconds.nanoseconds`) to start from. Applies to the first opening only. */
  since?: number | string;
  signal?: AbortSignal;
  /** The server dropped; the follow waits for the pool to reconnect and then resumes. */
  onReconnecting?: (reason: BerthError) => void;
  onResumed?: () => void;
}

/** How a follow ended: the container stopped (its log stream ended), or the caller aborted. */
export type FollowEnd = 'ended' | 'aborted';

type Round = FollowEnd | { dropped: BerthError };

/**
 * Follows a container's stdout and stderr as timestamped lines. When the server's connection drops, it waits for
 * the pool to reconnect and reopens the logs from the last timestamp seen, delivering each line exactly once.
 * Holds a lease on the server for as long as it runs. `onLine` must not throw.
 */
export async function followContainerLogs(
  links: FollowLinks,
  serverId: string,
  containerId: string,
  options: FollowOptions,
  onLine: (line: LogLine) => void,
): Promise<FollowEnd> {
  const link = await acquireFollowing(links, serverId, options.signal);
  const resume = new ResumePoint();
  try {
    for (let round = 0; ; round += 1) {
      if (options.signal?.aborted) return 'aborted';
      const since = resume.since() ?? options.since;
      const params = { ...(since !== undefined ? { since } : {}), ...(round === 0 && options.tail !== undefined ? { tail: options.tail } : {}) };
      const outcome = await followOnce(link, containerId, params, resume, onLine, options.signal).catch((error: unknown): Round => {
        if (isDrop(error)) return { dropped: asDrop(error) };
        throw asDockerError(error, containerId);
      });
      if (outcome === 'ended' || outcome === 'aborted') return outcome;
      options.onReconnecting?.(outcome.dropped);
      try {
        await links.whenConnected(serverId, options.signal);
        // A stream can also break with the connection still up (a daemon restart): do not spin on it.
        await sleep(100, undefined, options.signal ? { signal: options.signal } : {});
      } catch (error) {
        if (options.signal?.aborted) return 'aborted';
        throw error;
      }
      resume.rewind();
      options.onResumed?.();
    }
  } finally {
    links.release(serverId);
  }
}

const TRANSIENT = new Set(['SSH_DISCONNECTED', 'CONNECTION_REFUSED', 'CONNECT_TIMEOUT']);

/**
 * The link, once the server answers: a follow that takes over from another one when the connection just dropped
 * starts while the pool is still reconnecting, and must wait for it rather than end.
 */
async function acquireFollowing(links: FollowLinks, serverId: string, signal: AbortSignal | undefined): Promise<ServerLink> {
  for (;;) {
    try {
      return await links.acquire(serverId);
    } catch (error) {
      if (!(error instanceof BerthError) || !TRANSIENT.has(error.code) || signal?.aborted) throw error;
      await links.whenConnected(serverId, signal);
      await sleep(100, undefined, signal ? { signal } : {});
    }
  }
}

async function followOnce(
  link: ServerLink,
  containerId: string,
  params: { since?: number | string; tail?: number },
  resume: ResumePoint,
  onLine: (line: LogLine) => void,
  signal: AbortSignal | undefined,
): Promise<Round> {
  const container = link.docker.getContainer(containerId);
  const info = await container.inspect();
  const stream = (await container.logs({ follow: true, stdout: true, stderr: true, timestamps: true, ...params } as never)) as unknown as Readable;
  const decoder = new LogLineDecoder(!info.Config.Tty);
  return new Promise<Round>((resolve) => {
    let done = false;
    const finish = (outcome: Round): void => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      stream.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => finish('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      for (const line of decoder.push(chunk)) if (resume.admit(line)) onLine(line);
    });
    stream.on('end', () => finish('ended'));
    stream.on('error', (error: Error) => finish({ dropped: asDrop(error) }));
    stream.on('close', () => finish({ dropped: new BerthError('SSH_DISCONNECTED', 'The log stream closed before it ended.') }));
    if (signal?.aborted) onAbort();
  });
}

function isDrop(error: unknown): boolean {
  if (error instanceof BerthError) return error.code === 'SSH_DISCONNECTED';
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

function asDrop(error: unknown): BerthError {
  if (error instanceof BerthError) return error;
  return new BerthError('SSH_DISCONNECTED', `The log stream broke: ${error instanceof Error ? error.message : String(error)}.`);
}

function asDockerError(error: unknown, containerId: string): BerthError {
  if (error instanceof BerthError) return error;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (status === 404) return new BerthError('DOCKER_ERROR', `Container ${containerId} does not exist (any more) on this server.`, { statusCode: 404 });
  return new BerthError('DOCKER_ERROR', `Following the logs of ${containerId} failed: ${error instanceof Error ? error.message : String(error)}`);
}
