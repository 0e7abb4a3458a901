import type { BuildSettings } from '../../../shared/api/apps';
import type { DeploymentLog } from '../logs/deployment-log';
import type { ServerLink } from '../ssh/server-link';
import { buildImage } from '../deploy/build';
import type { Labels } from '../deploy/labels';
import type { ExtraFile } from '../deploy/context-files';
import { packFolder } from '../deploy/source-folder';
import { cacheDir } from './context-scripts';
import { prepareSync } from './context-sync';
import { localContext } from './local-manifest';
import { serverDaemonId } from '../ssh/daemon-id';
import { serverTools, whyNoCache } from './server-tools';
import { buildOnServer } from './server-build';

export interface FolderBuild {
  app: string;
  /** The source folder on this computer (the build context is `build.context` inside it). */
  path: string;
  build: BuildSettings;
  tag: string;
  labels: Labels;
  /** Generated files added to the context (a written Dockerfile). */
  extraFiles: readonly ExtraFile[];
}

/** Another deploy of the app may change the server's tree between a sync and its build: sync again this often. */
const ATTEMPTS = 3;

/**
 * Builds a folder of this computer on a server. Where the server can, the folder is mirrored into the app's
 * build-context cache there (only changed files cross the link) and built from it by the server's docker CLI;
 * elsewhere (this computer, or a server without what that needs) the whole context is streamed to the daemon, and the
 * log says why.
 */
export async function buildFromFolder(link: ServerLink, request: FolderBuild, log: DeploymentLog, signal: AbortSignal): Promise<{ id: string }> {
  const buildkit = request.build.builder !== 'classic';
  const why = link.remote ? await whyNotCached(link, buildkit, signal) : null;
  if (!link.remote || why !== null) {
    if (why !== null) log.info(`Sending the whole build context: ${why}.`);
    const context = packFolder(request.path, request.build, request.extraFiles);
    const options = { dockerfile: request.build.dockerfile, args: request.build.args, target: request.build.target, clean: request.build.clean, buildkit };
    return buildImage(link.docker, { ...options, context, tag: request.tag, labels: request.labels }, log, signal);
  }
  const local = await localContext(request.path, request.build, request.extraFiles);
  const dir = cacheDir(await serverDaemonId(link), request.app);
  for (let attempt = 1; ; attempt++) {
    const sync = await prepareSync(link, dir, local);
    const spec = {
      gen: sync.gen,
      restat: sync.changed,
      tag: request.tag,
      dockerfile: local.dockerfile,
      args: request.build.args,
      target: request.build.target,
      clean: request.build.clean,
      labels: request.labels,
      buildkit,
    };
    const { plan } = sync;
    const files = local.entries.filter((e) => e.type === 'file').length;
    const changed = plan.send.filter((e) => e.type !== 'dir').length;
    log.info(`Build context: ${changed} of ${files} files to send, ${plan.remove.length} removed, ${plan.kept} kept on the server`);
    const outcome = await buildOnServer(link, dir, spec, plan.send, log, signal);
    if (outcome.kind === 'built') {
      log.info(`Sent ${formatBytes(sync.sentBytes + outcome.sentBytes)} for the build context`);
      return { id: outcome.id };
    }
    if (attempt >= ATTEMPTS) {
      log.info('Another deploy of this app keeps changing its build context on the server; sending the whole context instead.');
      const context = packFolder(request.path, request.build, request.extraFiles);
      return buildImage(link.docker, { ...spec, context }, log, signal);
    }
    log.info('Another deploy of this app changed its build context on the server meanwhile; syncing again.');
  }
}

async function whyNotCached(link: ServerLink, buildkit: boolean, signal: AbortSignal): Promise<string | null> {
  const tools = await serverTools(link, signal);
  if (tools === null) return 'the server did not answer the check for tar, find, flock and docker';
  return whyNoCache(tools, await serverDaemonId(link), buildkit);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
