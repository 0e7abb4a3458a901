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
import { localExec } from '../ssh/local-exec';
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
    return localExec(command, options);
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
