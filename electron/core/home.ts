import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Berth keeps its records. The desktop app, the CLI and the browser bridge share one home by default (the
 * Electron userData folder of "Berth"), so a deployment started in one shows up in the others. BERTH_HOME overrides it.
 */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.BERTH_HOME) return env.BERTH_HOME;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Berth');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Berth');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Berth');
}

export interface BerthPaths {
  home: string;
  secretKey: string;
  /** Archives sent over the browser bridge, until the deployment that builds them ends. */
  uploads: string;
  /** Per-server app definitions and deployment records. */
  serverDir(serverId: string): string;
  /** Build and deploy logs of one deployment. */
  deploymentLog(serverId: string, deploymentId: string): string;
}

export function berthPaths(home: string): BerthPaths {
  return {
    home,
    secretKey: join(home, 'secret.key'),
    uploads: join(home, 'uploads'),
    serverDir: (serverId) => join(home, 'servers', serverId),
    deploymentLog: (serverId, deploymentId) => join(home, 'servers', serverId, 'logs', `${deploymentId}.log`),
  };
}
