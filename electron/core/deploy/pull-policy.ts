import type { PullPolicy } from '../../../shared/api/apps';
import { BerthError, type ErrorEnvelope } from '../../../shared/errors';

/** What a deploy of an image source does first, given the app's policy and whether the server already has the image. */
export type PullStep = 'use-present' | 'pull' | 'refuse';

export function pullStep(policy: PullPolicy, present: boolean): PullStep {
  if (policy === 'always') return 'pull';
  if (present) return 'use-present';
  return policy === 'never' ? 'refuse' : 'pull';
}

/** The refusal of a `never` policy whose image is not on the server: nothing was pulled, nothing changed. */
export function notPresentError(ref: string, serverName: string): BerthError {
  return new BerthError(
    'IMAGE_MISSING',
    `${ref} is not on ${serverName}, and the app's pull policy is "never". Load it there (docker load or docker pull on the server), or set the pull policy to "missing" (berth app set APP --pull missing) to let Berth pull it.`,
    { image: ref },
  );
}

/**
 * A failed pull under `always` says so, and when the server holds an image of that name, says which one and how to
 * deploy it: an explicit `always` is never quietly turned into "whatever is there".
 */
export function alwaysPullError(ref: string, cause: ErrorEnvelope, presentId: string | null): BerthError {
  const fallback = presentId
    ? ` The server has an image ${ref} (${presentId.slice(7, 19)}) from an earlier pull: set the pull policy to "missing" (berth app set APP --pull missing) to deploy it without the registry.`
    : '';
  return new BerthError('IMAGE_PULL_FAILED', `${cause.message}. The app's pull policy is "always", so the image is pulled on every deploy.${fallback}`, { image: ref, policy: 'always' });
}

/** A reference without a tag or digest, or tagged `latest`: the one kind a user expects to move between deploys. */
export function movingTag(ref: string): boolean {
  if (ref.includes('@')) return false;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon <= slash || ref.slice(colon + 1) === 'latest';
}
