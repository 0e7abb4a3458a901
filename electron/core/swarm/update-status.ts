import type Docker from 'dockerode';
import { LABEL } from '../deploy/labels';

export interface UpdateVerdict {
  state: 'pending' | 'done' | 'failed';
  /** Swarm's own words when it decided. */
  message: string;
  /** A line for the deployment log while waiting. */
  note: string;
}

interface ServiceView {
  UpdateStatus?: { State?: string; StartedAt?: string; Message?: string };
}

interface TaskView {
  DesiredState?: string;
  Status?: { State?: string; Err?: string; Message?: string };
  Spec?: { ContainerSpec?: { Labels?: Record<string, string> } };
}

/**
 * Decides from a service and its tasks whether Swarm has finished putting a release live. An update is judged by
 * the service's UpdateStatus (only one that started after ours was sent); a new service by its tasks, which Swarm
 * reports running only once their health check passed.
 */
export function readUpdate(
  service: ServiceView,
  tasks: TaskView[],
  options: { updating: boolean; since: number; deploymentId: string; replicas: number },
): UpdateVerdict {
  const ours = tasks.filter((t) => t.Spec?.ContainerSpec?.Labels?.[LABEL.deployment] === options.deploymentId);
  const counts = countStates(ours);
  const taskNote = Object.entries(counts)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  if (options.updating) {
    const status = service.UpdateStatus;
    const fresh = status?.StartedAt !== undefined && Date.parse(status.StartedAt) >= options.since;
    if (!status || !fresh) return { state: 'pending', message: '', note: 'Waiting for Swarm to start the update' };
    const message = status.Message ?? '';
    switch (status.State) {
      case 'completed':
        return { state: 'done', message, note: `Swarm: ${message || 'update completed'}` };
      case 'paused':
      case 'rollback_completed':
      case 'rollback_paused':
        return { state: 'failed', message: message || `update ${status.State}`, note: `Swarm: ${message}` };
      case 'rollback_started':
        return { state: 'pending', message, note: `Swarm is rolling back: ${message}` };
      default:
        return { state: 'pending', message, note: `Swarm is updating${taskNote ? ` (new tasks: ${taskNote})` : ''}` };
    }
  }
  const running = ours.filter((t) => t.Status?.State === 'running' && t.DesiredState === 'running').length;
  if (running >= options.replicas) return { state: 'done', message: `${running} task(s) running`, note: `Swarm: ${running} task(s) running and healthy` };
  const failed = ours.find((t) => t.Status?.State === 'failed' || t.Status?.State === 'rejected');
  if (failed) return { state: 'failed', message: failed.Status?.Err || failed.Status?.Message || 'task failed', note: '' };
  return { state: 'pending', message: '', note: `Waiting for the tasks${taskNote ? ` (${taskNote})` : ''}` };
}

function countStates(tasks: TaskView[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tasks) {
    const state = t.Status?.State ?? 'unknown';
    out[state] = (out[state] ?? 0) + 1;
  }
  return out;
}

/** Why this release's tasks failed, in Swarm's words ("dockerexec: unhealthy container"), de-duplicated. */
export async function describeFailedTasks(docker: Docker, app: string, deploymentId: string): Promise<string> {
  const tasks = (await docker.listTasks({ filters: { service: [app] } }).catch(() => [])) as TaskView[];
  const reasons = new Set<string>();
  for (const t of tasks) {
    if (t.Spec?.ContainerSpec?.Labels?.[LABEL.deployment] !== deploymentId) continue;
    const err = t.Status?.Err;
    if (err) reasons.add(/unhealthy/.test(err) ? `health check failed (${err})` : err);
  }
  return [...reasons].join('; ');
}
