import { z } from 'zod';
import { ErrorEnvelope } from '../error-envelope';
import { ArchiveDrop, ArchiveInfo } from './archives';
import { AppName, AppSource, BuildSettings, EnvKey, RetentionRule, RuntimeCommon } from './apps';
import { RecordedPlan } from './build-modes';
import { method } from './define';
import { ServerId } from './servers';

export const deploymentStatuses = [
  'queued',
  'building',
  'starting',
  'health-checking',
  'live',
  'failed',
  'cancelled',
  'rolled-back',
  'superseded',
  'interrupted',
] as const;
export const DeploymentStatus = z.enum(deploymentStatuses);
export type DeploymentStatus = z.infer<typeof DeploymentStatus>;

/** `rollback` and `redeploy` run an earlier release's snapshot instead of building. */
export const DeploymentKind = z.enum(['deploy', 'rollback', 'redeploy']);
export type DeploymentKind = z.infer<typeof DeploymentKind>;

/** `auto`: a new commit on a watched branch or tag (see auto-deploy.ts). */
export const DeploymentTrigger = z.enum(['user', 'cli', 'api', 'auto-rollback', 'auto']);
export type DeploymentTrigger = z.infer<typeof DeploymentTrigger>;

export const RuntimeKind = z.enum(['standalone', 'swarm']);
export type RuntimeKind = z.infer<typeof RuntimeKind>;

/** A secret's value is kept only sealed (`sealed`, from the SecretStore); views drop it and show value null. */
export const SnapshotEnvVar = z.object({
  key: EnvKey,
  secret: z.boolean(),
  value: z.string().nullable(),
  sealed: z.string().optional(),
});
export type SnapshotEnvVar = z.infer<typeof SnapshotEnvVar>;

/** The rendered runtime config a release runs with: enough, with the image, to run it again exactly. */
export const RuntimeSnapshot = RuntimeCommon.extend({ env: z.array(SnapshotEnvVar) });
export type RuntimeSnapshot = z.infer<typeof RuntimeSnapshot>;

export const Commit = z.object({ hash: z.string(), message: z.string() });
export type Commit = z.infer<typeof Commit>;

export const SourceSnapshot = z.object({
  source: AppSource,
  /** The resolved commit of a git source. */
  commit: Commit.nullable().default(null),
  /** The archive a deployment was built from. */
  archive: ArchiveInfo.optional(),
});
export type SourceSnapshot = z.infer<typeof SourceSnapshot>;

export const ImageInfo = z.object({
  /** `<app>:<seq>`, what the containers or the service run. */
  tag: z.string(),
  /** Content digest of the image config (`sha256:…`): the build's result, identical on every daemon. */
  id: z.string(),
  /** Registry manifest digest (`repo@sha256:…`) when the image came from, or went to, a registry. */
  digest: z.string().nullable(),
});
export type ImageInfo = z.infer<typeof ImageInfo>;

export const SwitchInfo = z.object({
  mode: z.enum(['proxy', 'swarm', 'stop-first']),
  startedAt: z.string(),
  durationMs: z.number(),
  /** Time no healthy version was routed: 0 when the new one was up before the old one left. */
  gapMs: z.number(),
});
export type SwitchInfo = z.infer<typeof SwitchInfo>;

/** One health probe as it was seen: kept with a release that failed its check, so the reason can be shown. */
export const ProbeLine = z.object({ at: z.string(), ok: z.boolean(), detail: z.string() });
export type ProbeLine = z.infer<typeof ProbeLine>;

/** Why a release was reverted without a click, and by whom. */
export const AutoRollback = z.object({
  at: z.string(),
  /** Berth (its own probes) or Swarm (the service's FailureAction rollback, which Berth detected). */
  by: z.enum(['berth', 'swarm']),
  /** During the switch (traffic never left the release before) or in the watch window after it went live. */
  phase: z.enum(['switch', 'watch']),
  reason: z.string(),
  /** The deployment whose release serves again. */
  revertedTo: z.string().nullable(),
  /** The automatic rollback's own deployment, when one had to run (a revert in the watch window). */
  rollbackId: z.string().nullable(),
  probes: z.array(ProbeLine),
});
export type AutoRollback = z.infer<typeof AutoRollback>;

export const ImageRemoval = z.object({ at: z.string(), by: z.enum(['retention', 'user']) });
export type ImageRemoval = z.infer<typeof ImageRemoval>;

/** The release's push to the app's registry, which runs after it went live: under way, done, or given up with why. */
export const RegistryPush = z.object({
  state: z.enum(['pushing', 'pushed', 'failed']),
  /** The registry (`host[:port][/namespace]`), never a credential. */
  registry: z.string(),
  attempts: z.number().int().nonnegative(),
  /** When the state was last set. */
  at: z.string(),
  /** Why the last attempt failed (a failed push), or why the one under way is being retried. */
  error: ErrorEnvelope.nullable(),
});
export type RegistryPush = z.infer<typeof RegistryPush>;

export const Deployment = z.object({
  id: z.string(),
  serverId: ServerId,
  app: AppName,
  /** Per app, from 1. */
  seq: z.number().int().positive(),
  kind: DeploymentKind,
  trigger: DeploymentTrigger,
  title: z.string(),
  description: z.string(),
  status: DeploymentStatus,
  /** Why it failed, was cancelled or interrupted. */
  error: ErrorEnvelope.nullable(),
  note: z.string().nullable(),
  /** When each status was entered. */
  timestamps: z.partialRecord(DeploymentStatus, z.string()),
  finishedAt: z.string().nullable(),
  runtime: RuntimeKind.nullable(),
  source: SourceSnapshot,
  build: BuildSettings.nullable(),
  /** The Dockerfile Berth wrote for this release's build (static, zero-config or kept in the app), as built. */
  buildPlan: RecordedPlan.optional(),
  config: RuntimeSnapshot,
  retention: RetentionRule.default({}),
  image: ImageInfo.nullable(),
  /** Proxy slot (standalone) the release runs in, and its containers. */
  slot: z.string().nullable(),
  containers: z.array(z.string()),
  switch: SwitchInfo.nullable(),
  logPath: z.string(),
  /** For a rollback: the live deployment it replaced, and the deployment whose release it runs. */
  rolledBackFrom: z.string().nullable().default(null),
  target: z.string().nullable().default(null),
  supersededBy: z.string().nullable().default(null),
  /** The Berth process that queued it: another process sharing this home leaves it alone while that one lives. */
  owner: z.object({ host: z.string(), pid: z.number().int(), user: z.string().optional() }).optional(),
  /** Kept through retention: its image is never pruned. */
  pinned: z.boolean().optional(),
  /** What a user wrote about the release after the fact ("leaks memory under load"), shown wherever it is offered. */
  releaseNote: z.object({ text: z.string(), at: z.string(), by: z.string() }).optional(),
  /** The record outlives its image: when and why the image left the server. */
  imageRemoved: ImageRemoval.optional(),
  autoRollback: AutoRollback.optional(),
  push: RegistryPush.optional(),
  /** Views only, checked live when history is read: whether a rollback to it can run, and why (not). */
  rollbackCapable: z.boolean().optional(),
  rollbackReason: z.string().optional(),
  /** Views only: its process is gone and Berth is still checking it against the server; its status may change. */
  reconciling: z.boolean().optional(),
  /** Views only: where a rollback would take the image from. */
  rollbackVia: z.enum(['server', 'registry', 'other-server', 'laptop-cache']).optional(),
});
export type Deployment = z.infer<typeof Deployment>;

export const DeploymentSummary = Deployment.pick({
  id: true,
  serverId: true,
  app: true,
  seq: true,
  kind: true,
  status: true,
  title: true,
  error: true,
  finishedAt: true,
});
export type DeploymentSummary = z.infer<typeof DeploymentSummary>;

export const DeployInput = z.object({
  serverId: ServerId,
  app: AppName,
  title: z.string().max(200).optional(),
  description: z.string().max(10_000).optional(),
  /** Overrides the app's git ref for this deployment only. */
  ref: z.string().min(1).optional(),
  /** Overrides the app's clean-build setting for this deployment only. */
  clean: z.boolean().optional(),
  /** Builds this deployment from an archive instead of the app's source; checked before it is queued. */
  archive: ArchiveDrop.optional(),
  trigger: DeploymentTrigger.default('user'),
});
export type DeployInput = z.input<typeof DeployInput>;

export const DriftItem = z.object({
  kind: z.enum(['unknown-container', 'live-gone', 'interrupted', 'recovered', 'settled', 'replaced', 'cleaned-up']),
  app: z.string().nullable(),
  deploymentId: z.string().nullable(),
  containerId: z.string().nullable(),
  message: z.string(),
});
export type DriftItem = z.infer<typeof DriftItem>;

export const ReconcileReport = z.object({ serverId: ServerId, at: z.string(), items: z.array(DriftItem) });
export type ReconcileReport = z.infer<typeof ReconcileReport>;

const ByDeployment = z.object({ serverId: ServerId, deploymentId: z.string().min(1) });

export const deploymentsMethods = {
  'deployments.deploy': method(DeployInput, Deployment),
  /** Stops exactly that job (a queued one leaves the queue); the live version keeps serving. */
  'deployments.cancel': method(ByDeployment, Deployment),
  'deployments.list': method(
    z.object({
      serverId: ServerId,
      app: AppName.optional(),
      /** Newest first; `before` pages by seq within an app. */
      limit: z.number().int().min(1).max(1000).default(100),
      before: z.number().int().optional(),
    }),
    z.array(Deployment),
  ),
  'deployments.get': method(ByDeployment, Deployment),
  /** The live release of each app of the server (or of one app), however long its history. */
  'deployments.live': method(z.object({ serverId: ServerId, app: AppName.optional() }), z.array(Deployment)),
  /** Running and waiting deployments, per app in the order they will run. */
  'deployments.queue': method(z.object({ serverId: ServerId.optional() }).default({}), z.array(DeploymentSummary)),
  /** Compares the records with what runs on the server and repairs what it can. */
  'deployments.reconcile': method(z.object({ serverId: ServerId }), ReconcileReport),
};

const Notice = z.object({
  serverId: ServerId,
  app: AppName,
  deploymentId: z.string().nullable(),
  seq: z.number().nullable(),
  message: z.string(),
});

export const deploymentsEvents = {
  'deployments.changed': DeploymentSummary,
  /** Build and deploy output of one deployment, in batches, as it is written to its log file. */
  'deployments.log': z.object({
    serverId: ServerId,
    deploymentId: z.string(),
    /** `n` is the line's number in the log file, as `logs.deployment` pages number it. */
    lines: z.array(z.object({ n: z.number().int().positive(), at: z.string(), stream: z.enum(['out', 'err', 'info']), text: z.string() })),
  }),
  'deployments.drift': ReconcileReport,
  'notifications.deploymentSucceeded': Notice,
  'notifications.deploymentFailed': Notice.extend({ error: ErrorEnvelope }),
  'notifications.healthCheckFailed': Notice,
  'notifications.appDown': Notice,
  'notifications.appUp': Notice,
};
