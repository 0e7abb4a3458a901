import type { Deployment, ImageInfo, ProbeLine, RuntimeKind } from '../../../shared/api/deployments';
import type { ErrorEnvelope } from '../../../shared/errors';
import type { DeploymentLog } from '../logs/deployment-log';
import type { ServerLink } from '../ssh/server-link';

/** What a hook sees of the run in progress. */
export interface HookContext {
  record: Deployment;
  link: ServerLink;
  runtime: RuntimeKind;
  log: DeploymentLog;
  signal: AbortSignal;
}

/** How a run that did not go live ends: failed, or rolled back when the release before it kept serving. */
export interface Ending {
  status: 'failed' | 'rolled-back';
  patch?: Pick<Partial<Deployment>, 'autoRollback' | 'note'>;
}

/**
 * Where the rollback engine joins a deployment's run, so the pipeline stays one path for deploys, rollbacks and
 * redeploys. Every hook is optional; the pipeline runs the same without them.
 */
export interface DeploymentHooks {
  /** Before any work on the server: takes what the whole run must hold (the server-side app lock); returns its release. */
  begin?(ctx: HookContext): Promise<() => Promise<void>>;
  /** A rollback or redeploy: makes sure the release's image is on the server (pulled or copied back) and returns it. */
  prepare?(ctx: HookContext): Promise<ImageInfo>;
  /** What the record says besides its status as it goes live: work that follows it (a registry push to come). */
  goingLive?(record: Deployment): Pick<Partial<Deployment>, 'push'>;
  /** The record is live, what it replaced has stepped down and been retired. Errors are logged, never fatal. */
  live?(ctx: HookContext): Promise<void>;
  /** A run failed (not cancelled): decides its final state; `probes` are the health probes of its switch. */
  ending?(ctx: HookContext, reason: ErrorEnvelope, probes: readonly ProbeLine[]): Promise<Ending>;
}
