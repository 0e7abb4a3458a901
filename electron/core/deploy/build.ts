import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { BerthError } from '../../../shared/errors';
import type { DeploymentLog } from '../logs/deployment-log';
import { asBerthError } from './docker-util';
import { TraceReader } from './buildkit-trace';
import { eachJsonMessage, messageError } from './json-stream';
import type { Labels } from './labels';

export interface BuildRequest {
  /** The build context as a tar stream; it flows to the daemon as it is produced. */
  context: Readable;
  tag: string;
  dockerfile: string;
  args: Record<string, string>;
  target?: string | undefined;
  clean: boolean;
  labels: Labels;
  /** BuildKit (the daemon's own, `version=2`): labels cost no extra step and independent steps run in parallel. */
  buildkit?: boolean;
}

/**
 * Builds on the server's engine through the link, streaming the daemon's output to the deployment log. Success is
 * an image ID announced by the daemon and no error message anywhere in the stream: the stream's end alone says
 * nothing. Aborting the signal closes the request, which makes the daemon stop the build.
 */
export async function buildImage(docker: Docker, request: BuildRequest, log: DeploymentLog, signal: AbortSignal): Promise<{ id: string }> {
  let stream: Readable;
  try {
    stream = await postBuild(docker, request, signal);
  } catch (error) {
    if (signal.aborted) throw new BerthError('CANCELLED', 'The build was cancelled.');
    const failure = asBerthError(error, 'BUILD_FAILED', 'The build could not start');
    if (/Cannot locate specified Dockerfile|no such file or directory.*Dockerfile/i.test(failure.message)) {
      throw new BerthError('DOCKERFILE_MISSING', `No Dockerfile at ${request.dockerfile} in the build context.`);
    }
    throw failure;
  }
  const onAbort = (): void => {
    stream.destroy();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  let id: string | null = null;
  let failure: string | null = null;
  const trace = new TraceReader();
  try {
    await eachJsonMessage(stream, (message) => {
      const error = messageError(message);
      if (error !== null) {
        failure ??= error;
        log.lines('err', error);
        return;
      }
      if (message.id === 'moby.buildkit.trace' && typeof message.aux === 'string') {
        for (const line of trace.lines(message.aux)) log.lines(line.stream, line.text);
        return;
      }
      if (typeof message.stream === 'string') log.chunk('out', message.stream);
      else if (typeof message.status === 'string') log.lines('out', message.status);
      const aux = message.aux as { ID?: unknown } | undefined;
      if (aux && typeof aux.ID === 'string') id = aux.ID;
    });
  } catch (error) {
    if (signal.aborted) throw new BerthError('CANCELLED', 'The build was cancelled.');
    throw asBerthError(error, 'BUILD_FAILED', 'The build stream broke off');
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  if (signal.aborted) throw new BerthError('CANCELLED', 'The build was cancelled.');
  if (failure !== null) throw new BerthError('BUILD_FAILED', `The build failed: ${String(failure).trim()}`);
  if (id === null) {
    // older daemons announce the result only as text
    const image = await docker.getImage(request.tag).inspect().catch(() => null);
    if (!image) throw new BerthError('BUILD_FAILED', 'The build ended without producing an image.');
    id = image.Id;
  }
  return { id };
}

/**
 * POST /build straight through the modem. dockerode's buildImage opens a BuildKit session (a gRPC server over a
 * hijacked connection) for registry credentials, which Berth does not need and which can throw outside any promise
 * when the link is busy; the daemon builds an uploaded context without one.
 */
function postBuild(docker: Docker, request: BuildRequest, signal: AbortSignal): Promise<Readable> {
  const options = {
    t: request.tag,
    dockerfile: request.dockerfile,
    buildargs: request.args,
    ...(request.target ? { target: request.target } : {}),
    nocache: request.clean,
    pull: false,
    rm: true,
    forcerm: true,
    labels: request.labels,
    ...(request.buildkit ? { version: '2' } : {}),
  };
  return new Promise((resolve, reject) => {
    (docker.modem as unknown as { dial(opts: object, cb: (error: unknown, data: unknown) => void): void }).dial(
      {
        path: '/build?',
        method: 'POST',
        file: request.context,
        options,
        abortSignal: signal,
        isStream: true,
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      },
      (error, data) => (error ? reject(error) : resolve(data as Readable)),
    );
  });
}
