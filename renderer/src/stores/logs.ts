import { create } from 'zustand';
import type { AppLogLine, DeploymentLogLine } from '../../../shared/api/logs';
import type { ErrorEnvelope } from '../../../shared/errors';
import type { Api } from '../bridge/client';
import { toError } from '../lib/errors';
import { LogBuffer, type LogLine } from '../lib/log-buffer';
import { isActive } from '../lib/status';

export type SourceStatus = 'loading' | 'streaming' | 'done' | 'ended' | 'error';

export interface SourceState {
  status: SourceStatus;
  reconnecting: boolean;
  error?: ErrorEnvelope;
  /** Why a follow stopped (container exited, connection closed). */
  endedReason?: string;
  containers?: string[];
}

export interface LogsState {
  sources: Record<string, SourceState>;
  /** Opens (or re-opens) a deployment's build and deploy log; `active` keeps it reading as the file grows. */
  openDeployment(serverId: string, deploymentId: string, active: boolean): string;
  /** Follows the live containers of an app. */
  openApp(serverId: string, app: string, tail?: number): string;
  close(key: string): void;
  start(): () => void;
}

const PAGE = 10_000;
const READ_AHEAD = 3;
const KEEP_BUFFERS = 6;

interface DeploymentSource {
  kind: 'deployment';
  serverId: string;
  deploymentId: string;
  nextLine: number;
  fetching: boolean;
  again: boolean;
  active: boolean;
}

interface AppSource {
  kind: 'app';
  serverId: string;
  app: string;
  tail: number;
  followId?: string;
  lastAt?: string;
  atLastAt: Set<string>;
}

/**
 * Log sources and their line buffers. The buffers are plain objects outside React state (see LogBuffer); the state
 * here is only each source's status, so a flood of lines causes no re-render through the store.
 */
export function createLogsStore(api: Api) {
  const buffers = new Map<string, LogBuffer>();
  const sources = new Map<string, DeploymentSource | AppSource>();
  /** Where each closed deployment log's reading stopped, while its buffer is kept. */
  const readUpTo = new Map<string, number>();
  /** Lines of a follow that arrived before its followApp call answered (the backlog is sent at once). */
  const early = new Map<string, AppLogLine[]>();

  const patch = (key: string, value: Partial<SourceState>) =>
    store.setState((s) => ({ sources: { ...s.sources, [key]: { ...(s.sources[key] ?? { status: 'loading', reconnecting: false }), ...value } } }));

  const bufferFor = (key: string): LogBuffer => {
    let buffer = buffers.get(key);
    if (!buffer) {
      buffer = new LogBuffer();
      buffers.set(key, buffer);
    }
    // Most recently used last; drop the oldest idle ones.
    buffers.delete(key);
    buffers.set(key, buffer);
    for (const old of buffers.keys()) {
      if (buffers.size <= KEEP_BUFFERS) break;
      if (!sources.has(old)) {
        buffers.delete(old);
        readUpTo.delete(old);
      }
    }
    return buffer;
  };

  const readDeployment = async (key: string): Promise<void> => {
    const src = sources.get(key);
    if (!src || src.kind !== 'deployment') return;
    if (src.fetching) {
      src.again = true;
      return;
    }
    src.fetching = true;
    try {
      let ahead = 0;
      for (;;) {
        src.again = false;
        // A long log is read several pages at a time: the next pages travel while this one is appended.
        const from = src.nextLine;
        const pages = await Promise.all(
          Array.from({ length: ahead + 1 }, (_, k) =>
            api.call('logs.deployment', { serverId: src.serverId, deploymentId: src.deploymentId, fromLine: from + k * PAGE, limit: PAGE }),
          ),
        );
        if (sources.get(key) !== src) return;
        let eof = false;
        for (const page of pages) {
          if (page.lines.length > 0 && page.lines[0]!.n !== src.nextLine) break;
          bufferFor(key).append(page.lines.map(fromDeploymentLine));
          src.nextLine = Math.max(src.nextLine, page.nextLine);
          eof = page.eof;
          if (eof) break;
        }
        if (eof && !src.again) break;
        ahead = pages.at(-1)!.lines.length === PAGE ? READ_AHEAD : 0;
      }
      patch(key, { status: src.active ? 'streaming' : 'done', reconnecting: false, error: undefined });
    } catch (error) {
      patch(key, { status: 'error', error: toError(error) });
    } finally {
      src.fetching = false;
    }
  };

  const follow = async (key: string): Promise<void> => {
    const src = sources.get(key);
    if (!src || src.kind !== 'app') return;
    try {
      const resumed = src.lastAt !== undefined;
      const { followId, containers } = await api.call('logs.followApp', {
        serverId: src.serverId,
        app: src.app,
        tail: resumed ? 0 : src.tail,
        since: src.lastAt,
        timestamps: true,
      });
      if (sources.get(key) !== src) {
        void api.call('logs.unfollow', { followId }).catch(() => undefined);
        return;
      }
      src.followId = followId;
      patch(key, { status: 'streaming', reconnecting: false, containers, error: undefined, endedReason: undefined });
      const waiting = early.get(followId);
      early.delete(followId);
      if (waiting) appendApp(key, src, waiting);
    } catch (error) {
      patch(key, { status: 'error', error: toError(error) });
    }
  };

  const appendApp = (key: string, src: AppSource, lines: readonly AppLogLine[]): void => {
    const fresh: LogLine[] = [];
    for (const line of lines) {
      // After a resume Docker replays from `since` (second precision): drop what was already shown.
      if (line.at !== undefined && src.lastAt !== undefined) {
        if (line.at < src.lastAt) continue;
        if (line.at === src.lastAt && src.atLastAt.has(line.text)) continue;
      }
      if (line.at !== undefined) {
        if (line.at !== src.lastAt) {
          src.lastAt = line.at;
          src.atLastAt = new Set();
        }
        src.atLastAt.add(line.text);
      }
      fresh.push({ text: line.text, ts: line.at, stream: line.stream });
    }
    bufferFor(key).append(fresh);
  };

  const store = create<LogsState>()(() => ({
    sources: {},

    openDeployment(serverId, deploymentId, active) {
      const key = `deployment:${serverId}:${deploymentId}`;
      const existing = sources.get(key);
      if (existing?.kind === 'deployment') {
        existing.active = active;
        void readDeployment(key);
        return key;
      }
      // A log read before (the user went to another tab and back) continues where it stopped, not from line 1.
      const nextLine = buffers.has(key) ? (readUpTo.get(key) ?? 1) : 1;
      const buffer = bufferFor(key);
      if (nextLine === 1) buffer.reset();
      sources.set(key, { kind: 'deployment', serverId, deploymentId, nextLine, fetching: false, again: false, active });
      patch(key, { status: 'loading', reconnecting: false, error: undefined });
      void readDeployment(key);
      return key;
    },

    openApp(serverId, app, tail = 1000) {
      const key = `app:${serverId}:${app}`;
      if (sources.has(key)) return key;
      bufferFor(key).reset();
      sources.set(key, { kind: 'app', serverId, app, tail, atLastAt: new Set() });
      patch(key, { status: 'loading', reconnecting: false, error: undefined, endedReason: undefined });
      void follow(key);
      return key;
    },

    close(key) {
      const src = sources.get(key);
      sources.delete(key);
      if (src?.kind === 'deployment' && !src.fetching) readUpTo.set(key, src.nextLine);
      if (src?.kind === 'app' && src.followId) void api.call('logs.unfollow', { followId: src.followId }).catch(() => undefined);
      store.setState((s) => {
        const next = { ...s.sources };
        delete next[key];
        return { sources: next };
      });
    },

    start() {
      const offs = [
        api.on('deployments.log', ({ serverId, deploymentId, lines }) => {
          const key = `deployment:${serverId}:${deploymentId}`;
          const src = sources.get(key);
          if (src?.kind !== 'deployment') return;
          // numbered lines that continue what is shown are appended as they come; a gap is read from the file
          if (!src.fetching && lines[0]?.n === src.nextLine) {
            bufferFor(key).append(lines.map(fromDeploymentLine));
            src.nextLine = lines.at(-1)!.n + 1;
          } else if (lines.length > 0 && lines.at(-1)!.n >= src.nextLine) void readDeployment(key);
        }),
        api.on('deployments.changed', (d) => {
          const key = `deployment:${d.serverId}:${d.id}`;
          const src = sources.get(key);
          if (src?.kind !== 'deployment') return;
          src.active = d.status === 'queued' || isActive(d.status);
          void readDeployment(key);
        }),
        api.on('logs.lines', ({ followId, lines }) => {
          let taken = false;
          for (const [key, src] of sources) {
            if (src.kind === 'app' && src.followId === followId) {
              appendApp(key, src, lines);
              taken = true;
            }
          }
          if (!taken) {
            const waiting = early.get(followId) ?? [];
            if (waiting.length < 100_000) waiting.push(...lines);
            early.set(followId, waiting);
            if (early.size > 8) early.delete(early.keys().next().value as string);
          }
        }),
        api.on('logs.ended', ({ followId, reason }) => {
          for (const [key, src] of sources) {
            if (src.kind === 'app' && src.followId === followId) {
              src.followId = undefined;
              patch(key, { status: 'ended', endedReason: reason });
            }
          }
        }),
        api.onConnection((connected) => {
          for (const [key, src] of sources) {
            if (!connected) {
              if (src.kind === 'app') src.followId = undefined;
              patch(key, { reconnecting: true });
            } else if (src.kind === 'deployment') void readDeployment(key);
            else void follow(key);
          }
        }),
      ];
      return () => offs.forEach((off) => off());
    },
  }));

  return Object.assign(store, {
    /** The line buffer of a source; views read rows from it directly. */
    buffer: (key: string): LogBuffer => bufferFor(key),
    /** Resumes an ended app follow from its last line. */
    resume: (key: string): void => {
      patch(key, { status: 'loading' });
      void follow(key);
    },
  });
}

function fromDeploymentLine(line: DeploymentLogLine): LogLine {
  return { text: line.text, ts: line.at, seq: line.n, stream: line.stream === 'err' ? 'stderr' : line.stream === 'info' ? 'system' : 'stdout' };
}

export type LogsStore = ReturnType<typeof createLogsStore>;
