import { z } from 'zod';
import { AppName } from './apps';
import { BuildMode, Stack } from './build-modes';
import { method } from './define';
import { ServerId } from './servers';

/** Where the Dockerfile of a build comes from. */
export const PlanOrigin = z.enum(['source', 'kept', 'static', 'generated']);
export type PlanOrigin = z.infer<typeof PlanOrigin>;

/** What a deployment of the app would build, decided by the engine before the build (and again at its start). */
export const BuildPlan = z.object({
  mode: BuildMode,
  origin: PlanOrigin,
  stack: Stack.nullable(),
  /** The Dockerfile path the build reads, inside the build context. */
  dockerfilePath: z.string(),
  /** The text Berth writes there; null when the source's own Dockerfile is used as it is. */
  dockerfile: z.string().nullable(),
  /** What the detection found, one fact a line ("pnpm-lock.yaml: pnpm"). */
  evidence: z.array(z.string()),
  /** What the user should know: stacks passed over, a start command that is missing. */
  notes: z.array(z.string()),
});
export type BuildPlan = z.infer<typeof BuildPlan>;

/** What clearing an app's build cache removed from the server. */
export const CacheCleared = z.object({
  /** BuildKit cache records created while the app's builds ran. */
  records: z.number().int().nonnegative(),
  /** Dangling images left by the app's builds. */
  images: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
  /** Records of the app still used by a build under way: left in place. */
  inUse: z.number().int().nonnegative(),
  /** The same, as the sentence the window and the CLI show. */
  message: z.string(),
});
export type CacheCleared = z.infer<typeof CacheCleared>;

const AppRef = z.object({ serverId: ServerId, app: AppName });

export const buildsMethods = {
  /** The plan from the app's current settings and source; a git source is cloned on the server to read it. */
  'builds.plan': method(AppRef, BuildPlan),
  'builds.clearCache': method(AppRef, CacheCleared),
};

export const buildsEvents = {};
