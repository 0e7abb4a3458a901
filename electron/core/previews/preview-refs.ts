import { openSourceCredentials } from '../apps/git-credentials';
import type { StoredApp } from '../apps/app-store';
import type { LinkProvider } from '../ssh/server-link';
import type { SecretStore } from '../store/secret-store';
import { listRemoteRefs, type RemoteRef } from '../watch/remote-refs';
import type { RefLister } from './preview-service';

/** Full ref names, as a preview's ref may be written: a pull request's head under GitHub's and GitLab's names. */
export function refNames(refs: readonly RemoteRef[]): Set<string> {
  const out = new Set<string>();
  for (const ref of refs) {
    if (ref.kind === 'branch') out.add(`refs/heads/${ref.name}`);
    if (ref.kind === 'tag') out.add(`refs/tags/${ref.name}`);
    if (ref.kind === 'pull') {
      for (const name of [`refs/pull/${ref.name}/head`, `refs/pull/${ref.name}/merge`, `refs/merge-requests/${ref.name}/head`]) out.add(name);
    }
  }
  return out;
}

/** Asks the app's remote from its server, as the server is where its clones run and its credentials work. */
export function serverRefLister(links: LinkProvider, secrets: SecretStore): RefLister {
  return async (app: StoredApp) => {
    if (app.source.kind !== 'git') return new Set();
    const credentials = await openSourceCredentials(app.source, secrets);
    const link = await links.acquire(app.serverId);
    try {
      return refNames(await listRemoteRefs(link, { url: app.source.url, kinds: ['branch', 'tag', 'pull'], credentials }));
    } finally {
      links.release(app.serverId);
    }
  };
}
