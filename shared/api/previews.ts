import { z } from 'zod';
import { AppName } from './apps';
import { method } from './define';
import { Deployment, DeploymentStatus, DeploymentTrigger } from './deployments';
import { ServerId } from './servers';

/**
 * A branch (`feature/login`, `refs/heads/feature/login`) or a pull-request ref (`refs/pull/12/head`). The engine
 * checks it again (electron/core/previews/preview-name.ts) before it reaches git or a name.
 */
export const PreviewRef = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._/+@][A-Za-z0-9._/+@-]*$/, 'a branch such as feature/login or a ref such as refs/pull/12/head (letters, digits and ._/+@-)');

/** One preview of an app: its own app (own history, containers and proxy backend) on a branch. */
export const PreviewView = z.object({
  serverId: ServerId,
  /** The preview's own app, `<app>-<slug>`: deployments, logs and history are under this name. */
  name: AppName,
  /** The app it previews. */
  app: AppName,
  ref: z.string(),
  domains: z.array(z.string()),
  /** Its newest deployment: what the preview runs, or why it does not. */
  latest: z.object({ seq: z.number().int(), status: DeploymentStatus, title: z.string() }).nullable(),
  createdAt: z.string(),
});
export type PreviewView = z.infer<typeof PreviewView>;

export const PreviewRemoval = z.object({
  name: AppName,
  ref: z.string(),
  /** The user's doing, its branch left the remote, or the app it previews was removed. */
  reason: z.enum(['user', 'branch-gone', 'app-removed']),
  imagesRemoved: z.number().int().nonnegative(),
  /** Records kept (the default: their history stays readable) or dropped with their logs. */
  records: z.enum(['kept', 'dropped']),
  recordCount: z.number().int().nonnegative(),
});
export type PreviewRemoval = z.infer<typeof PreviewRemoval>;

const AppRef = z.object({ serverId: ServerId, app: AppName });

export const previewsMethods = {
  'previews.list': method(AppRef, z.array(PreviewView)),
  /**
   * Makes (or refreshes from the app's current settings) the branch's preview and queues its deployment; refused
   * with PREVIEW_LIMIT when the app runs as many previews as its limit and this branch has none yet.
   */
  'previews.deploy': method(
    AppRef.extend({ ref: PreviewRef, title: z.string().max(200).optional(), trigger: DeploymentTrigger.default('user') }),
    Deployment,
  ),
  /** Stops the preview's containers, drops its proxy route and images; its records stay unless dropRecords. */
  'previews.remove': method(AppRef.extend({ ref: PreviewRef, dropRecords: z.boolean().default(false) }), PreviewRemoval),
  /** Removes each preview whose branch the app's remote no longer has (checked with git ls-remote). */
  'previews.prune': method(AppRef.extend({ dropRecords: z.boolean().default(false) }), z.array(PreviewRemoval)),
};

export const previewsEvents = {
  'previews.removed': PreviewRemoval.extend({ serverId: ServerId, app: AppName }),
};
