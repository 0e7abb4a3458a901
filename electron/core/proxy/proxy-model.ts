import { createHash } from 'node:crypto';
import {
  backendName,
  defaultDomain,
  renderHaproxyConfig,
  slotStateOf,
  type ProxyAppRoute,
  type ProxyModel,
  type ProxySlotServer,
  type ServerStateRow,
} from './haproxy-config';

/** What the labels of one running app container say about its place behind the proxy. */
export interface SlotContainer {
  app: string;
  slot: string;
  replica: number;
  /** The deployment's seq: the newest running slot is the one to restore on a proxy that lost its state. */
  seq: number;
  port: number;
  domains: string[];
}

/** What the labels of one Swarm service say. */
export interface RoutedService {
  app: string;
  port: number;
  domains: string[];
  replicas: number;
  healthPath: string | null;
}

export const SLOTS = ['a', 'b'] as const;
export type Slot = (typeof SLOTS)[number];

export function otherSlot(slot: string | null): Slot {
  return slot === 'a' ? 'b' : 'a';
}

/** Docker DNS name of one slot replica on the Berth network. */
export function slotHost(app: string, slot: string, replica: number): string {
  return `${slot}${replica}.${app}.berth`;
}

export function slotServerName(slot: string, replica: number): string {
  return `${slot}${replica}`;
}

/**
 * Routes for every app from what runs on the server: both slots of an app are always rendered (as many replicas as
 * its larger slot has), so a deploy with the same shape never changes the config; states come from the running proxy.
 * A proxy created afresh (`restore`) has no states to read: each app's newest running slot is routed again.
 */
export function deriveRoutes(containers: SlotContainer[], services: RoutedService[], rows: ServerStateRow[], restore = false): ProxyAppRoute[] {
  const byApp = new Map<string, SlotContainer[]>();
  for (const c of containers) byApp.set(c.app, [...(byApp.get(c.app) ?? []), c]);
  const routes: ProxyAppRoute[] = [];
  for (const [app, list] of byApp) {
    const replicas = Math.max(1, ...list.map((c) => c.replica + 1));
    const newest = [...list].sort((a, b) => b.seq - a.seq)[0]?.slot;
    const servers: ProxySlotServer[] = [];
    for (const slot of SLOTS) {
      const inSlot = list.filter((c) => c.slot === slot);
      const port = (inSlot[0] ?? list[0])?.port ?? 8080;
      for (let i = 0; i < replicas; i++) {
        const name = slotServerName(slot, i);
        const row = rows.find((r) => r.backend === backendName(app) && r.server === name);
        const running = inSlot.some((c) => c.replica === i);
        const state = row && running ? slotStateOf(row) : restore && running && slot === newest ? 'ready' : 'maint';
        const address = row && running && /^\d{1,3}(\.\d{1,3}){3}$/.test(row.address) ? row.address : undefined;
        servers.push({ name, host: slotHost(app, slot, i), port, state, address });
      }
    }
    routes.push({ app, domains: domainsOf(app, list.flatMap((c) => c.domains)), servers });
  }
  for (const s of services) {
    routes.push({
      app: s.app,
      domains: domainsOf(s.app, s.domains),
      // start-first runs old and new tasks side by side
      swarm: { host: `tasks.${s.app}`, port: s.port, slots: Math.max(2, s.replicas * 2), healthPath: s.healthPath },
    });
  }
  return routes.sort((a, b) => a.app.localeCompare(b.app));
}

function domainsOf(app: string, domains: string[]): string[] {
  return [...new Set([defaultDomain(app), ...domains])].sort();
}

const SHAPE_PREFIX = '# berth-shape: ';

/** A hash of the config with every state ignored: when it is unchanged, switches need no reload. */
export function shapeOf(model: ProxyModel): string {
  const stateless: ProxyModel = {
    ...model,
    apps: model.apps.map((a) => (a.servers ? { ...a, servers: a.servers.map((s) => ({ ...s, state: 'ready' as const, address: undefined })) } : a)),
  };
  return createHash('sha256').update(renderHaproxyConfig(stateless)).digest('hex').slice(0, 16);
}

export function renderWithShape(model: ProxyModel): string {
  return `${SHAPE_PREFIX}${shapeOf(model)}\n${renderHaproxyConfig(model)}`;
}

export function readShape(config: string): string | null {
  const first = config.split('\n', 1)[0] ?? '';
  return first.startsWith(SHAPE_PREFIX) ? first.slice(SHAPE_PREFIX.length).trim() : null;
}
