import { randomBytes } from 'node:crypto';
import type { BuildSettings } from '../../../shared/api/apps';
import type { RecordedPlan } from '../../../shared/api/build-modes';
import type { Commit } from '../../../shared/api/deployments';
import { BerthError } from '../../../shared/errors';
import { withoutCredentials } from '../../../shared/safe-input';
import type { PlanInput } from '../builds/build-plan';
import { planClone, planFolder, startPlan } from '../builds/source-plan';
import { buildImage } from '../deploy/build';
import type { Labels } from '../deploy/labels';
import { archiveFromServer, type CloneTarget } from '../deploy/source-git';
import { ShellSession } from '../locks/shell-session';
import type { DeploymentLog } from '../logs/deployment-log';
import type { ServerLink } from '../ssh/server-link';
import { cacheDir, exportScript } from './context-scripts';
import { buildFromFolder } from './folder-build';
import { fetchLocally } from './local-git';
import { buildOnServer } from './server-build';
import { fetchOnServer, repoCacheDir, treeish } from './server-git';
import { serverDaemonId } from '../ssh/daemon-id';
import { serverTools, whyNoCache } from './server-tools';

export type FetchOn = 'server' | 'this-computer';

export interface GitBuild {
  app: string;
  target: CloneTarget;
  /** The app's choice; when absent, the server fetches if it has git, else this computer does. */
  fetchOn: FetchOn | undefined;
  /** A folder of this computer for the app's repository cache, when it has to fetch. */
  localCache: string;
  build: BuildSettings;
  plan: PlanInput;
  tag: string;
  labels: (commit: Commit) => Labels;
}

export interface GitBuilt {
  id: string;
  commit: Commit;
  plan: RecordedPlan | null;
}

/** Where a git source is fetched: the app's choice, else the server when it has git. */
export function fetchPlace(choice: FetchOn | undefined, serverHasGit: boolean): FetchOn {
  return choice ?? (serverHasGit ? 'server' : 'this-computer');
}

/**
 * Builds a commit of a git repository. On a server with git, the commit is fetched shallowly into the app's
 * repository cache there and, where the server's docker CLI can build, exported into its build-context folder and
 * built without crossing the link; on a server without git, it is fetched on this computer and sent as a folder
 * (only what changed since the last deploy).
 */
export async function buildFromGit(link: ServerLink, request: GitBuild, log: DeploymentLog, signal: AbortSignal): Promise<GitBuilt> {
  const tools = await serverTools(link, signal);
  const place = fetchPlace(request.fetchOn, tools?.git ?? false);
  const url = withoutCredentials(request.target.url);
  if (place === 'this-computer') {
    if (request.fetchOn === undefined) log.info('The server has no git: fetching on this computer and sending the files');
    const checkout = await fetchLocally(request.target, request.localCache, log, signal);
    log.info(`Building ${request.tag} from ${url}@${checkout.commit.hash.slice(0, 12)}`);
    const plan = startPlan(planFolder(checkout.folder, request.plan), request.plan, log);
    const build = { ...request.build, dockerfile: plan.dockerfile };
    const folder = { app: request.app, path: checkout.folder, build, tag: request.tag, labels: request.labels(checkout.commit), extraFiles: plan.extraFiles };
    const { id } = await buildFromFolder(link, folder, log, signal);
    return { id, commit: checkout.commit, plan: plan.recorded };
  }
  if (!tools?.home) throw new BerthError('GIT_FAILED', `The server did not say where its SSH user's home is, so the repository of ${request.app} cannot be kept there.`);
  const daemon = await serverDaemonId(link);
  const repo = await fetchOnServer(link, request.target, repoCacheDir(tools.home, daemon, request.app), log, signal);
  log.info(`Building ${request.tag} from ${url}@${repo.commit.hash.slice(0, 12)}`);
  const plan = startPlan(await planClone(link, repo, request.plan, signal), request.plan, log);
  const buildkit = request.build.builder !== 'classic';
  const labels = request.labels(repo.commit);
  const options = { dockerfile: plan.dockerfile, args: request.build.args, target: request.build.target, clean: request.build.clean, buildkit };
  const why = !link.remote ? 'this computer builds through its own Docker socket' : whyNoCache(tools, daemon, buildkit);
  if (why !== null) {
    if (link.remote) log.info(`Streaming the commit's files through the link: ${why}.`);
    const context = archiveFromServer(link, repo, request.build.context, log, signal, plan.extraFiles);
    const { id } = await buildImage(link.docker, { ...options, context, tag: request.tag, labels }, log, signal);
    return { id, commit: repo.commit, plan: plan.recorded };
  }
  const dir = cacheDir(daemon, request.app);
  const gen = randomBytes(8).toString('hex');
  const exported = await ShellSession.of(link).run(exportScript(dir, repo.dir, treeish(repo.commit, request.build.context), gen, plan.extraFiles), 600_000);
  if (exported.code !== 0) throw new BerthError('GIT_FAILED', `Could not write ${repo.commit.hash.slice(0, 12)} into the build-context folder on the server: ${exported.output.trim().slice(-300)}`);
  const outcome = await buildOnServer(link, dir, { ...options, gen, restat: false, tag: request.tag, labels }, [], log, signal);
  if (outcome.kind === 'tree-changed') throw new BerthError('BUILD_FAILED', 'Another deploy of this app changed its build context on the server during this one; deploy again.');
  return { id: outcome.id, commit: repo.commit, plan: plan.recorded };
}
