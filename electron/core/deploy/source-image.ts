import type { AppSource } from '../../../shared/api/apps';
import { toEnvelope } from '../../../shared/errors';
import type { DeploymentLog } from '../logs/deployment-log';
import type { ServerLink } from '../ssh/server-link';
import { asBerthError, isNotFound, pullImage } from './docker-util';
import { alwaysPullError, movingTag, notPresentError, pullStep } from './pull-policy';

type ImageSource = Extract<AppSource, { kind: 'image' }>;

/**
 * Makes sure the server holds the image of an image source, as its pull policy says: used as it is when present
 * (`missing`, `never`), pulled otherwise.
 */
export async function obtainImage(link: ServerLink, source: ImageSource, log: DeploymentLog, signal: AbortSignal): Promise<void> {
  const serverName = link.serverId;
  const present = await presentId(link, source.image);
  const step = pullStep(source.pull, present !== null);
  if (step === 'refuse') throw notPresentError(source.image, serverName);
  if (step === 'use-present' && present !== null) {
    const moving = movingTag(source.image) && source.pull === 'missing' ? '; set the pull policy to "always" to fetch a newer one on each deploy' : '';
    log.info(`${source.image} is already on ${serverName} (${present.slice(7, 19)}): not pulled (pull policy "${source.pull}")${moving}`);
    return;
  }
  log.info(`Pulling ${source.image}${source.pull === 'always' ? ' (pull policy "always")' : ''}`);
  try {
    await pullImage(link.docker, source.image, { signal, onProgress: (text) => log.lines('out', text) });
  } catch (error) {
    throw source.pull === 'always' && toEnvelope(error).code === 'IMAGE_PULL_FAILED' ? alwaysPullError(source.image, toEnvelope(error), present) : error;
  }
  log.info(`Pulled ${source.image}`);
}

async function presentId(link: ServerLink, ref: string): Promise<string | null> {
  return link.docker
    .getImage(ref)
    .inspect()
    .then(
      (info) => info.Id,
      (error: unknown) => (isNotFound(error) ? null : Promise.reject(asBerthError(error, 'DOCKER_ERROR', `Could not inspect the image ${ref}`))),
    );
}
