import { z } from 'zod';
import { ErrorEnvelope } from '../error-envelope';
import { AppName } from './apps';
import { method } from './define';
import { ServerId } from './servers';

/** A branch's head, or the newest tag whose name matches a glob (`v*`, `release-*`; `*` and `?` only). */
export const AutoDeployWatch = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('branch'), branch: z.string().min(1).max(200).regex(/^[A-Za-z0-9._/+@-]+$/, 'a branch name such as main') }),
  z.object({ kind: z.literal('tag'), pattern: z.string().min(1).max(200).regex(/^[A-Za-z0-9._/+@*?-]+$/, 'a tag pattern such as v* (letters, digits, ._/+@- and the wildcards * and ?)') }),
]);
export type AutoDeployWatch = z.infer<typeof AutoDeployWatch>;

export const AutoDeploySettings = z.object({
  watch: AutoDeployWatch,
  /** How often the remote is asked (`git ls-remote`); nothing inbound is needed. */
  intervalSec: z.number().int().min(5).max(86_400).default(60),
  /** Where `git ls-remote` runs: on the server (its network and keys, as its clones) or on this computer. */
  from: z.enum(['server', 'computer']).default('server'),
});
export type AutoDeploySettings = z.infer<typeof AutoDeploySettings>;

/** An app's auto-deploy: its settings, whether it is paused, and what the last check saw and did. */
export const AutoDeployStatus = z.object({
  serverId: ServerId,
  app: AppName,
  settings: AutoDeploySettings.nullable(),
  paused: z.boolean(),
  lastCheckAt: z.string().nullable(),
  /** The commit the watched branch or newest matching tag pointed at, and its ref. */
  lastSeen: z.object({ ref: z.string(), hash: z.string() }).nullable(),
  /** The last deployment auto-deploy started. */
  lastDeployment: z.object({ id: z.string(), seq: z.number().int(), ref: z.string(), hash: z.string(), at: z.string() }).nullable(),
  /** Why the last check failed (the remote could not be reached, the branch is gone…); null when it went well. */
  lastError: ErrorEnvelope.nullable(),
});
export type AutoDeployStatus = z.infer<typeof AutoDeployStatus>;

const AppRef = z.object({ serverId: ServerId, app: AppName });

export const autoDeployMethods = {
  'autoDeploy.get': method(AppRef, AutoDeployStatus),
  /** Sets (or, with null, turns off) the app's auto-deploy; a git source only. */
  'autoDeploy.set': method(AppRef.extend({ settings: AutoDeploySettings.nullable() }), AutoDeployStatus),
  /** Paused by hand: no check runs and nothing deploys until resumed; the settings stay. */
  'autoDeploy.pause': method(AppRef, AutoDeployStatus),
  'autoDeploy.resume': method(AppRef, AutoDeployStatus),
  /** Checks the remote now, deploying what is new (the same check the interval runs). */
  'autoDeploy.check': method(AppRef, AutoDeployStatus),
};

export const autoDeployEvents = {
  'autoDeploy.changed': AutoDeployStatus,
};
