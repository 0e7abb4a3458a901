import type Docker from 'dockerode';
import { BerthError, isBerthError, type ErrorCode } from '../../../shared/errors';
import { eachJsonMessage, messageError } from './json-stream';

export function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? Number((error as { statusCode: unknown }).statusCode) : undefined;
}

export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const json = (error as { json?: { message?: string } }).json;
    return json?.message ?? error.message;
  }
  return String(error);
}

/** Keeps coded errors as they are and wraps anything else from Docker with a code and a sentence. */
export function asBerthError(error: unknown, code: ErrorCode, what: string): BerthError {
  if (isBerthError(error)) return error;
  return new BerthError(code, `${what}: ${messageOf(error).trim()}`);
}

/** Networks are looked up by exact name: the API's name filter matches substrings. */
export async function findNetwork(docker: Docker, name: string): Promise<Docker.NetworkInspectInfo | undefined> {
  const list = await docker.listNetworks({ filters: { name: [name] } });
  return list.find((n) => n.Name === name);
}

export async function ensureNetwork(docker: Docker, name: string, options: { driver: 'bridge' | 'overlay'; labels: Record<string, string> }): Promise<Docker.NetworkInspectInfo> {
  const found = await findNetwork(docker, name);
  if (found) return docker.getNetwork(found.Id).inspect() as Promise<Docker.NetworkInspectInfo>;
  try {
    await docker.createNetwork({
      Name: name,
      Driver: options.driver,
      CheckDuplicate: true,
      Attachable: options.driver === 'overlay' ? true : undefined,
      Labels: options.labels,
    });
  } catch (error) {
    // another deployment created it a moment ago
    if (statusOf(error) !== 409) throw asBerthError(error, 'DOCKER_ERROR', `Could not create the network ${name}`);
  }
  const created = await findNetwork(docker, name);
  if (!created) throw new BerthError('DOCKER_ERROR', `The network ${name} was created but cannot be found.`);
  return docker.getNetwork(created.Id).inspect() as Promise<Docker.NetworkInspectInfo>;
}

export async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw asBerthError(error, 'DOCKER_ERROR', `Could not inspect the image ${ref}`);
  }
}

/**
 * Pulls an image, scanning every progress message for an error: the stream ending is not success.
 * Registries that need no login still get an (empty) auth header, which some daemons insist on.
 */
export async function pullImage(
  docker: Docker,
  ref: string,
  options: { signal?: AbortSignal; onProgress?: (text: string) => void } = {},
): Promise<void> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(ref, { authconfig: {}, abortSignal: options.signal });
  } catch (error) {
    throw asBerthError(error, 'IMAGE_PULL_FAILED', `Could not pull ${ref}`);
  }
  let failure: string | null = null;
  const seen = new Set<string>();
  await eachJsonMessage(stream as import('node:stream').Readable, (message) => {
    failure = failure ?? messageError(message);
    const status = typeof message.status === 'string' ? message.status : '';
    const id = typeof message.id === 'string' ? `${message.id}: ` : '';
    // progress bars repeat the same status hundreds of times; report each status once
    if (status && !seen.has(id + status)) {
      seen.add(id + status);
      options.onProgress?.(`${id}${status}`);
    }
  }).catch((error: unknown) => {
    throw options.signal?.aborted ? new BerthError('CANCELLED', 'The pull was cancelled.') : asBerthError(error, 'IMAGE_PULL_FAILED', `Pulling ${ref} broke off`);
  });
  if (failure !== null) throw new BerthError('IMAGE_PULL_FAILED', `Could not pull ${ref}: ${failure}`);
}
