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

/** A container of the live release that does not run, as Docker describes its end. */
export interface StoppedContainer {
  name: string;
  exitCode: number;
  oomKilled: boolean;
  /** Docker is starting it again (its restart policy), after it exited. */
  restarting: boolean;
  /** Docker's own error for a container that could not start ("exec format error"…); '' when none. */
  error: string;
}

/** A die or oom event of a live container, as the engine's event follow saw it. */
export interface ContainerExit {
  name: string;
  exitCode: number | null;
  oom: boolean;
  at: string;
}

/** One app's live release against what runs, and the answer of one request through the proxy. */
export interface AppFact {
  app: string;
  live: { deploymentId: string; seq: number; routed: boolean; expected: number; healthPath: string; memoryMb?: number | null } | null;
  /** Containers or tasks of the live release seen running (absent when Docker could not be asked). */
  running?: number;
  /** The deployment that runs instead of the live one (another Berth's, or a leftover), when one does. */
  other?: string;
  /** Null when no probe could be sent (no live release, no route, or no proxy to send it through). */
  probe?: { ok: boolean; detail: string } | null;
  /** The live release's containers that do not run (plain Docker). */
  stopped?: StoppedContainer[];
  /** A running container whose image's own HEALTHCHECK fails, with its last output. */
  unhealthy?: { name: string; output: string };
  /** Swarm: why the newest failed task of the live release ended. */
  taskError?: string;
  /** Exits of its containers the event follow saw since the last look (the watch only). */
  exits?: ContainerExit[];
  /** A deployment of the app under way ("#4 is building"): what it does to the live release is not a failure. */
  busy?: string | null;
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
