import type { Deployment, DeploymentStatus } from '../../../shared/api/deployments';
import { BerthError, type ErrorEnvelope } from '../../../shared/errors';

/**
 * The deployment lifecycle. A record moves forward only; terminal states never change again, except that a live
 * release later steps down (superseded by the next one, or rolled back), and a deployment marked interrupted that
 * reconciliation finds serving is recorded live after all.
 */
const NEXT: Record<DeploymentStatus, readonly DeploymentStatus[]> = {
  queued: ['building', 'starting', 'failed', 'cancelled', 'interrupted'],
  building: ['starting', 'failed', 'cancelled', 'interrupted'],
  starting: ['health-checking', 'failed', 'cancelled', 'interrupted'],
  'health-checking': ['live', 'failed', 'cancelled', 'interrupted', 'rolled-back'],
  live: ['superseded', 'rolled-back'],
  failed: [],
  cancelled: [],
  'rolled-back': [],
  superseded: [],
  interrupted: ['live'],
};

/** Still running or waiting: there is a job (or there was one, before a crash) behind the record. */
export const IN_PROGRESS_STATUSES: readonly DeploymentStatus[] = ['queued', 'building', 'starting', 'health-checking'];
const IN_PROGRESS: ReadonlySet<DeploymentStatus> = new Set(IN_PROGRESS_STATUSES);

export function isInProgress(status: DeploymentStatus): boolean {
  return IN_PROGRESS.has(status);
}

export function canTransition(from: DeploymentStatus, to: DeploymentStatus): boolean {
  return NEXT[from].includes(to);
}

export interface TransitionPatch {
  error?: ErrorEnvelope | null;
  note?: string | null;
}

/** Returns the record in its new state with the entry time stamped; throws on a move the lifecycle does not allow. */
export function transition(record: Deployment, to: DeploymentStatus, at: Date, patch: TransitionPatch = {}): Deployment {
  if (!canTransition(record.status, to)) {
    throw new BerthError('INTERNAL', `Deployment ${record.app} #${record.seq} cannot go from ${record.status} to ${to}.`, {
      deploymentId: record.id,
      from: record.status,
      to,
    });
  }
  const stamp = at.toISOString();
  return {
    ...record,
    status: to,
    timestamps: { ...record.timestamps, [to]: stamp },
    // The deployment's own run ends when it first leaves the in-progress states; stepping down later keeps that time.
    finishedAt: record.finishedAt ?? (IN_PROGRESS.has(to) ? null : stamp),
    error: patch.error !== undefined ? patch.error : record.error,
    note: patch.note !== undefined ? patch.note : record.note,
  };
}

export interface PhaseDurations {
  queuedMs: number | null;
  buildMs: number | null;
  startMs: number | null;
  healthMs: number | null;
  totalMs: number | null;
}

/** How long each phase took, derived from the entry times rather than stored twice. */
export function phaseDurations(record: Deployment): PhaseDurations {
  const t = (s: DeploymentStatus): number | null => {
    const v = record.timestamps[s];
    return v === undefined ? null : Date.parse(v);
  };
  const end = record.finishedAt === null ? null : Date.parse(record.finishedAt);
  const span = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : b - a);
  const queued = t('queued');
  const building = t('building');
  const starting = t('starting');
  const health = t('health-checking');
  return {
    queuedMs: span(queued, building ?? starting ?? end),
    buildMs: span(building, starting ?? end),
    startMs: span(starting, health ?? end),
    healthMs: span(health, end),
    totalMs: span(queued, end),
  };
}
