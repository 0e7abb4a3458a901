import type { RollbackPlan } from '../../shared/api/rollback';
import { shortImage } from '../../shared/format';
import { MASK } from './format';

/** One line of what a rollback changes: label, now, after. */
export type PlanRow = [label: string, from: string, to: string];

/**
 * The engine's plan as rows for the terminal: the image, each setting that differs, each env variable that
 * differs. Secret values never leave the engine; a secret shows as masked.
 */
export function planRows(plan: RollbackPlan): PlanRow[] {
  const liveSeq = plan.live ? `#${plan.live.seq} ` : '';
  const rows: PlanRow[] = [['Image', plan.image.from ? `${liveSeq}${shortImage(plan.image.from.id)}` : 'nothing live', `#${plan.target.seq} ${shortImage(plan.image.to?.id)}${plan.image.changed ? '' : ' (same)'}`]];
  for (const change of plan.changes) rows.push([change.label, change.from, change.to]);
  const shown = (value: string | null, secret: boolean, present: boolean): string => (!present ? '(unset)' : secret ? MASK : (value ?? ''));
  for (const env of plan.env) {
    rows.push([`env ${env.key}`, shown(env.from, env.secret, env.change !== 'added'), shown(env.to, env.secret, env.change !== 'removed')]);
  }
  return rows;
}
