/** An app's registry with its credentials opened, held only while a push or pull runs. */
export interface RegistryAccess {
  /** `host[:port][/namespace]`, no scheme. */
  url: string;
  username: string | null;
  password: string | null;
}

/** The Docker API's X-Registry-Auth object; an anonymous registry still gets one (the daemon insists on the header). */
export interface AuthConfig {
  username?: string;
  password?: string;
  serveraddress?: string;
}

/** `127.0.0.1:5000/team` → `127.0.0.1:5000`. */
export function registryHost(url: string): string {
  return url.split('/')[0] ?? url;
}

/** The repository a release is pushed to: `<registry>/<app>`. */
export function releaseRepository(registry: RegistryAccess, app: string): string {
  return `${registry.url}/${app}`;
}

/** `<registry>/<app>:<seq>`, the one name a release has in the registry. */
export function releaseRef(registry: RegistryAccess, app: string, seq: number): string {
  return `${releaseRepository(registry, app)}:${seq}`;
}

export function authConfig(registry: RegistryAccess): AuthConfig {
  if (!registry.username) return { serveraddress: registryHost(registry.url) };
  return { username: registry.username, password: registry.password ?? '', serveraddress: registryHost(registry.url) };
}

/** Whether an image reference names a repository of this app (`<app>` or `<registry>/<app>`), i.e. a tag Berth made. */
export function isAppRepository(repoTag: string, app: string, registry: RegistryAccess | null): boolean {
  const colon = repoTag.lastIndexOf(':');
  const repo = colon > repoTag.lastIndexOf('/') ? repoTag.slice(0, colon) : repoTag;
  return repo === app || (registry !== null && repo === releaseRepository(registry, app));
}

/** Removes anything that looks like a credential from a message before it is logged or returned. */
export function redact(message: string, registry: RegistryAccess | null): string {
  let out = message;
  for (const secret of [registry?.password]) if (secret && secret.length >= 3) out = out.split(secret).join('••••••');
  return out;
}
