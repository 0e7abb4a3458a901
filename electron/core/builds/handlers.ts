import type { buildsMethods, BuildPlan } from '../../../shared/api/builds';
import { BerthError } from '../../../shared/errors';
import type { AppStore, StoredApp } from '../apps/app-store';
import { openSourceCredentials } from '../apps/git-credentials';
import { cloneOnServer, removeClone, type CloneLog } from '../deploy/source-git';
import type { ReleaseStore } from '../releases/release-store';
import type { HandlerGroup } from '../rpc/dispatcher';
import type { LinkProvider, ServerLink } from '../ssh/server-link';
import type { SecretStore } from '../store/secret-store';
import type { PlanInput } from './build-plan';
import { clearAppCache } from './build-cache';
import { buildWindows } from './cache-records';
import { planClone, planFolder } from './source-plan';

export interface BuildHandlerDeps {
  apps: AppStore;
  store: ReleaseStore;
  links: LinkProvider;
  secrets: SecretStore;
}

/** Every record of the app counts when telling its cache apart: history is short next to this. */
const ALL_RECORDS = 100_000;

function planInput(app: StoredApp): PlanInput {
  return { build: app.build, httpPort: app.runtime.httpPort, hasCommand: app.runtime.command !== null };
}

async function withLink<T>(links: LinkProvider, serverId: string, use: (link: ServerLink) => Promise<T>): Promise<T> {
  const link = await links.acquire(serverId);
  try {
    return await use(link);
  } finally {
    links.release(serverId);
  }
}

export function createBuildHandlers({ apps, store, links, secrets }: BuildHandlerDeps): HandlerGroup<keyof typeof buildsMethods> {
  const planGit = (app: StoredApp): Promise<BuildPlan> =>
    withLink(links, app.serverId, async (link) => {
      const source = app.source;
      if (source.kind !== 'git') throw new BerthError('INTERNAL', 'not a git source');
      const signal = new AbortController().signal;
      // a plan is a question, not a deployment: the clone's output has no log to go to, and its failure says enough
      const log: CloneLog = { mask: () => undefined, info: () => undefined, lines: () => undefined, chunk: () => undefined };
      const repo = await cloneOnServer(link, { url: source.url, ref: source.ref, credentials: await openSourceCredentials(source, secrets) }, log, signal);
      try {
        return await planClone(link, repo, planInput(app), signal);
      } finally {
        await removeClone(link, repo.dir);
      }
    });
  return {
    'builds.plan': async ({ serverId, app: name }) => {
      const app = apps.get(serverId, name);
      if (app.source.kind === 'image') {
        throw new BerthError('SOURCE_INVALID', `${name} runs the image ${app.source.image}: nothing is built, so there is no build plan.`);
      }
      if (app.source.kind === 'folder') return planFolder(app.source.path, planInput(app));
      if (app.source.kind === 'archive') {
        throw new BerthError('SOURCE_INVALID', `${name} is built from the archive given with each deployment: its plan is made, logged and kept with the release once one is deployed.`);
      }
      return planGit(app);
    },
    'builds.clearCache': async ({ serverId, app: name }) => {
      apps.get(serverId, name);
      const windows = buildWindows(store.list(serverId, { app: name, limit: ALL_RECORDS }), Date.now());
      return withLink(links, serverId, (link) => clearAppCache(link.docker, name, windows));
    },
  };
}
