import { join } from 'node:path';
import type { Deployment } from '../../../shared/api/deployments';
import type { Server, serversMethods } from '../../../shared/api/servers';
import { BerthError, toEnvelope } from '../../../shared/errors';
import type { EventBus } from '../events/event-bus';
import type { BerthPaths } from '../home';
import type { HandlerGroup } from '../rpc/dispatcher';
import type { ConnectionPool } from '../ssh/connection-pool';
import { dockerCallError } from '../ssh/errors';
import type { SecretStore } from '../store/secret-store';
import { LOCAL_SERVER_ID } from './server-store';
import { dockerContextCandidates, sshConfigCandidates } from './import';
import { detectRuntime } from '../deploy/pipeline';
import { applyProxySettings } from '../proxy/proxy-swap';
import { gatherHealthFacts } from './health-check';
import { judgeHealth } from './health-verdict';
import { readOverview } from './overview';
import { probeServer } from './probe';

export interface ServerHandlerDeps {
  paths: BerthPaths;
  bus: EventBus;
  secrets: SecretStore;
  pool: ConnectionPool;
  /** Each server's apps and their live releases, as the records say once reconciliation had its say. */
  releases: ReleaseView;
}

export interface ReleaseView {
  apps(serverId: string): string[];
  live(serverId: string): Promise<Deployment[]>;
  /** Apps whose live release a deployment under way is changing, and how. */
  busy(serverId: string): Map<string, string>;
}

/** Fields that change how a server is reached: editing one of them reconnects it. */
function reachChanged(before: Server, after: Server): boolean {
  return (['host', 'port', 'user', 'dockerSocket'] as const).some((key) => before[key] !== after[key]) || JSON.stringify(before.auth) !== JSON.stringify(after.auth);
}

export function createServerHandlers({ bus, pool, releases }: ServerHandlerDeps): HandlerGroup<keyof typeof serversMethods> {
  return {
    'servers.list': async () => pool.servers.list(),

    'servers.add': async (input) => {
      const server = pool.servers.add(input);
      bus.emit('servers.changed', { serverId: server.id });
      return server;
    },

    'servers.update': async ({ serverId, patch }) => {
      const before = pool.servers.get(serverId);
      const after = pool.servers.update(serverId, patch);
      if (reachChanged(before, after)) await pool.drop(serverId);
      bus.emit('servers.changed', { serverId });
      return after;
    },

    'servers.remove': async ({ serverId }) => {
      const removed = pool.servers.remove(serverId);
      await pool.drop(serverId);
      if (removed) bus.emit('servers.changed', { serverId });
      return { removed };
    },

    'servers.connect': async ({ serverId }) => {
      const server = pool.servers.get(serverId);
      const link = await pool.acquire(serverId);
      try {
        await link.docker.ping().catch((error: unknown) => {
          throw dockerCallError(error, server.dockerSocket, server.name, server.user);
        });
      } finally {
        pool.release(serverId);
      }
      return pool.status(serverId);
    },

    'servers.status': async () => pool.statuses(),

    'servers.overview': async ({ serverId }) => {
      const server = pool.servers.get(serverId);
      try {
        const link = await pool.acquire(serverId);
        try {
          return await readOverview(link, server, () => pool.status(serverId));
        } finally {
          pool.release(serverId);
        }
      } catch (error) {
        if (error instanceof BerthError && error.code === 'SERVER_NOT_FOUND') throw error;
        return { serverId, status: pool.status(serverId), docker: null, error: toEnvelope(error), refreshedAt: new Date().toISOString() };
      }
    },

    'servers.health': async ({ serverId }) => {
      const server = pool.servers.get(serverId);
      const live = await releases.live(serverId);
      const facts = await gatherHealthFacts(pool, { server, local: server.id === LOCAL_SERVER_ID, apps: releases.apps(serverId), live, busy: releases.busy(serverId) });
      const health = judgeHealth(facts);
      bus.emit('servers.health', health);
      return health;
    },

    'servers.applyProxy': async ({ serverId }) => {
      const server = pool.servers.get(serverId);
      const link = await pool.acquire(serverId);
      try {
        return await applyProxySettings(link, server.proxy, (await detectRuntime(link)) === 'swarm');
      } finally {
        pool.release(serverId);
      }
    },

    'servers.probe': async (input) => probeServer(input, pool.connectOptions),

    'servers.importCandidates': async ({ sshConfigPath, dockerConfigDir }) => {
      const env = pool.sshEnvironment;
      const configPath = sshConfigPath ?? env.sshConfigPath;
      const dockerDir = dockerConfigDir ?? process.env.DOCKER_CONFIG ?? join(env.home, '.docker');
      return [...sshConfigCandidates(configPath, env), ...dockerContextCandidates(dockerDir, configPath, env)];
    },

    'servers.setPassphrase': async ({ serverId, passphrase }) => {
      await pool.servers.setPassphrase(serverId, passphrase);
      return { stored: true };
    },

    'hostKeys.answer': async ({ promptId, accept }) => ({ answered: pool.hostKeys.answer(promptId, accept) }),

    'hostKeys.pending': async () => pool.hostKeys.pendingPrompts(),

    'hostKeys.forget': async ({ host, port }) => ({ removed: pool.hostKeys.forget(host, port) }),
  };
}
