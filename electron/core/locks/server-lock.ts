import { randomBytes } from 'node:crypto';
import type { LockHolder } from '../../../shared/api/rollback';
import { BerthError } from '../../../shared/errors';
import { abortableSleep } from '../deploy/health-probe';
import type { ServerLink } from '../ssh/server-link';
import { ShellSession } from './shell-session';
import { describeHolder, lockPaths, parseRead, parseTake, readScript, releaseScript, takeScript, type LockPaths, type TakeResult } from './lock-script';

export interface LockIdentity {
  owner: string;
  host: string;
  pid: number;
}

export interface LockOptions {
  /** The lock expires this long after its last renewal; it is renewed every third of it. */
  ttlMs: number;
  /** How long to wait for another holder before refusing with LOCKED. */
  waitMs: number;
  /** What the holder is doing, shown to whoever is refused ("rollback #4"). */
  operation: string;
  signal?: AbortSignal;
  /** Told once when the lock is held by someone else and this waits. */
  onWait?: (holder: LockHolder) => void;
  /** Told when a renewal finds the lock is no longer ours (it expired and someone took it). */
  onLost?: (holder: LockHolder | null) => void;
}

export interface HeldLock {
  release(): Promise<void>;
}

const EXEC_TIMEOUT_MS = 15_000;
const RETRY_MS = 500;

/**
 * An app's deploy lock on its server, so two Berth installations never deploy or roll back the same app at once.
 * It is a file on the server naming its holder (owner, host, pid, start time, expiry), renewed while the job runs;
 * one whose holder vanished expires by itself.
 */
export class ServerLock {
  private readonly token = randomBytes(12).toString('hex');
  private readonly daemonIds = new WeakMap<ServerLink, Promise<string>>();

  constructor(private readonly identity: LockIdentity) {}

  async acquire(link: ServerLink, app: string, options: LockOptions): Promise<HeldLock> {
    const paths = lockPaths(await this.daemonId(link), app);
    const fields = { token: this.token, ...this.identity, operation: options.operation };
    const ttlSeconds = Math.ceil(options.ttlMs / 1000);
    const deadline = Date.now() + options.waitMs;
    let told = false;
    for (;;) {
      if (options.signal?.aborted) throw new BerthError('CANCELLED', 'Cancelled while waiting for the deploy lock.');
      const result = await this.run(link, takeScript(paths, fields, ttlSeconds, false));
      if (result.kind === 'ok') break;
      if (result.kind === 'error') throw new BerthError('DOCKER_ERROR', `Could not take the deploy lock of ${app} on ${link.serverId}: ${result.message}`);
      const holder = result.holder;
      if (!holder) continue;
      if (Date.now() + RETRY_MS > deadline) {
        throw new BerthError('LOCKED', `${describeHolder(app, holder)}. Try again when it is done.`, { ...holder, app });
      }
      if (!told) options.onWait?.(holder);
      told = true;
      await abortableSleep(Math.min(RETRY_MS, Math.max(0, deadline - Date.now())), options.signal ?? new AbortController().signal);
    }
    return this.hold(link, paths, fields, ttlSeconds, options);
  }

  /** Who holds the app's lock on this server now, if anyone (an expired lock counts as free). */
  async holder(link: ServerLink, app: string): Promise<LockHolder | null> {
    const found = await this.read(link, app);
    if (!found) return null;
    const { token: _token, ...holder } = found;
    return holder;
  }

  /** Whether another Berth (not this one) holds the app's lock now: it is deploying or rolling back the app. */
  async heldByOther(link: ServerLink, app: string): Promise<boolean> {
    const found = await this.read(link, app);
    return found !== null && found.token !== this.token;
  }

  private async read(link: ServerLink, app: string): Promise<(LockHolder & { token: string }) | null> {
    const paths = lockPaths(await this.daemonId(link), app);
    const result = await ShellSession.of(link).run(readScript(paths), EXEC_TIMEOUT_MS);
    return parseRead(result.output);
  }

  private hold(link: ServerLink, paths: LockPaths, fields: Parameters<typeof takeScript>[1], ttlSeconds: number, options: LockOptions): HeldLock {
    let released = false;
    let renewing: Promise<void> = Promise.resolve();
    const renew = async (): Promise<void> => {
      const result = await this.run(link, takeScript(paths, fields, ttlSeconds, true)).catch(() => null);
      // a dropped connection is retried at the next tick; the lock stays valid until its expiry
      if (result?.kind === 'lost' && !released) options.onLost?.(result.holder);
    };
    const timer = setInterval(() => {
      renewing = renewing.then(renew);
    }, Math.max(1000, (ttlSeconds * 1000) / 3));
    timer.unref();
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await renewing;
        await ShellSession.of(link).run(releaseScript(paths, fields.token), EXEC_TIMEOUT_MS);
      },
    };
  }

  private async run(link: ServerLink, script: string): Promise<TakeResult> {
    const result = await ShellSession.of(link).run(script, EXEC_TIMEOUT_MS);
    if (result.code !== 0) return { kind: 'error', message: result.output.trim() || `exit ${result.code}` };
    return parseTake(result.output);
  }

  private daemonId(link: ServerLink): Promise<string> {
    let id = this.daemonIds.get(link);
    if (!id) {
      id = link.docker.info().then((info: { ID?: string }) => info.ID ?? link.serverId);
      id.catch(() => this.daemonIds.delete(link));
      this.daemonIds.set(link, id);
    }
    return id;
  }
}
