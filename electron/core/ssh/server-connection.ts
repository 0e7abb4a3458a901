import { EventEmitter } from 'node:events';
import type { ConnectionState, ServerStatus } from '../../../shared/api/servers';
import { BerthError } from '../../../shared/errors';
import type { EventBus } from '../events/event-bus';
import { backoffDelay, type BackoffOptions } from './backoff';
import { openSshConnection, type ConnectOptions } from './connection';
import { DockerStreams } from './docker-streams';
import { isRetryable } from './errors';
import { SshServerLink, type Live } from './ssh-link';
import type { SshTarget } from './target';

export interface ServerConnectionOptions {
  serverId: string;
  bus: EventBus;
  /** Read again before every attempt, so an edited server is reached the new way at the next connect. */
  describe(): Promise<{ target: SshTarget; socketPath: string; name: string }>;
  connect: Omit<ConnectOptions, 'signal' | 'onHostKeyPrompt'>;
  backoff: BackoffOptions;
  /** How long a connection nobody leases stays open, so consecutive calls do not each pay a handshake. */
  idleCloseMs: number;
}

/**
 * One server's SSH connection and its life: connects on demand, reconnects with backoff while anyone holds a
 * lease, never retries what needs the user (credentials, host keys), and reports every state change on the bus.
 */
export class ServerConnection {
  readonly link: SshServerLink;
  private leases = 0;
  private current: ServerStatus;
  private live: Live | undefined;
  private pending: Promise<Live> | undefined;
  private pendingAbort: AbortController | undefined;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly changes = new EventEmitter();

  constructor(private readonly options: ServerConnectionOptions) {
    this.current = { serverId: options.serverId, state: 'idle', since: new Date().toISOString() };
    this.changes.setMaxListeners(0);
    this.link = new SshServerLink(options.serverId, () => this.ensure(), () => this.live?.streams.limit ?? 64);
  }

  status(): ServerStatus {
    return this.current;
  }

  async acquire(): Promise<void> {
    this.leases += 1;
    clearTimeout(this.idleTimer);
    try {
      await this.connect();
    } catch (error) {
      this.release();
      throw error;
    }
  }

  release(): void {
    this.leases = Math.max(0, this.leases - 1);
    if (this.leases > 0) return;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      const { retryAt: _cancelled, ...status } = this.current;
      this.publish({ ...status, since: new Date().toISOString() });
    }
    const live = this.live;
    if (live) {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => void live.connection.close(), this.options.idleCloseMs);
      this.idleTimer.unref();
    }
  }

  /** Resolves once connected; rejects when the server needs the user, nobody leases it any more, or on abort. */
  whenConnected(signal?: AbortSignal): Promise<void> {
    if (this.live) return Promise.resolve();
    if (this.closed) return Promise.reject(this.closedError());
    if (!this.pending && !this.retryTimer) this.connect().catch(() => undefined);
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        this.changes.off('status', onStatus);
        signal?.removeEventListener('abort', onAbort);
      };
      const onStatus = (status: ServerStatus): void => {
        if (status.state === 'connected') {
          done();
          resolve();
        } else if (status.state === 'idle' || (status.state === 'unreachable' && !status.retryAt)) {
          done();
          reject(status.error ? BerthError.fromEnvelope(status.error) : new BerthError('SSH_DISCONNECTED', `${this.options.serverId} is not connected.`));
        }
      };
      const onAbort = (): void => {
        done();
        reject(new BerthError('CANCELLED', `Stopped waiting for ${this.options.serverId} to reconnect.`));
      };
      this.changes.on('status', onStatus);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.idleTimer);
    this.pendingAbort?.abort();
    await this.pending?.catch(() => undefined);
    await this.live?.connection.close();
    this.setState('idle');
  }

  /** What a call on the link goes through: the live connection, or the reason there is none. */
  private ensure(): Promise<Live> {
    if (this.live) return Promise.resolve(this.live);
    if (this.pending) return this.pending;
    if (this.retryTimer) {
      const error = this.current.error;
      return Promise.reject(
        new BerthError('SSH_DISCONNECTED', `${this.options.serverId} is not connected (${error?.message ?? 'connection lost'}). Berth retries at ${this.current.retryAt}.`),
      );
    }
    return this.connect();
  }

  private connect(): Promise<Live> {
    if (this.live) return Promise.resolve(this.live);
    if (this.pending) return this.pending;
    if (this.closed) return Promise.reject(this.closedError());
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const pending = this.attemptConnect().finally(() => {
      if (this.pending === pending) this.pending = undefined;
    });
    this.pending = pending;
    return pending;
  }

  private async attemptConnect(): Promise<Live> {
    const abort = new AbortController();
    this.pendingAbort = abort;
    this.setState('connecting');
    try {
      const { target, socketPath, name } = await this.options.describe();
      const connection = await openSshConnection(target, {
        ...this.options.connect,
        signal: abort.signal,
        onHostKeyPrompt: () => this.setState('host-key-pending'),
      });
      const live: Live = { connection, streams: new DockerStreams(connection, socketPath, name) };
      this.live = live;
      this.attempt = 0;
      connection.once('close', (error: BerthError) => this.onDrop(live, error));
      this.setState('connected');
      return live;
    } catch (error) {
      const coded = error instanceof BerthError ? error : new BerthError('INTERNAL', `Connecting to ${this.options.serverId} failed: ${String(error)}`);
      if (!this.closed) {
        if (this.leases > 0 && isRetryable(coded)) this.scheduleRetry(coded);
        else this.setState('unreachable', coded);
      }
      throw coded;
    }
  }

  /** A closed connection stays closed: links kept past a server's edit or removal must not reconnect behind the pool. */
  private closedError(): BerthError {
    return new BerthError('SSH_DISCONNECTED', `The link to ${this.options.serverId} was closed (the server was edited or removed, or Berth is shutting down). Acquire it again.`);
  }

  private onDrop(live: Live, error: BerthError): void {
    if (this.live !== live) return;
    this.live = undefined;
    clearTimeout(this.idleTimer);
    this.link.agent.failQueued(error);
    if (this.closed) return;
    if (this.leases > 0) this.scheduleRetry(error);
    else this.setState('idle');
  }

  private scheduleRetry(error: BerthError): void {
    const delay = backoffDelay(this.attempt, this.options.backoff);
    this.attempt += 1;
    this.setState('unreachable', error, new Date(Date.now() + delay).toISOString());
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().catch(() => undefined);
    }, delay);
  }

  private setState(state: ConnectionState, error?: BerthError, retryAt?: string): void {
    const status: ServerStatus = { serverId: this.options.serverId, state, since: new Date().toISOString() };
    if (error) status.error = error.toEnvelope();
    if (retryAt) status.retryAt = retryAt;
    const previous = this.current;
    if (previous.state === state && previous.error?.code === status.error?.code && previous.retryAt === retryAt) return;
    this.publish(status);
  }

  private publish(status: ServerStatus): void {
    this.current = status;
    this.options.bus.emit('servers.status', status);
    this.changes.emit('status', status);
  }
}
