import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { ServerStatus } from '../../../shared/api/servers';
import type { EventBus } from '../events/event-bus';
import { detectLocalDockerSocket, LocalServerConnection } from '../docker/local-link';
import type { BerthPaths } from '../home';
import { LOCAL_SERVER_ID, ServerStore } from '../servers/server-store';
import type { SecretStore } from '../store/secret-store';
import { defaultBackoff, type BackoffOptions } from './backoff';
import { defaultConnectTimings, type ConnectOptions } from './connection';
import { HostKeyTrust } from './host-key-trust';
import { ServerConnection } from './server-connection';
import type { LinkProvider, ServerLink } from './server-link';
import { targetForServer, type TargetEnvironment } from './target';

export interface ConnectionPoolOptions {
  paths: BerthPaths;
  bus: EventBus;
  secrets: SecretStore;
  /** Where SSH_AUTH_SOCK, DOCKER_HOST, HOME, BERTH_SSH_CONFIG and BERTH_KNOWN_HOSTS are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  sshConfigPath?: string;
  knownHostsPath?: string;
  /** Host-key fingerprints to accept on first sight without asking (the CLI's --accept-host-key). */
  trustedFingerprints?: string[];
  /** The local Docker socket for "This computer"; detected when absent, none when null. */
  localDockerSocket?: string | null;
  timings?: Partial<typeof defaultConnectTimings>;
  backoff?: BackoffOptions;
  idleCloseMs?: number;
}

interface PoolEntry {
  readonly link: ServerLink;
  status(): ServerStatus;
  acquire(): Promise<void>;
  release(): void;
  whenConnected(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every server's connection, one each. Leases keep a connection (and its reconnects) alive; the links handed out
 * stay valid across reconnects. A server that hangs never holds up another: nothing here is shared between them.
 */
export class ConnectionPool implements LinkProvider {
  readonly servers: ServerStore;
  readonly hostKeys: HostKeyTrust;
  readonly sshEnvironment: Readonly<TargetEnvironment>;
  readonly connectOptions: Omit<ConnectOptions, 'signal' | 'onHostKeyPrompt'>;
  private readonly entries = new Map<string, PoolEntry>();
  private readonly startedAt = new Date().toISOString();

  constructor(private readonly options: ConnectionPoolOptions) {
    const env = options.env ?? process.env;
    const home = env.HOME ?? homedir();
    this.sshEnvironment = {
      sshConfigPath: options.sshConfigPath ?? env.BERTH_SSH_CONFIG ?? join(home, '.ssh', 'config'),
      home,
      localUser: env.USER ?? userInfo().username,
      agentSocket: env.SSH_AUTH_SOCK || undefined,
    };
    this.hostKeys = new HostKeyTrust({
      bus: options.bus,
      home: options.paths.home,
      knownHostsPaths: [options.knownHostsPath ?? env.BERTH_KNOWN_HOSTS ?? join(home, '.ssh', 'known_hosts')],
      trustedFingerprints: options.trustedFingerprints ?? [],
    });
    const localSocket = options.localDockerSocket;
    this.servers = new ServerStore({
      home: options.paths.home,
      secrets: options.secrets,
      localSocket: () => (localSocket === undefined ? detectLocalDockerSocket(env) : localSocket),
    });
    this.connectOptions = { trust: this.hostKeys, ...defaultConnectTimings, ...options.timings };
  }

  async acquire(serverId: string): Promise<ServerLink> {
    const entry = this.entry(serverId);
    await entry.acquire();
    return entry.link;
  }

  release(serverId: string): void {
    this.entries.get(serverId)?.release();
  }

  /** Waits for a leased server to be connected again after a drop (log follows resume this way). */
  whenConnected(serverId: string, signal?: AbortSignal): Promise<void> {
    return this.entry(serverId).whenConnected(signal);
  }

  status(serverId: string): ServerStatus {
    return this.entries.get(serverId)?.status() ?? { serverId, state: 'idle', since: this.startedAt };
  }

  statuses(): ServerStatus[] {
    return this.servers.list().map((server) => this.status(server.id));
  }

  /** Closes a server's connection and forgets it, after the server was edited or removed. */
  async drop(serverId: string): Promise<void> {
    const entry = this.entries.get(serverId);
    this.entries.delete(serverId);
    await entry?.close();
  }

  async closeAll(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map((entry) => entry.close()));
  }

  private entry(serverId: string): PoolEntry {
    const existing = this.entries.get(serverId);
    if (existing) return existing;
    const server = this.servers.get(serverId);
    const entry: PoolEntry =
      server.id === LOCAL_SERVER_ID
        ? new LocalServerConnection(server.id, server.dockerSocket, this.options.bus)
        : new ServerConnection({
            serverId,
            bus: this.options.bus,
            describe: async () => {
              const current = this.servers.get(serverId);
              const passphrase = await this.servers.passphrase(serverId);
              return { target: targetForServer(current, this.sshEnvironment, passphrase), socketPath: current.dockerSocket, name: current.name };
            },
            connect: this.connectOptions,
            backoff: this.options.backoff ?? defaultBackoff,
            idleCloseMs: this.options.idleCloseMs ?? 60_000,
          });
    this.entries.set(serverId, entry);
    return entry;
  }
}
