import { z } from 'zod';
import { ErrorEnvelope } from '../error-envelope';
import { noControl } from '../safe-input';
import { AppName, EnvKey } from './apps';
import { Deployment, DeploymentStatus, ImageInfo } from './deployments';
import { method } from './define';
import { ServerId } from './servers';

/** One line a terminal and a table row can show as it is: no control characters, no escape sequences. */
export const ReleaseNoteText = z
  .string()
  .max(500, 'a note is at most 500 characters')
  .transform((t) => t.trim())
  .superRefine((text, ctx) => {
    const problem = noControl(text);
    if (problem) ctx.addIssue({ code: 'custom', message: `The note ${problem}: write it on one line, without control characters.` });
  });

/** `exact` runs the target's whole release (image and config snapshot); `redeploy` its image with the app's config of today. */
export const RollbackMode = z.enum(['exact', 'redeploy']);
export type RollbackMode = z.infer<typeof RollbackMode>;

/** A deployment id, or its seq within the app (`12` or `"12"`). */
export const RollbackTarget = z.union([z.string().min(1), z.number().int().positive()]);

export const RollbackInput = z.object({
  serverId: ServerId,
  app: AppName,
  target: RollbackTarget,
  mode: RollbackMode.default('exact'),
  title: z.string().max(200).optional(),
});
export type RollbackInput = z.input<typeof RollbackInput>;

/** Where a rollback takes the release's image from, best first. */
export const ImageSource = z.enum(['server', 'registry', 'other-server', 'laptop-cache']);
export type ImageSource = z.infer<typeof ImageSource>;

/** Whether a release can be rolled back to, checked live against the server, the registry, other servers and the cache. */
export const RollbackPoint = z.object({
  deploymentId: z.string(),
  seq: z.number().int(),
  status: DeploymentStatus,
  capable: z.boolean(),
  /** Where the image would come from; null when it cannot be found. */
  via: ImageSource.nullable(),
  /** The server holding a copy, when via is other-server. */
  fromServerId: z.string().nullable(),
  /** A sentence: where the image is, or why the release cannot run again and what to do instead. */
  reason: z.string(),
  /** Why not, as the code a rollback to it is refused with. */
  code: z.enum(['IMAGE_GONE', 'NOT_ROLLBACK_CAPABLE']).nullable(),
  pinned: z.boolean(),
  live: z.boolean(),
  /** The image is on this server now. */
  onServer: z.boolean(),
});
export type RollbackPoint = z.infer<typeof RollbackPoint>;

/** One env variable that differs; secret values never leave the engine (null), only that they differ. */
export const EnvChange = z.object({
  key: EnvKey,
  change: z.enum(['added', 'removed', 'changed']),
  secret: z.boolean(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type EnvChange = z.infer<typeof EnvChange>;

export const PlanField = z.enum(['httpPort', 'published', 'volumes', 'limits', 'restart', 'replicas', 'command', 'healthCheck', 'domains', 'labels']);
export type PlanField = z.infer<typeof PlanField>;

/** One runtime setting that differs, rendered for people: what runs now, what will run. */
export const FieldChange = z.object({ field: PlanField, label: z.string(), from: z.string(), to: z.string() });
export type FieldChange = z.infer<typeof FieldChange>;

/** One runtime setting that stays as it is. */
export const FieldValue = z.object({ field: PlanField, label: z.string(), value: z.string() });
export type FieldValue = z.infer<typeof FieldValue>;

/** What a rollback or redeploy would do, before it runs: the diff from what is live, and whether it can run at all. */
export const RollbackPlan = z.object({
  serverId: ServerId,
  app: AppName,
  mode: RollbackMode,
  target: z.object({ id: z.string(), seq: z.number().int(), title: z.string(), status: DeploymentStatus }),
  live: z.object({ id: z.string(), seq: z.number().int() }).nullable(),
  capable: z.boolean(),
  /** Where the image comes from, or why it cannot run. */
  reason: z.string(),
  via: ImageSource.nullable(),
  /** The error a rollback to this target would be refused with (IMAGE_GONE, NOT_ROLLBACK_CAPABLE); null when it can run. */
  refusal: ErrorEnvelope.nullable(),
  image: z.object({ from: ImageInfo.nullable(), to: ImageInfo.nullable(), changed: z.boolean() }),
  env: z.array(EnvChange),
  changes: z.array(FieldChange),
  unchanged: z.array(FieldValue),
  /** Secrets set to the same value on both sides (their values are never shown). */
  secretsKept: z.number().int().min(0),
  /** What no rollback undoes. */
  notUndone: z.array(z.string()),
  warnings: z.array(z.string()),
});
export type RollbackPlan = z.infer<typeof RollbackPlan>;

/** An app's registry: `host[:port][/namespace]`; releases are pushed as `<registry>/<app>:<seq>`. */
export const RegistryInput = z.object({
  url: z
    .string()
    .min(1)
    .transform((u) => u.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, ''))
    .pipe(z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._/-]+)?$/i, 'a registry such as registry.example.com or 127.0.0.1:5000/team')),
  username: z.string().max(200).optional(),
  /** Stored sealed and never sent back; omitted keeps the stored one. */
  password: z.string().max(10_000).optional(),
});
export type RegistryInput = z.input<typeof RegistryInput>;

export const RegistryView = z.object({ url: z.string(), username: z.string().nullable(), passwordSet: z.boolean() });
export type RegistryView = z.infer<typeof RegistryView>;

export const RollbackSettings = z.object({
  /** Rollback points (releases besides the live one) whose images stay on the server; pinned ones come on top. */
  keepLast: z.number().int().min(0).max(100),
  /** After a release goes live it is probed this long; a failure reverts it. 0 turns the watch off. */
  watchMs: z.number().int().min(0).max(3_600_000),
  /** Consecutive failed probes in the watch window that revert a release. */
  watchFailures: z.number().int().min(1).max(100),
  /** Revert a release that fails its health check, during the switch or in the watch window, without a click. */
  autoRollback: z.boolean(),
  /** Keep each release's image in this computer's cache too, so it can be loaded back without a registry. */
  cacheOnLaptop: z.boolean(),
  registry: RegistryView.nullable(),
});
export type RollbackSettings = z.infer<typeof RollbackSettings>;

export const rollbackDefaults = { keepLast: 5, watchMs: 60_000, watchFailures: 3, autoRollback: true, cacheOnLaptop: false } as const;

export const RollbackSettingsPatch = z.object({
  keepLast: RollbackSettings.shape.keepLast.optional(),
  watchMs: RollbackSettings.shape.watchMs.optional(),
  watchFailures: RollbackSettings.shape.watchFailures.optional(),
  autoRollback: z.boolean().optional(),
  cacheOnLaptop: z.boolean().optional(),
  /** null removes the registry. */
  registry: RegistryInput.nullable().optional(),
});
export type RollbackSettingsPatch = z.input<typeof RollbackSettingsPatch>;

/** Who holds an app's deploy lock on a server. */
export const LockHolder = z.object({
  owner: z.string(),
  host: z.string(),
  pid: z.number().int(),
  operation: z.string(),
  startedAt: z.string(),
  expiresAt: z.string(),
});
export type LockHolder = z.infer<typeof LockHolder>;

const AppRef = z.object({ serverId: ServerId, app: AppName });
const ByDeployment = z.object({ serverId: ServerId, deploymentId: z.string().min(1) });

export const rollbackMethods = {
  /** What a rollback (or redeploy) to the target would change; refuses nothing, says whether it could run. */
  'deployments.rollbackPlan': method(RollbackInput, RollbackPlan),
  /** Queues a rollback or redeploy as a new deployment; refused (IMAGE_GONE, NOT_ROLLBACK_CAPABLE) before anything changes. */
  'deployments.rollback': method(RollbackInput, Deployment),
  /** Every release of the app with whether it can be rolled back to, checked live. */
  'deployments.rollbackPoints': method(AppRef, z.array(RollbackPoint)),
  /** A pinned release's image is never pruned. */
  'deployments.pin': method(ByDeployment.extend({ pinned: z.boolean().default(true) }), Deployment),
  /** Writes (or, with empty text, clears) the note of a release; shown in the history and the rollback dialog. */
  'deployments.note': method(ByDeployment.extend({ text: ReleaseNoteText }), Deployment),
  /** Removes the release's image from the server and the cache (never the live one or one a container uses); the record stays. */
  'deployments.deleteRollbackPoint': method(ByDeployment, Deployment),
  /** Who holds the app's deploy lock on the server, if anyone. */
  'deployments.lock': method(AppRef, LockHolder.nullable()),
  'rollback.settings': method(AppRef, RollbackSettings),
  'rollback.updateSettings': method(AppRef.extend({ patch: RollbackSettingsPatch }), RollbackSettings),
};

export const rollbackEvents = {
  /** A release is being watched after going live, passed its watch, or failed it. */
  'deployments.watch': z.object({
    serverId: ServerId,
    app: AppName,
    deploymentId: z.string(),
    state: z.enum(['watching', 'passed', 'failed', 'stopped']),
    until: z.string(),
    probes: z.number().int(),
  }),
  /** A live release could not be pushed to the app's registry, retries included: a rollback may find no image later. */
  'notifications.pushFailed': z.object({
    serverId: ServerId,
    app: AppName,
    deploymentId: z.string(),
    seq: z.number(),
    message: z.string(),
  }),
  'notifications.autoRolledBack': z.object({
    serverId: ServerId,
    app: AppName,
    deploymentId: z.string(),
    seq: z.number(),
    /** The deployment whose release serves again. */
    revertedTo: z.string().nullable(),
    rollbackId: z.string().nullable(),
    message: z.string(),
  }),
};
