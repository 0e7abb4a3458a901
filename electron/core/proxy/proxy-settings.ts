import { EdgeProxySettings } from '../../../shared/api/servers';

/**
 * The proxy's settings travel with it, as a label on its container: the server, not any one Berth's entry for it,
 * says which port, image and bind address serve its apps.
 */
export function settingsLabel(settings: EdgeProxySettings, swarm: boolean): string {
  return JSON.stringify({ image: settings.image, port: settings.httpPort, bind: settings.bindAddress, swarm });
}

/** The settings a proxy container's label carries; null for a label Berth did not write. */
export function parseSettingsLabel(label: string | undefined): EdgeProxySettings | null {
  if (!label) return null;
  try {
    const raw = JSON.parse(label) as { image?: unknown; port?: unknown; bind?: unknown };
    const parsed = EdgeProxySettings.safeParse({ image: raw.image, httpPort: raw.port, bindAddress: raw.bind });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function sameSettings(a: EdgeProxySettings, b: EdgeProxySettings): boolean {
  return a.httpPort === b.httpPort && a.image === b.image && a.bindAddress === b.bindAddress;
}
