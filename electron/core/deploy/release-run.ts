import type { EdgeProxySettings } from '../../../shared/api/servers';
import type { ImageInfo, RuntimeKind, RuntimeSnapshot, SwitchInfo } from '../../../shared/api/deployments';
import type { DeploymentLog } from '../logs/deployment-log';
import type { ServerLink } from '../ssh/server-link';

/**
 * One release to put live through the zero-downtime switch: an image that already exists on the server and the
 * rendered runtime config. A deploy gets here after building; a rollback or redeploy gets here straight from an
 * earlier record's snapshot.
 */
export interface ReleaseRun {
  link: ServerLink;
  proxy: EdgeProxySettings;
  deploymentId: string;
  app: string;
  seq: number;
  commit: string | null;
  /** `user@host` of the Berth running it, labelled on what it starts. */
  owner: string;
  image: ImageInfo;
  config: RuntimeSnapshot;
  /** `KEY=value` pairs with secrets opened; held only for this run, never stored or logged. */
  env: string[];
  log: DeploymentLog;
  signal: AbortSignal;
  /** Called before each phase starts, so the record says where the run is before it acts. */
  phase(status: 'starting' | 'health-checking'): Promise<void>;
  /** Called with every health probe of the new release, for the record of a release that fails its check. */
  probed?(result: { ok: boolean; detail: string }): void;
  /** Called once the new containers exist, so a crash after this point can be cleaned up. */
  started(placement: { slot: string | null; containers: string[] }): Promise<void>;
}

export interface ReleaseOutcome {
  runtime: RuntimeKind;
  slot: string | null;
  containers: string[];
  switch: SwitchInfo;
  /** Deployments whose containers or tasks served before this one and were retired. */
  replaced: string[];
  /**
   * Retires what served before (stops and removes the drained containers): run after the release is recorded
   * live, since traffic no longer reaches them. Failures here are reported, not fatal.
   */
  retire(): Promise<void>;
}
