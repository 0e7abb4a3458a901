import { z } from 'zod';
import { AppName } from './apps';
import { method } from './define';
import { ServerId } from './servers';

/**
 * Whether an app's live release serves, as the watch that runs while Berth is open last found it: checked against the
 * server (Docker events, the release's containers, one request through the edge proxy), never inferred from records.
 */
export const AppUptime = z.object({
  serverId: ServerId,
  app: AppName,
  deploymentId: z.string().nullable(),
  seq: z.number().int().nullable(),
  /** Unknown until the first look, without a live release, or while the server cannot be reached. */
  state: z.enum(['up', 'down', 'unknown']),
  /** Why it is down, in a few words ("exited with code 137", "OOM-killed", "edge proxy down"). */
  reason: z.string().nullable(),
  /** The whole verdict of the last look, as `berth status` words it. */
  detail: z.string(),
  /** When it entered this state. */
  since: z.string(),
  checkedAt: z.string(),
});
export type AppUptime = z.infer<typeof AppUptime>;

export const uptimeMethods = {
  /** The watch's latest verdict per app; empty where no watch runs (the CLI: `berth status` looks for itself). */
  'uptime.list': method(z.object({ serverId: ServerId.optional() }).default({}), z.array(AppUptime)),
};

export const uptimeEvents = {
  /** An app's verdict changed (down, back up, unknown), or its reason did. */
  'uptime.changed': AppUptime,
};
