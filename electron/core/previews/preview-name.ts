import { createHash } from 'node:crypto';
import { BerthError } from '../../../shared/errors';

/** The longest app name (AppName's limit): a preview's name is `<app>-<slug>` and must fit it. */
const APP_NAME_MAX = 48;
/** A DNS label: the slug is the first label of the preview's host names. */
const DNS_LABEL_MAX = 63;
/** Shorter slugs than this cannot tell branches apart: the app's own name is then too long for previews. */
const SLUG_MIN = 8;
const HASH_LENGTH = 6;

/**
 * A branch as git names it, or a pull-request ref: letters, digits and `._/+@-`, no `..`, no empty part, not
 * starting with "-" or "/", not ending with "/", "." or ".lock". Nothing else reaches git's command line.
 */
export function checkPreviewRef(ref: string): string | null {
  if (ref === '') return 'is empty';
  if (ref.startsWith('-')) return 'starts with "-"';
  const bad = /[^A-Za-z0-9._/+@-]/.exec(ref);
  if (bad) return `contains ${JSON.stringify(bad[0])}`;
  if (ref.startsWith('/') || ref.endsWith('/') || ref.includes('//')) return 'has an empty part between "/"';
  if (ref.includes('..')) return 'contains ".."';
  if (ref.endsWith('.') || ref.endsWith('.lock')) return 'ends with "." or ".lock"';
  return null;
}

/** The same branch however it was written: `refs/heads/feature` and `feature` are one preview. */
export function normalizePreviewRef(ref: string): string {
  const why = checkPreviewRef(ref);
  if (why !== null) {
    throw new BerthError('INVALID_INPUT', `The branch ${JSON.stringify(ref)} ${why}: give a branch such as feature/login, or a pull-request ref such as refs/pull/12/head.`);
  }
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
}

/** The readable part of a slug: `pr-12` for a GitHub pull request, `mr-7` for a GitLab merge request, else the branch. */
function readable(ref: string): string {
  const pull = /^refs\/pull\/(\d+)\/(?:head|merge)$/.exec(ref);
  if (pull) return `pr-${pull[1]}`;
  const merge = /^refs\/merge-requests\/(\d+)\/head$/.exec(ref);
  if (merge) return `mr-${merge[1]}`;
  return ref.replace(/^refs\//, '');
}

function hashOf(ref: string): string {
  return createHash('sha256').update(ref).digest('hex').slice(0, HASH_LENGTH);
}

function clean(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export interface PreviewName {
  /** The preview's own app: `<app>-<slug>`. */
  name: string;
  /** The first label of its host names: `<slug>.<app domain>`. */
  slug: string;
}

/**
 * The app holding a name on the server now (with what it previews, if it is a preview), or undefined when the name is
 * free. Two branches that read the same (`feature/a`, `feature-a`) must not share a preview.
 */
export type NameHolder = (name: string) => { previewOf?: { app: string; ref: string } | undefined } | undefined;

/**
 * The preview's app name and slug for a branch: lowercase letters, digits and dashes, within a DNS label and the app
 * name limit. A slug that had to be cut, or whose name another app or branch holds, ends in a short hash of the ref.
 */
export function previewName(parent: string, ref: string, holder: NameHolder): PreviewName {
  const max = Math.min(DNS_LABEL_MAX, APP_NAME_MAX - parent.length - 1);
  if (max < SLUG_MIN) {
    throw new BerthError(
      'PREVIEW_INVALID',
      `The app name "${parent}" is too long for preview names (<app>-<branch> must fit in ${APP_NAME_MAX} characters): previews need an app name of at most ${APP_NAME_MAX - SLUG_MIN - 1} characters.`,
    );
  }
  const base = clean(readable(ref));
  const free = (slug: string): boolean => {
    const held = holder(`${parent}-${slug}`);
    return held === undefined || (held.previewOf?.app === parent && held.previewOf.ref === ref);
  };
  if (base !== '' && base.length <= max && free(base)) return { name: `${parent}-${base}`, slug: base };
  const head = clean(base.slice(0, max - HASH_LENGTH - 1));
  const hashed = head === '' ? `b-${hashOf(ref)}` : `${head}-${hashOf(ref)}`;
  if (!free(hashed)) {
    throw new BerthError('PREVIEW_INVALID', `The preview name ${parent}-${hashed} for ${ref} is taken by another app on this server: rename that app, or remove it.`);
  }
  return { name: `${parent}-${hashed}`, slug: hashed };
}

/**
 * The preview's host names: `<slug>.<domain>` for each of the app's domains (`*.example.com` gives
 * `<slug>.example.com`). Refused when the app has none, since nothing could reach the preview.
 */
export function previewDomains(parent: string, domains: readonly string[], slug: string): string[] {
  const out = new Set<string>();
  for (const domain of domains) {
    const host = `${slug}.${domain.startsWith('*.') ? domain.slice(2) : domain}`;
    if (host.length <= 253) out.add(host);
  }
  if (out.size === 0) {
    throw new BerthError(
      'PREVIEW_INVALID',
      `The app "${parent}" has no domain, and a preview is served at <branch>.<app domain>: give it one first (berth app set ${parent} --domain ${parent}.example.com).`,
    );
  }
  return [...out];
}
