import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { ServerStatus } from '../../../shared/api/servers';
import { BerthError } from '../../../shared/errors';
import type { EventBus } from '../events/event-bus';
import { dockerSocketError } from '../ssh/errors';
import { createDocker } from './dockerode';
import type { ExecOptions, ExecResult, ServerLink } from '../ssh/server-link';

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

/**
 * The local Docker socket, if any: DOCKER_HOST when it names a unix socket, else the system socket, else Docker
 * Desktop's per-user one. A DOCKER_HOST pointing elsewhere (tcp://, ssh://) means this computer has none to offer.
 */
export function detectLocalDockerSocket(env: NodeJS.ProcessEnv, exists: (path: string) => boolean = isSocket): string | null {
  const dockerHost = env.DOCKER_HOST;
  if (dockerHost) {
    const path = dockerHost.startsWith('unix://') ? dockerHost.slice('unix://'.length) : null;
    return path && exists(path) ? path : null;
  }
  const candidates = ['/var/run/docker.sock', join(env.HOME ?? homedir(), '.docker', 'run', 'docker.sock')];
  return candidates.find((path) => exists(path)) ?? null;
}

/** "This computer": the same ServerLink, straight to the local socket and shell, no SSH. */
export class LocalLink implements ServerLink {
  readonly remote = false;
  readonly docker: Docker;

  constructor(
    readonly serverId: string,
    readonly socketPath: string,
  ) {
    this.docker = createDocker({ socketPath });
  }

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', command], { stdio: 'pipe', ...(options.signal ? { signal: options.signal } : {}) });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              child.kill('SIGKILL');
              reject(new BerthError('COMMAND_TIMEOUT', `"${command}" did not finish within ${options.timeoutMs} ms.`));
            }, options.timeoutMs);
      if (options.stdout) child.stdout.pipe(options.stdout, { end: false });
      else child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      if (options.stderr) child.stderr.pipe(options.stderr, { end: false });
      else child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(options.signal?.aborted ? new BerthError('CANCELLED', `Cancelled: ${command}`) : new BerthError('INTERNAL', `Could not run "${command}": ${error.message}`));
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? 255, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
      });
      const stdin = options.stdin;
      if (stdin === undefined) child.stdin.end();
      else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) child.stdin.end(stdin);
      else stdin.pipe(child.stdin);
    });
  }

  forwardOut(host: string, port: number): Promise<Duplex> {
    return new Promise<Duplex>((resolve, reject) => {
      const socket = netConnect({ host, port });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(socket);
      });
      socket.once('error', (error: NodeJS.ErrnoException) =>
        reject(new BerthError('CONNECTION_REFUSED', `${host}:${port} refused the connection on this computer (${error.code ?? error.message}).`)),
      );
    });
  }
}

/** The pool's view of "This computer": always reachable while its socket exists. */
export class LocalServerConnection {
  readonly link: LocalLink;
  private current: ServerStatus;

  constructor(
    serverId: string,
    private readonly socketPath: string,
    private readonly bus: EventBus,
  ) {
    this.link = new LocalLink(serverId, socketPath);
    this.current = { serverId, state: 'idle', since: new Date().toISOString() };
  }

  status(): ServerStatus {
    return this.current;
  }

  async acquire(): Promise<void> {
    if (isSocket(this.socketPath)) {
      this.publish({ serverId: this.link.serverId, state: 'connected', since: new Date().toISOString() });
      return;
    }
    const error = dockerSocketError('missing', this.socketPath, 'this computer', 'you');
    this.publish({ serverId: this.link.serverId, state: 'unreachable', error: error.toEnvelope(), since: new Date().toISOString() });
    throw error;
  }

  release(): void {}

  whenConnected(): Promise<void> {
    return this.acquire();
  }

  async close(): Promise<void> {}

  private publish(status: ServerStatus): void {
    if (status.state === this.current.state && status.error?.code === this.current.error?.code) return;
    this.current = status;
    this.bus.emit('servers.status', status);
  }
}
