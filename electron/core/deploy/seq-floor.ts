import type { LinkProvider, ServerLink } from '../ssh/server-link';
import { LABEL, labelFilter } from './labels';

/**
 * The seq a new deployment gets: one above the highest this home recorded and the highest the server shows for the
 * app. Another home (a CI job's fresh one) may have deployed the app already: counting from its own records alone, it
 * would tag `<app>:1` again and take that name from a release another history still points at.
 */
export function nextSeq(highestRecorded: number | null, highestOnServer: number): number {
  return Math.max(highestRecorded ?? 0, highestOnServer) + 1;
}

/** The highest seq the server shows: image tags `<app>:<n>` and the seq labels of the app's containers. */
export function highestSeqSeen(app: string, imageTags: readonly string[], containerSeqLabels: readonly (string | undefined)[]): number {
  const fromTags = imageTags.map((tag) => (tag.startsWith(`${app}:`) ? tag.slice(app.length + 1) : ''));
  const seqs = [...fromTags, ...containerSeqLabels].filter((v): v is string => v !== undefined && /^[1-9]\d{0,9}$/.test(v)).map(Number);
  return Math.max(0, ...seqs);
}

export async function highestSeqOnServer(link: ServerLink, app: string): Promise<number> {
  const [images, containers] = await Promise.all([
    link.docker.listImages({ filters: { reference: [app] } }),
    link.docker.listContainers({ all: true, filters: { label: labelFilter({ [LABEL.app]: app }) } }),
  ]);
  return highestSeqSeen(
    app,
    images.flatMap((i) => i.RepoTags ?? []),
    containers.map((c) => c.Labels[LABEL.seq]),
  );
}

/**
 * The same, through a lease of the server's link. A server that cannot be asked yields 0: the deployment itself
 * then fails to reach it, before anything is tagged.
 */
export async function serverSeqFloor(links: LinkProvider, serverId: string, app: string): Promise<number> {
  try {
    const link = await links.acquire(serverId);
    try {
      return await highestSeqOnServer(link, app);
    } finally {
      links.release(serverId);
    }
  } catch {
    return 0;
  }
}
