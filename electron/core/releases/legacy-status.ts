import type { Deployment } from '../../../shared/api/deployments';

/**
 * Records written before a manual rollback stepped the release it replaced down as `superseded` carry
 * `rolled-back`, the badge of an automatic revert. Every automatic revert records `autoRollback`, so a
 * `rolled-back` record without it is a healthy release a user rolled away from.
 */
export function withHonestStatus(d: Deployment): Deployment {
  return d.status === 'rolled-back' && d.autoRollback === undefined && d.supersededBy ? { ...d, status: 'superseded' } : d;
}
