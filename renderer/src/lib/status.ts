/**
 * One icon, one colour and one word per status, used by every table, badge, toast and dialog (UI.md). Rolled back
 * and failed are never drawn like success.
 */
export type DeploymentStatus =
  | 'queued'
  | 'building'
  | 'starting'
  | 'health-checking'
  | 'live'
  | 'failed'
  | 'cancelled'
  | 'rolled-back'
  | 'superseded'
  | 'interrupted';

export type Tone = 'grey' | 'blue' | 'green' | 'red' | 'amber' | 'dim';

export interface StatusLook {
  icon: string;
  label: string;
  tone: Tone;
  /** In progress: the icon spins. */
  active: boolean;
}

const looks: Record<DeploymentStatus, StatusLook> = {
  queued: { icon: '◌', label: 'queued', tone: 'grey', active: false },
  building: { icon: '◌', label: 'building…', tone: 'blue', active: true },
  starting: { icon: '◌', label: 'starting…', tone: 'blue', active: true },
  'health-checking': { icon: '◌', label: 'health check…', tone: 'blue', active: true },
  live: { icon: '●', label: 'live', tone: 'green', active: false },
  failed: { icon: '✕', label: 'failed', tone: 'red', active: false },
  'rolled-back': { icon: '⚠', label: 'rolled back', tone: 'amber', active: false },
  cancelled: { icon: '○', label: 'cancelled', tone: 'grey', active: false },
  superseded: { icon: '○', label: 'superseded', tone: 'dim', active: false },
  // Berth stopped mid-way (the app quit, the link dropped): it did not go live, so it reads as a failure.
  interrupted: { icon: '✕', label: 'interrupted', tone: 'red', active: false },
};

export function statusLook(status: string): StatusLook {
  return looks[status as DeploymentStatus] ?? { icon: '?', label: status, tone: 'grey', active: false };
}

const activeStatuses: readonly string[] = ['building', 'starting', 'health-checking'];

/** Building, starting or health-checking: work in progress on the server. */
export function isActive(status: string): boolean {
  return activeStatuses.includes(status);
}

export type ConnectionLook = { label: string; tone: Tone; hollow: boolean; active: boolean };

const connectionLooks: Record<string, ConnectionLook> = {
  connected: { label: 'connected', tone: 'green', hollow: false, active: false },
  connecting: { label: 'connecting…', tone: 'blue', hollow: false, active: true },
  unreachable: { label: 'unreachable', tone: 'red', hollow: false, active: false },
  'host-key-pending': { label: 'host key to confirm', tone: 'amber', hollow: false, active: false },
  idle: { label: 'not connected', tone: 'grey', hollow: true, active: false },
};

export function connectionLook(state: string | undefined): ConnectionLook {
  return connectionLooks[state ?? 'idle'] ?? connectionLooks.idle!;
}
