import type { Readable } from 'node:stream';
import { eachJsonMessage } from '../deploy/json-stream';
import { LABEL, labelFilter } from '../deploy/labels';
import type { ContainerExit } from '../servers/health-facts';
import type { ServerLink } from '../ssh/server-link';

/** A Docker event about one of Berth's app containers that may change whether its app serves. */
export interface ContainerEvent {
  app: string;
  deployment: string;
  name: string;
  action: 'die' | 'oom' | 'start' | 'health_status';
  /** Set on die. */
  exitCode: number | null;
  /** Set on health_status: healthy, unhealthy, starting. */
  health: string | null;
  /** The event's own time (Docker's clock), in Unix nanoseconds as a string, for resuming a follow. */
  timeNano: string;
}

const ACTIONS = ['die', 'oom', 'start', 'health_status'] as const;

/** Reads one message of Docker's /events stream; null for anything not an app container's die/oom/start/health. */
export function parseContainerEvent(message: Record<string, unknown>): ContainerEvent | null {
  if (message.Type !== 'container' || typeof message.Action !== 'string') return null;
  const [verb = '', detail = ''] = message.Action.split(':').map((part) => part.trim());
  const action = ACTIONS.find((a) => a === verb);
  const actor = message.Actor as { Attributes?: Record<string, string> } | undefined;
  const attributes = actor?.Attributes ?? {};
  const app = attributes[LABEL.app];
  if (!action || !app || attributes[LABEL.role] !== 'app') return null;
  const code = action === 'die' ? Number(attributes.exitCode) : NaN;
  return {
    app,
    deployment: attributes[LABEL.deployment] ?? '',
    name: attributes.name ?? '',
    action,
    exitCode: Number.isFinite(code) ? code : null,
    health: action === 'health_status' ? detail || null : null,
    timeNano: typeof message.timeNano === 'number' || typeof message.timeNano === 'string' ? String(message.timeNano) : '',
  };
}

/**
 * Follows the server's container events for Berth's apps through the link until the stream ends (the link dropped,
 * Docker restarted) or `signal` aborts. `since` (Unix seconds, fractions allowed) replays what happened meanwhile.
 */
export async function followContainerEvents(link: ServerLink, onEvent: (event: ContainerEvent) => void, signal: AbortSignal, since?: number): Promise<void> {
  const stream = (await link.docker.getEvents({
    ...(since ? { since } : {}),
    filters: { type: ['container'], event: [...ACTIONS], label: labelFilter({ [LABEL.managed]: 'true' }) },
  })) as unknown as Readable;
  const stop = (): void => void stream.destroy();
  if (signal.aborted) stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    await eachJsonMessage(stream, (message) => {
      const event = parseContainerEvent(message);
      if (event) onEvent(event);
    }).catch((error: unknown) => {
      if (!signal.aborted) throw error;
    });
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

/** Docker's `since` (Unix seconds) from an event's timeNano. */
export function sinceOf(timeNano: string): number | undefined {
  if (!/^\d{10,}$/.test(timeNano)) return undefined;
  return Number(`${timeNano.slice(0, -9)}.${timeNano.slice(-9)}`);
}

/** The exits of one release with a die or oom event added: Docker sends oom, then die, for one OOM-killed exit. */
export function withExit(list: readonly ContainerExit[], event: ContainerEvent, at: string, keep = 10): ContainerExit[] {
  const last = list[list.length - 1];
  if (event.action === 'die' && last?.name === event.name && last.oom && last.exitCode === null) {
    return [...list.slice(0, -1), { ...last, exitCode: event.exitCode }];
  }
  return [...list, { name: event.name, exitCode: event.exitCode, oom: event.action === 'oom', at }].slice(-keep);
}
