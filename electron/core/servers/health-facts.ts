import type { EdgeProxySettings } from '../../../shared/api/servers';
import type { ErrorEnvelope } from '../../../shared/errors';

/** What a check that could not be made, or failed, ran into. */
export type Outcome = { ok: true } | { ok: false; error: ErrorEnvelope };

/** The edge proxy container as Docker describes it, with the settings its label carries. */
export interface ProxyContainerFact {
  running: boolean;
  /** Docker's State.Status: running, restarting, exited, created… */
  status: string;
  exitCode: number;
  restartPolicy: string;
  /** Null on a proxy whose label Berth cannot read. */
  settings: EdgeProxySettings | null;
}

export interface ProxyFact {
  /** Null when no proxy container exists on the server. */
  container: ProxyContainerFact | null;
  /** Its runtime API's answer to `show info`; null when it was not asked (no running container). */
  api: Outcome | null;
}

/** One app's live release against what runs, and the answer of one request through the proxy. */
export interface AppFact {
  app: string;
  live: { deploymentId: string; seq: number; routed: boolean; expected: number; healthPath: string } | null;
  /** Containers or tasks of the live release seen running (absent when Docker could not be asked). */
  running?: number;
  /** The deployment that runs instead of the live one (another Berth's, or a leftover), when one does. */
  other?: string;
  /** Null when no probe could be sent (no live release, no route, or no proxy to send it through). */
  probe?: { ok: boolean; detail: string } | null;
}

/** Everything the verdict needs, read once per check; a part below a failed one is absent (not checked). */
export interface HealthFacts {
  serverId: string;
  serverName: string;
  /** "This computer": reached through the local socket, no SSH. */
  local: boolean;
  ssh: Outcome;
  docker?: Outcome;
  proxy?: ProxyFact;
  mine: EdgeProxySettings;
  apps: AppFact[];
  checkedAt: string;
}
