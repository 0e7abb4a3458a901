import { z } from 'zod';
import { ErrorEnvelope } from '../error-envelope';
import { method } from './define';
import { refineServerSettings } from './server-safety';

export const ServerId = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');

export const ServerAuth = z.discriminatedUnion('kind', [
  /** Keys held by the user's ssh-agent (SSH_AUTH_SOCK). */
  z.object({ kind: z.literal('agent') }),
  /** A private key file; its passphrase, when it has one, is asked for and kept only as a secret. */
  z.object({ kind: z.literal('key'), keyPath: z.string().min(1) }),
  /** A Host alias of ~/.ssh/config: HostName, Port, User, IdentityFile and ProxyJump come from there. */
  z.object({ kind: z.literal('sshConfig'), alias: z.string().min(1) }),
  /** "This computer": the local Docker socket, no SSH. */
  z.object({ kind: z.literal('local') }),
]);
export type ServerAuth = z.infer<typeof ServerAuth>;

export const EdgeProxySettings = z.object({
  /** Host port the edge proxy publishes on the server's loopback-free interfaces. */
  httpPort: z.number().int().min(1).max(65535).default(80),
  /** HAProxy image; on real servers the official one. */
  image: z.string().min(1).default('haproxy:2.9-alpine'),
  /** Address the published port binds to on the server. */
  bindAddress: z.string().default('0.0.0.0'),
});
export type EdgeProxySettings = z.infer<typeof EdgeProxySettings>;

const serverFields = {
  name: z.string().trim().min(1).max(80),
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  user: z.string().trim().min(1).max(64),
  auth: ServerAuth,
  dockerSocket: z.string().min(1),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  label: z.string().max(40).optional(),
  proxy: EdgeProxySettings,
};

export const ServerInput = z.object({
  ...serverFields,
  port: serverFields.port.default(22),
  user: serverFields.user.default('root'),
  dockerSocket: serverFields.dockerSocket.default('/var/run/docker.sock'),
  color: serverFields.color.default('#4f7cff'),
  proxy: EdgeProxySettings.default({ httpPort: 80, image: 'haproxy:2.9-alpine', bindAddress: '0.0.0.0' }),
});
export type ServerInput = z.input<typeof ServerInput>;
/** A server's settings once defaults are applied. */
export type ServerSettings = z.output<typeof ServerInput>;

/** The fields an edit changes; no defaults here, or an edit of the label would reset the port. */
export const ServerPatch = z.object(serverFields).partial().superRefine(refineServerSettings);
export type ServerPatch = z.output<typeof ServerPatch>;

export const Server = ServerInput.extend({
  id: ServerId,
  builtin: z.boolean().default(false),
  createdAt: z.string(),
});
export type Server = z.infer<typeof Server>;

export const ConnectionState = z.enum(['idle', 'connecting', 'connected', 'unreachable', 'host-key-pending']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const ServerStatus = z.object({
  serverId: ServerId,
  state: ConnectionState,
  error: ErrorEnvelope.optional(),
  since: z.string(),
  /** While the pool is reconnecting by itself: when the next attempt starts. Absent when it waits for the user. */
  retryAt: z.string().optional(),
});
export type ServerStatus = z.infer<typeof ServerStatus>;

export const ServerOverview = z.object({
  serverId: ServerId,
  status: ServerStatus,
  docker: z
    .object({
      version: z.string(),
      apiVersion: z.string(),
      daemonId: z.string(),
      os: z.string(),
      kernel: z.string(),
      arch: z.string(),
      cpus: z.number(),
      memoryBytes: z.number(),
      dockerRootDir: z.string(),
      disk: z.object({ freeBytes: z.number(), totalBytes: z.number() }).nullable(),
      swarm: z.enum(['inactive', 'pending', 'active', 'error', 'locked']),
      swarmManager: z.boolean(),
      containers: z.object({ total: z.number(), running: z.number(), stopped: z.number(), paused: z.number() }),
      images: z.number(),
    })
    .nullable(),
  /** Why `docker` is null: the server or its Docker daemon could not be reached. */
  error: ErrorEnvelope.optional(),
  refreshedAt: z.string(),
});
export type ServerOverview = z.infer<typeof ServerOverview>;

export const ProbeInput = z.object({
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().trim().min(1).max(64).default('root'),
  keyPath: z.string().min(1),
  /** Only for a key protected by a passphrase; used for this probe and not stored. */
  passphrase: z.string().min(1).optional(),
  dockerSocket: z.string().min(1).default('/var/run/docker.sock'),
}).superRefine(refineServerSettings);
export type ProbeInput = z.input<typeof ProbeInput>;

export const ProbeResult = z.object({
  dockerVersion: z.string(),
  apiVersion: z.string(),
  daemonId: z.string(),
  os: z.string(),
  arch: z.string(),
  hostKeyFingerprint: z.string(),
  elapsedMs: z.number(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

export const HostKeyPrompt = z.object({
  promptId: z.string(),
  host: z.string(),
  port: z.number(),
  keyType: z.string(),
  fingerprint: z.string(),
});
export type HostKeyPrompt = z.infer<typeof HostKeyPrompt>;

export const ImportCandidate = z.object({
  source: z.enum(['ssh-config', 'docker-context']),
  name: z.string(),
  input: ServerInput,
});
export type ImportCandidate = z.infer<typeof ImportCandidate>;

const ById = z.object({ serverId: ServerId });

export const serversMethods = {
  'servers.list': method(z.object({}).default({}), z.array(Server)),
  'servers.add': method(ServerInput.superRefine(refineServerSettings), Server),
  'servers.update': method(z.object({ serverId: ServerId, patch: ServerPatch }), Server),
  'servers.remove': method(ById, z.object({ removed: z.boolean() })),
  'servers.connect': method(ById, ServerStatus),
  'servers.status': method(z.object({}).default({}), z.array(ServerStatus)),
  'servers.overview': method(ById, ServerOverview),
  'servers.probe': method(ProbeInput, ProbeResult),
  'servers.importCandidates': method(
    z.object({ sshConfigPath: z.string().optional(), dockerConfigDir: z.string().optional() }).default({}),
    z.array(ImportCandidate),
  ),
  'servers.setPassphrase': method(z.object({ serverId: ServerId, passphrase: z.string().min(1) }), z.object({ stored: z.boolean() })),
  'hostKeys.answer': method(z.object({ promptId: z.string(), accept: z.boolean() }), z.object({ answered: z.boolean() })),
  'hostKeys.pending': method(z.object({}).default({}), z.array(HostKeyPrompt)),
  /** Drops the keys Berth recorded for host:port (after a reinstall); ~/.ssh/known_hosts is never edited. */
  'hostKeys.forget': method(
    z.object({ host: z.string().trim().min(1), port: z.number().int().min(1).max(65535).default(22) }),
    z.object({ removed: z.number() }),
  ),
};

export const serversEvents = {
  'servers.status': ServerStatus,
  'servers.changed': z.object({ serverId: ServerId }),
  'hostKeys.prompt': HostKeyPrompt,
  'hostKeys.resolved': z.object({ promptId: z.string(), accepted: z.boolean() }),
};
