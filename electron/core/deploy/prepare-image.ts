import type Docker from 'dockerode';
import type { BuildSettings } from '../../../shared/api/apps';
import type { RecordedPlan } from '../../../shared/api/build-modes';
import type { Commit, ImageInfo, SourceSnapshot } from '../../../shared/api/deployments';
import { BerthError } from '../../../shared/errors';
import { formatBytes } from '../../../shared/format';
import type { GitCredentials } from '../apps/git-credentials';
import { needsFacts, planBuild, type PlanInput } from '../builds/build-plan';
import { planFolder, startPlan } from '../builds/source-plan';
import { buildFromFolder } from '../context/folder-build';
import { buildFromGit } from '../context/git-build';
import type { DeploymentLog } from '../logs/deployment-log';
import type { ServerLink } from '../ssh/server-link';
import { buildImage } from './build';
import { asBerthError } from './docker-util';
import { LABEL } from './labels';
import { archiveContext } from '../archive/archive-context';
import type { CheckedArchive } from '../archive/archive-scan';
import { obtainImage } from './source-image';

export interface PrepareRequest {
  app: string;
  seq: number;
  deploymentId: string;
  source: SourceSnapshot['source'];
  build: BuildSettings;
  /** Opened from the source's sealed credentials, for the fetch only. */
  gitCredentials?: GitCredentials | null;
  /** A folder of this computer for the app's repository cache, used when this computer fetches a git source. */
  localCache: string;
  /** What a written Dockerfile needs from the runtime: the port to listen on, and whether the app brings its command. */
  runtime?: { httpPort: number | null; command: string[] | null };
  /** For an archive source: the file, checked when the deployment was asked for. */
  archive?: CheckedArchive | undefined;
}

function planInput(request: PrepareRequest): PlanInput {
  return { build: request.build, httpPort: request.runtime?.httpPort ?? null, hasCommand: (request.runtime?.command ?? null) !== null };
}

export function imageTag(app: string, seq: number): string {
  return `${app}:${seq}`;
}

/**
 * Produces the image a deployment will run, on the server's engine: built from a local folder, a commit fetched on
 * the server or on this computer, or an archive, or pulled (or found on the server, as the pull policy allows). Either way it ends tagged `<app>:<seq>`, so every release has a name of its own.
 */
export async function prepareImage(
  link: ServerLink,
  request: PrepareRequest,
  log: DeploymentLog,
  signal: AbortSignal,
): Promise<{ image: ImageInfo; commit: Commit | null; plan: RecordedPlan | null }> {
  const tag = imageTag(request.app, request.seq);
  const source = request.source;
  const labels = (commit: Commit | null) => ({
    [LABEL.managed]: 'true',
    [LABEL.app]: request.app,
    [LABEL.deployment]: request.deploymentId,
    [LABEL.commit]: commit?.hash ?? '',
  });
  switch (source.kind) {
    case 'folder': {
      log.info(`Building ${tag} from ${source.path}`);
      const plan = startPlan(planFolder(source.path, planInput(request)), planInput(request), log);
      const build = { ...request.build, dockerfile: plan.dockerfile };
      const folder = { app: request.app, path: source.path, build, tag, labels: labels(null), extraFiles: plan.extraFiles };
      const { id } = await buildFromFolder(link, folder, log, signal);
      return { image: await describe(link.docker, tag, id), commit: null, plan: plan.recorded };
    }
    case 'git': {
      const target = { url: source.url, ref: source.ref, credentials: request.gitCredentials ?? null };
      const git = { app: request.app, target, fetchOn: source.fetchOn, localCache: request.localCache, build: request.build, plan: planInput(request), tag, labels };
      const built = await buildFromGit(link, git, log, signal);
      return { image: await describe(link.docker, tag, built.id), commit: built.commit, plan: built.plan };
    }
    case 'archive': {
      const archive = request.archive;
      if (!archive) throw new BerthError('SOURCE_INVALID', 'The archive of this deployment is no longer at hand (Berth restarted since it was queued). Deploy the archive again.');
      const { name, size, sha256, root } = archive.info;
      log.info(`Building ${tag} from ${name}${root ? ` (folder ${root})` : ''}, ${formatBytes(size)}, sha256 ${sha256}`);
      const plan = startPlan(planBuild(planInput(request), needsFacts(request.build) ? archive.facts : null), planInput(request), log);
      const context = archiveContext(archive, plan.extraFiles);
      const build = { ...request.build, dockerfile: plan.dockerfile };
      const built = await buildImage(link.docker, { ...buildOptions(build), context: context.stream, tag, labels: labels(null) }, log, signal).catch((error: unknown) => {
        throw context.failure() ?? error;
      });
      return { image: await describe(link.docker, tag, built.id), commit: null, plan: plan.recorded };
    }
    case 'image': {
      await obtainImage(link, source, log, signal);
      try {
        await link.docker.getImage(source.image).tag({ repo: request.app, tag: String(request.seq) });
      } catch (error) {
        throw asBerthError(error, 'DOCKER_ERROR', `Could not tag ${source.image} as ${tag}`);
      }
      const info = await link.docker.getImage(tag).inspect();
      log.info(`Tagged ${source.image} (${info.Id.slice(7, 19)}) as ${tag}`);
      return { image: await describe(link.docker, tag, info.Id, source.image), commit: null, plan: null };
    }
  }
}

function buildOptions(build: BuildSettings) {
  return { dockerfile: build.dockerfile, args: build.args, target: build.target, clean: build.clean, buildkit: build.builder !== 'classic' };
}

async function describe(docker: Docker, tag: string, id: string, pulledFrom?: string): Promise<ImageInfo> {
  const info = await docker.getImage(id).inspect().catch(() => null);
  if (!info) throw new BerthError('IMAGE_GONE', `The image ${tag} (${id}) disappeared right after it was made.`);
  const repo = pulledFrom ? repository(pulledFrom) : null;
  const digest = (info.RepoDigests ?? []).find((d) => repo !== null && d.startsWith(`${repo}@`)) ?? info.RepoDigests?.[0] ?? null;
  return { tag, id: info.Id, digest };
}

/** `host:5000/team/web:1` → `host:5000/team/web` (a registry port is not a tag). */
export function repository(ref: string): string {
  const noDigest = ref.split('@')[0] ?? ref;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}
