import type { AppSource } from '../../../shared/api/apps';
import { BerthError } from '../../../shared/errors';
import { noControl, urlCredentials, withoutCredentials } from '../../../shared/safe-input';
import type { SecretStore } from '../store/secret-store';

export interface GitCredentials {
  username: string;
  password: string;
}

type GitSource = Extract<AppSource, { kind: 'git' }>;

/**
 * Takes the credentials out of a git source's URL and seals them, like an env secret: the URL kept in records and
 * shown everywhere has none. A source sent again without credentials (an edit of its ref, from a view) keeps the
 * sealed ones of the same repository.
 */
export async function sealSourceCredentials(source: AppSource, previous: AppSource | undefined, secrets: SecretStore): Promise<AppSource> {
  if (source.kind !== 'git') return source;
  const { sealedCredentials: _sent, withCredentials: _shown, ...rest } = source;
  const inline = urlCredentials(source.url);
  const url = withoutCredentials(source.url);
  if (inline) {
    checkCredentials(inline);
    return { ...rest, url, sealedCredentials: await secrets.seal(JSON.stringify(inline)) };
  }
  if (previous?.kind === 'git' && withoutCredentials(previous.url) === url) {
    if (previous.sealedCredentials) return { ...rest, url, sealedCredentials: previous.sealedCredentials };
    const older = urlCredentials(previous.url);
    if (older) return { ...rest, url, sealedCredentials: await secrets.seal(JSON.stringify(older)) };
  }
  return { ...rest, url };
}

/** What leaves the engine: no sealed value, and no credentials left in a URL stored before they were sealed. */
export function sourceView(source: AppSource): AppSource {
  if (source.kind !== 'git') return source;
  const { sealedCredentials, withCredentials: _stored, ...rest } = source;
  const withCredentials = sealedCredentials !== undefined || urlCredentials(source.url) !== null;
  return withCredentials ? { ...rest, url: withoutCredentials(source.url), withCredentials } : { ...rest, url: source.url };
}

/** The credentials a clone needs: the sealed ones, or those still inside a URL stored before they were sealed. */
export async function openSourceCredentials(source: GitSource, secrets: SecretStore): Promise<GitCredentials | null> {
  if (source.sealedCredentials) {
    const parsed = JSON.parse(await secrets.open(source.sealedCredentials)) as Partial<GitCredentials>;
    return { username: String(parsed.username ?? ''), password: String(parsed.password ?? '') };
  }
  return urlCredentials(source.url);
}

function checkCredentials(credentials: GitCredentials): void {
  // a percent-encoded newline would end the line the clone reads its credentials from
  if (noControl(credentials.username) !== null || noControl(credentials.password) !== null) {
    throw new BerthError('INVALID_INPUT', 'The credentials in the git URL contain a control character once decoded (such as %0A); remove it.');
  }
}
