import type { VolumeMount } from '../../../shared/api/apps';
import { DEFAULT_PREVIEW_LIMIT } from '../../../shared/defaults';
import { BerthError } from '../../../shared/errors';
import type { StoredApp } from '../apps/app-store';
import { previewDomains, previewName, type NameHolder } from './preview-name';

export function previewLimit(app: Pick<StoredApp, 'previews'>): number {
  return app.previews?.limit ?? DEFAULT_PREVIEW_LIMIT;
}

/** The previews of one app among a server's apps. */
export function previewsOf(apps: readonly StoredApp[], parent: string): StoredApp[] {
  return apps.filter((a) => a.previewOf?.app === parent);
}

/**
 * A named volume of the preview is its own (`data` becomes `data-preview-<slug>`), so a branch never writes the
 * app's data; a server path (a bind mount) is the user's choice and stays as it is.
 */
function ownVolume(volume: VolumeMount, slug: string): VolumeMount {
  return volume.source.startsWith('/') ? volume : { ...volume, source: `${volume.source}-preview-${slug}` };
}

/**
 * The preview's app as it must be stored for this deploy: the parent's definition on the branch, at its own host
 * names, without the parent's published ports (a server port cannot be held twice) and with its own named volumes.
 * Taken from the parent again on every deploy, so a preview follows the app's settings; its history stays its own.
 */
export function derivePreview(parent: StoredApp, ref: string, holder: NameHolder, existing: StoredApp | undefined, now: Date): StoredApp {
  if (parent.previewOf) {
    throw new BerthError('PREVIEW_INVALID', `"${parent.name}" is itself a preview of ${parent.previewOf.app}: make the preview from ${parent.previewOf.app}.`);
  }
  if (parent.source.kind !== 'git') {
    throw new BerthError(
      'PREVIEW_INVALID',
      `Previews are made from a git app's branches, and "${parent.name}" deploys a ${parent.source.kind}: give it a git source (berth app set ${parent.name} --git URL).`,
    );
  }
  const { name, slug } = previewName(parent.name, ref, holder);
  const at = now.toISOString();
  return {
    serverId: parent.serverId,
    name,
    source: { ...parent.source, ref },
    build: parent.build,
    runtime: {
      ...parent.runtime,
      published: [],
      volumes: parent.runtime.volumes.map((v) => ownVolume(v, slug)),
      domains: previewDomains(parent.name, parent.runtime.domains, slug),
    },
    retention: parent.retention,
    previewOf: { app: parent.name, ref },
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  };
}

/**
 * Refuses a new preview once the app runs as many as its limit allows; a branch that has a preview already is
 * deployed again whatever the limit.
 */
export function checkPreviewLimit(parent: StoredApp, previews: readonly StoredApp[], ref: string): void {
  if (previews.some((p) => p.previewOf?.ref === ref)) return;
  const limit = previewLimit(parent);
  if (previews.length < limit) return;
  const running = previews.map((p) => p.previewOf?.ref ?? p.name).join(', ');
  throw new BerthError(
    'PREVIEW_LIMIT',
    limit === 0
      ? `"${parent.name}" allows no previews (its preview limit is 0): raise it with berth app set ${parent.name} --preview-limit 3.`
      : `"${parent.name}" already runs ${previews.length} preview${previews.length === 1 ? '' : 's'} (${running}), its limit: remove one with berth preview remove ${parent.name} BRANCH, or raise the limit with berth app set ${parent.name} --preview-limit ${limit + 1}.`,
    { limit, running: previews.map((p) => p.previewOf?.ref) },
  );
}

/** The previews whose branch the remote no longer has: removed without being asked. */
export function previewsGone(previews: readonly StoredApp[], refs: ReadonlySet<string>): StoredApp[] {
  return previews.filter((p) => {
    const ref = p.previewOf?.ref;
    if (ref === undefined) return false;
    return ![ref, `refs/heads/${ref}`, `refs/tags/${ref}`].some((name) => refs.has(name));
  });
}
