import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { BerthError, isBerthError, type ErrorCode } from '../../../shared/errors';
import { isNotFound, messageOf, statusOf } from '../deploy/docker-util';
import { eachJsonMessage, messageError } from '../deploy/json-stream';
import { authConfig, redact, releaseRepository, type RegistryAccess } from './registry-ref';

export interface TransferOptions {
  signal?: AbortSignal;
  /** Progress lines, each status once (never a credential). */
  onProgress?: (text: string) => void;
}

/**
 * Pushes a release's image as `<registry>/<app>:<seq>` and returns its manifest digest (`repo@sha256:…`).
 * Credentials travel only in the X-Registry-Auth header; nothing here logs them.
 */
export async function pushRelease(docker: Docker, imageId: string, registry: RegistryAccess, app: string, seq: number, options: TransferOptions = {}): Promise<string> {
  const repo = releaseRepository(registry, app);
  try {
    await docker.getImage(imageId).tag({ repo, tag: String(seq) });
  } catch (error) {
    throw registryError(error, registry, `Could not tag ${imageId.slice(7, 19)} as ${repo}:${seq}`);
  }
  let digest: string | null = null;
  await followJson(
    () => docker.getImage(repo).push({ tag: String(seq), authconfig: authConfig(registry), abortSignal: options.signal }),
    registry,
    `Could not push ${repo}:${seq}`,
    (message) => {
      const aux = message.aux as { Digest?: unknown } | undefined;
      if (typeof aux?.Digest === 'string') digest = aux.Digest;
    },
    options,
  );
  if (digest === null) throw new BerthError('REGISTRY_ERROR', `The registry took ${repo}:${seq} but did not say its digest.`);
  return `${repo}@${digest}`;
}

/** Pulls a release back from the registry (by digest or tag) and checks it is the very image it ran, then tags it. */
export async function pullRef(docker: Docker, registry: RegistryAccess, ref: string, expect: { id: string; tag: string }, options: TransferOptions = {}): Promise<void> {
  await followJson(() => docker.pull(ref, { authconfig: authConfig(registry), abortSignal: options.signal }), registry, `Could not pull ${ref}`, () => undefined, options);
  await checkAndTag(docker, ref, expect, `${ref} in the registry`);
}

/** Whether the registry has this reference, asked through the server's daemon (what the server could pull). */
export async function registryHas(docker: Docker, registry: RegistryAccess, ref: string): Promise<boolean> {
  try {
    const info = (await docker.getImage(ref).distribution({ authconfig: authConfig(registry) })) as { Descriptor?: { digest?: string } };
    return typeof info.Descriptor?.digest === 'string';
  } catch (error) {
    const status = statusOf(error);
    if (status === 404 || status === 401 || /not found|unknown|no such|manifest/i.test(messageOf(error))) return false;
    throw registryError(error, registry, `Could not ask the registry for ${ref}`);
  }
}

/**
 * Copies an image from one daemon to another (`docker save | docker load`), streamed through this computer: the
 * archive never sits in memory. Tags it `expect.tag` on the receiving side once its ID is checked.
 */
export async function copyImage(from: Docker, to: Docker, expect: { id: string; tag: string }, options: TransferOptions = {}): Promise<void> {
  const archive = (await from.getImage(expect.id).get()) as unknown as Readable;
  await loadArchive(to, archive, options);
  await checkAndTag(to, expect.id, expect, 'The copied image');
}

/** Saves an image into a file on this computer (written aside, then renamed, so a broken save leaves no file). */
export async function saveToFile(docker: Docker, imageId: string, path: string, options: TransferOptions = {}): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.${process.pid}.partial`;
  try {
    const archive = (await docker.getImage(imageId).get()) as unknown as Readable;
    await pipeline(archive, createWriteStream(partial, { mode: 0o600 }), { signal: options.signal });
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** Loads an image saved on this computer back into a daemon and tags it. */
export async function loadFromFile(docker: Docker, path: string, expect: { id: string; tag: string }, options: TransferOptions = {}): Promise<void> {
  await loadArchive(docker, createReadStream(path), options);
  await checkAndTag(docker, expect.id, expect, `The image loaded from ${path}`);
}

async function loadArchive(docker: Docker, archive: Readable, options: TransferOptions): Promise<void> {
  let failure: string | null = null;
  const response = (await docker.loadImage(archive, { quiet: true, abortSignal: options.signal } as object)) as unknown as Readable;
  archive.once('error', (error) => response.destroy(error));
  await eachJsonMessage(response, (message) => {
    failure = failure ?? messageError(message);
    if (typeof message.stream === 'string' && message.stream.trim()) options.onProgress?.(message.stream.trim());
  });
  if (failure !== null) throw new BerthError('DOCKER_ERROR', `Loading the image failed: ${failure}`);
}

async function checkAndTag(docker: Docker, ref: string, expect: { id: string; tag: string }, what: string): Promise<void> {
  const info = await docker
    .getImage(ref)
    .inspect()
    .catch((error: unknown) => {
      throw new BerthError('IMAGE_GONE', `${what} cannot be found after the transfer: ${messageOf(error)}`);
    });
  if (info.Id !== expect.id) {
    throw new BerthError('IMAGE_GONE', `${what} is ${info.Id.slice(7, 19)}, not the release's image ${expect.id.slice(7, 19)}: it was overwritten.`, { expected: expect.id, found: info.Id });
  }
  const colon = expect.tag.lastIndexOf(':');
  await docker.getImage(expect.id).tag({ repo: expect.tag.slice(0, colon), tag: expect.tag.slice(colon + 1) });
}

/** Runs a streamed registry call to its end, scanning every message for an error: the stream ending is not success. */
async function followJson(
  start: () => Promise<unknown>,
  registry: RegistryAccess,
  what: string,
  onMessage: (message: Record<string, unknown>) => void,
  options: TransferOptions,
): Promise<void> {
  let failure: string | null = null;
  const seen = new Set<string>();
  try {
    const stream = (await start()) as Readable;
    await eachJsonMessage(stream, (message) => {
      failure = failure ?? messageError(message);
      onMessage(message);
      const status = typeof message.status === 'string' ? `${typeof message.id === 'string' ? `${message.id}: ` : ''}${message.status}` : '';
      if (status && !seen.has(status)) {
        seen.add(status);
        options.onProgress?.(redact(status, registry));
      }
    });
  } catch (error) {
    if (options.signal?.aborted) throw new BerthError('CANCELLED', `${what}: cancelled.`);
    throw registryError(error, registry, what);
  }
  if (failure !== null) throw registryError(new Error(failure), registry, what);
}

function registryError(error: unknown, registry: RegistryAccess, what: string): BerthError {
  if (isBerthError(error)) return error;
  const message = redact(messageOf(error).trim(), registry);
  const code: ErrorCode = statusOf(error) === 401 || /unauthori[sz]ed|authentication required|denied/i.test(message) ? 'REGISTRY_AUTH_FAILED' : isNotFound(error) ? 'IMAGE_GONE' : 'REGISTRY_ERROR';
  return new BerthError(code, `${what}: ${message}`);
}
