import { EventEmitter } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { Client, type ClientChannel } from 'ssh2';
import type { HostKeyPrompt } from '../../../shared/api/servers';
import { BerthError } from '../../../shared/errors';
import { authHandlerFor, prepareAuth } from './auth';
import { channelOpenError, connectError, disconnectedError, type ConnectContext } from './errors';
import type { HostKeyTrust } from './host-key-trust';
import { fingerprintOf } from './known-hosts';
import { superviseExec } from './remote-exec';
import { Semaphore } from './semaphore';
import type { ExecOptions, ExecResult } from './server-link';
import type { SshHop, SshTarget } from './target';

export interface ConnectOptions {
  trust: HostKeyTrust;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** For TCP connect, handshake and authentication together; time spent waiting for a host-key answer is not counted. */
  timeoutMs: number;
  signal?: AbortSignal;
  onHostKeyPrompt?: (prompt: HostKeyPrompt) => void;
}

export const defaultConnectTimings = { keepaliveIntervalMs: 15_000, keepaliveCountMax: 3, timeoutMs: 20_000 };

/** sshd's MaxSessions defaults to 10; exec and dial-stdio channels count against it, forwarded ones do not. */
const maxSessions = 8;

/**
 * One authenticated ssh2 connection. It tracks every channel it opens so that, the moment the TCP connection goes
 * away, each one fails with SSH_DISCONNECTED instead of hanging or ending as if nothing happened.
 */
export class SshConnection extends EventEmitter {
  private readonly channels = new Set<Duplex>();
  private readonly owned: SshConnection[] = [];
  private readonly sessions = new Semaphore(maxSessions);
  private dead: BerthError | undefined;
  private closing = false;
  private lastError: string | undefined;

  constructor(
    private readonly client: Client,
    private readonly sock: Duplex,
    readonly hop: SshHop,
    readonly hostKeyFingerprint: string,
  ) {
    super();
    client.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    // Ahead of ssh2's own listener, which ends every channel quietly: ours fails them with a reason first.
    sock.prependListener('close', () => this.die());
  }

  get closed(): boolean {
    return this.dead !== undefined;
  }

  get label(): string {
    return `${this.hop.host}:${this.hop.port}`;
  }

  /** A jump connection this one runs through, closed together with it. */
  adopt(jump: SshConnection): void {
    this.owned.push(jump);
  }

  close(): Promise<void> {
    if (this.dead) return Promise.resolve();
    this.closing = true;
    const done = new Promise<void>((resolve) => this.once('close', () => resolve()));
    this.client.end();
    setTimeout(() => this.sock.destroy(), 2_000).unref();
    return done;
  }

  forwardOut(host: string, port: number): Promise<ClientChannel> {
    return this.open(`${host}:${port}`, (callback) => this.client.forwardOut('127.0.0.1', 0, host, port, callback));
  }

  openStreamLocal(socketPath: string): Promise<ClientChannel> {
    return this.open(socketPath, (callback) => this.client.openssh_forwardOutStreamLocal(socketPath, callback));
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    await this.sessions.acquire(options.signal);
    try {
      const channel = await this.open(`a session for "${command}"`, (callback) => this.client.exec(command, callback));
      return await superviseExec(channel, command, options);
    } finally {
      this.sessions.release();
    }
  }

  /** A long-lived exec channel used as a byte stream (`docker system dial-stdio`); it holds a session until closed. */
  async execStream(command: string): Promise<ClientChannel> {
    await this.sessions.acquire();
    try {
      const channel = await this.open(`a session for "${command}"`, (callback) => this.client.exec(command, callback));
      channel.stderr.resume();
      channel.once('close', () => this.sessions.release());
      return channel;
    } catch (error) {
      this.sessions.release();
      throw error;
    }
  }

  private open(what: string, start: (callback: (error: Error | undefined, channel: ClientChannel) => void) => void): Promise<ClientChannel> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<ClientChannel>((resolve, reject) => {
      try {
        start((error, channel) => {
          if (error) return reject(this.dead ?? channelOpenError(error, what, this.label));
          this.channels.add(channel);
          channel.once('close', () => this.channels.delete(channel));
          resolve(channel);
        });
      } catch {
        reject(this.dead ?? disconnectedError(this.label));
      }
    });
  }

  private die(): void {
    if (this.dead) return;
    const reason = this.closing ? undefined : (this.lastError ?? 'the server closed it');
    this.dead = this.closing
      ? new BerthError('SSH_DISCONNECTED', `The SSH connection to ${this.label} was closed by Berth.`)
      : disconnectedError(this.label, reason);
    for (const channel of this.channels) {
      // Synchronously, so http sees this error before ssh2's 'close' turns it into "socket hang up".
      if (channel.listenerCount('error') > 0) channel.emit('error', this.dead);
      Duplex.prototype.destroy.call(channel);
    }
    for (const jump of this.owned) void jump.close();
    this.emit('close', this.dead);
  }
}

/** Connects through each jump host in turn, then to the target. */
export async function openSshConnection(target: SshTarget, options: ConnectOptions): Promise<SshConnection> {
  const hops = [...target.jumps, target];
  const destination = `${target.host}:${target.port}`;
  let via: SshConnection | undefined;
  try {
    for (const [index, hop] of hops.entries()) {
      const next = await connectHop(hop, via, options, index === hops.length - 1 ? undefined : destination);
      if (via) next.adopt(via);
      via = next;
    }
  } catch (error) {
    void via?.close();
    throw error;
  }
  if (!via) throw new BerthError('INTERNAL', 'No SSH hop to connect to.');
  return via;
}

async function connectHop(hop: SshHop, via: SshConnection | undefined, options: ConnectOptions, destination?: string): Promise<SshConnection> {
  const context: ConnectContext & { tried: string[] } = { host: hop.host, port: hop.port, user: hop.user, tried: [], ...(destination ? { via: destination } : {}) };
  const prepared = prepareAuth(hop.user, hop.auth);
  const sock = via ? await via.forwardOut(hop.host, hop.port) : await tcpConnect(hop.host, hop.port, options).catch((error: unknown) => {
    throw connectError(error, context);
  });
  return handshake(sock, hop, prepared, context, options);
}

function tcpConnect(host: string, port: number, options: ConnectOptions): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = netConnect({ host, port });
    const fail = (error: unknown): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    };
    const onAbort = (): void => fail(new BerthError('CANCELLED', `Connecting to ${host}:${port} was cancelled.`));
    const timer = setTimeout(() => fail(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

function handshake(
  sock: Duplex,
  hop: SshHop,
  prepared: ReturnType<typeof prepareAuth>,
  context: ConnectContext & { tried: string[] },
  options: ConnectOptions,
): Promise<SshConnection> {
  return new Promise<SshConnection>((resolve, reject) => {
    const client = new Client();
    const verification = new AbortController();
    let hostKeyError: BerthError | undefined;
    let fingerprint = '';
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      verification.abort();
      sock.destroy();
      reject(hostKeyError ?? connectError(error, context));
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(Object.assign(new Error(`no SSH handshake within ${options.timeoutMs} ms`), { level: 'client-timeout' })), options.timeoutMs);
    };
    const onAbort = (): void => fail(new BerthError('CANCELLED', `Connecting to ${context.host}:${context.port} was cancelled.`));

    arm();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // A server that hangs up while the user reads the fingerprint ends the question too.
    sock.once('close', () => verification.abort());
    client.on('error', fail);
    client.on('close', () => fail(Object.assign(new Error('the server closed the connection before authentication finished'), { code: 'ECONNRESET' })));
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      client.setNoDelay(true);
      resolve(new SshConnection(client, sock, hop, fingerprint));
    });
    client.connect({
      sock: sock as unknown as Socket,
      username: hop.user,
      readyTimeout: 0,
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: options.keepaliveCountMax,
      authHandler: authHandlerFor(prepared, context.tried),
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        fingerprint = fingerprintOf(key);
        const onPrompt = (prompt: HostKeyPrompt): void => {
          clearTimeout(timer);
          options.onHostKeyPrompt?.(prompt);
        };
        options.trust.verify(hop.host, hop.port, key, { signal: verification.signal, onPrompt }).then(
          () => {
            arm();
            verify(true);
          },
          (error: BerthError) => {
            hostKeyError = error;
            verify(false);
          },
        );
      },
    });
  });
}
