import { z } from 'zod';
import { AppName } from './apps';
import { method } from './define';
import { ServerId } from './servers';

export const DeploymentLogLine = z.object({
  /** Line number in the deployment's log file, from 1. */
  n: z.number().int().positive(),
  at: z.string(),
  stream: z.enum(['out', 'err', 'info']),
  text: z.string(),
});
export type DeploymentLogLine = z.infer<typeof DeploymentLogLine>;

export const AppLogLine = z.object({
  stream: z.enum(['stdout', 'stderr']),
  text: z.string(),
  /** Docker's timestamp of the line, when timestamps were asked for. */
  at: z.string().optional(),
  /** Which container (replica) printed it. */
  container: z.string(),
});
export type AppLogLine = z.infer<typeof AppLogLine>;

export const logsMethods = {
  /** A page of a deployment's log file, read as a stream from `fromLine`. */
  'logs.deployment': method(
    z.object({
      serverId: ServerId,
      deploymentId: z.string().min(1),
      fromLine: z.number().int().positive().default(1),
      limit: z.number().int().min(1).max(10_000).default(1000),
    }),
    z.object({ lines: z.array(DeploymentLogLine), nextLine: z.number().int(), eof: z.boolean() }),
  ),
  /**
   * Follows the runtime logs of an app's live containers; lines arrive as `logs.lines` events for this caller only.
   * The engine keeps the most recent lines in a bounded ring, returned here as the backlog.
   */
  'logs.followApp': method(
    z.object({
      serverId: ServerId,
      app: AppName,
      tail: z.number().int().min(0).max(10_000_000).default(500),
      /** Unix seconds or an RFC 3339 time. */
      since: z.union([z.number(), z.string()]).optional(),
      timestamps: z.boolean().default(true),
    }),
    z.object({ followId: z.string(), containers: z.array(z.string()) }),
  ),
  'logs.unfollow': method(z.object({ followId: z.string() }), z.object({ stopped: z.boolean() })),
  /** The lines an app's follow currently holds in its ring. */
  'logs.recent': method(
    z.object({ followId: z.string(), limit: z.number().int().min(1).max(100_000).default(1000) }),
    z.object({ lines: z.array(AppLogLine), dropped: z.number().int() }),
  ),
};

export const logsEvents = {
  'logs.lines': z.object({ followId: z.string(), serverId: ServerId, app: AppName, lines: z.array(AppLogLine) }),
  'logs.ended': z.object({ followId: z.string(), reason: z.string() }),
};
