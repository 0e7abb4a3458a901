import { z } from 'zod';
import { DEFAULT_PROXY_IMAGE } from '../defaults';
import { ErrorEnvelope } from '../error-envelope';
import { errorCodes } from '../errors';
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
  image: z.string().min(1).default(DEFAULT_PROXY_IMAGE),
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
  proxy: EdgeProxySettings.default({ httpPort: 80, image: DEFAULT_PROXY_IMAGE, bindAddress: '0.0.0.0' }),
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

/** How one part of a server was found: ok, down (something a user must fix), or not checked because a part below it is down. */
export const PartState = z.enum(['ok', 'down', 'warning', 'unchecked']);
export type PartState = z.infer<typeof PartState>;

/** One part of a server, checked on its own: what was seen and, when it is not ok, what to do about it. */
export const PartHealth = z.object({
  state: PartState,
  detail: z.string(),
  fix: z.string().optional(),
  code: z.enum(errorCodes).optional(),
});
export type PartHealth = z.infer<typeof PartHealth>;

export const AppHealth = PartHealth.extend({
  app: z.string(),
  /** The live release that was checked; null when the app has none. */
  deploymentId: z.string().nullable(),
  seq: z.number().int().nullable(),
  /** Containers (standalone) or tasks (Swarm) of the live release seen running, of how many it should have. */
  running: z.number().int(),
  expected: z.number().int(),
  /** Why it is down (or would be, but for a deployment under way), in a few words: "exited with code 137". */
  reason: z.string().optional(),
});
export type AppHealth = z.infer<typeof AppHealth>;

/** The edge proxy's settings as the server holds them, against this Berth's entry for the server. */
export const ProxySettingsCheck = z.object({
  onServer: EdgeProxySettings.nullable(),
  mine: EdgeProxySettings,
  /** The fields that differ (httpPort, image, bindAddress); empty when they agree or no proxy runs yet. */
  differs: z.array(z.enum(['httpPort', 'image', 'bindAddress'])),
});
export type ProxySettingsCheck = z.infer<typeof ProxySettingsCheck>;

/** The truth about a server, part by part: computed once by the engine, shown as is by the CLI and the UI. */
export const ServerHealth = z.object({
  serverId: ServerId,
  /** False when any part is down; warnings (settings that differ, a replica short) leave it true. */
  ok: z.boolean(),
  ssh: PartHealth,
  docker: PartHealth,
  proxy: PartHealth,
  proxySettings: ProxySettingsCheck,
  apps: z.array(AppHealth),
  checkedAt: z.string(),
});
export type ServerHealth = z.infer<typeof ServerHealth>;

export const ProxyApplyResult = z.object({
  settings: EdgeProxySettings,
  /** False when the server already ran a proxy with these settings. */
  replaced: z.boolean(),
});
export type ProxyApplyResult = z.infer<typeof ProxyApplyResult>;

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
  /** Checks SSH, Docker, the edge proxy and each app's live release, each on its own (one probe per app). */
  'servers.health': method(ById, ServerHealth),
  /** Replaces the server's edge proxy with this Berth's settings: the new one starts beside the old and takes over only once it answers. */
  'servers.applyProxy': method(ById, ProxyApplyResult),
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
  'servers.health': ServerHealth,
  'hostKeys.prompt': HostKeyPrompt,
  'hostKeys.resolved': z.object({ promptId: z.string(), accepted: z.boolean() }),
};
