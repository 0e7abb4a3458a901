import { BerthError } from '../../../shared/errors';
import { otherSlot, type Slot } from '../proxy/proxy-model';
import { LABEL } from './labels';

/** What Berth needs to know of one existing container of the app. */
export interface ExistingContainer {
  Id: string;
  State: string;
  Labels: Record<string, string>;
}

export interface SlotPlan<C extends ExistingContainer = ExistingContainer> {
  /** The free slot the new release starts in. */
  slot: Slot;
  /** The live slot's running containers, retired once traffic moved (or stopped first). */
  old: C[];
  /** Containers of failed or interrupted attempts, removed before the start. */
  leftovers: C[];
  /** Published host ports cannot be held by two containers: the old version stops before the new one starts. */
  stopFirst: boolean;
}

/**
 * Where a standalone release goes and what happens to what runs: the new version takes the slot the live one does
 * not hold; everything else of the app that is not the live slot's running containers is a leftover.
 */
export function planSlots<C extends ExistingContainer>(input: { app: string; existing: readonly C[]; liveSlot: string | null; publishedPorts: number; replicas: number }): SlotPlan<C> {
  if (input.publishedPorts > 0 && input.replicas > 1) {
    throw new BerthError('START_FAILED', `${input.app} publishes ports on the server, which ${input.replicas} replicas cannot share: use one replica, or route it through the edge proxy.`);
  }
  const old = input.existing.filter((c) => c.State === 'running' && c.Labels[LABEL.slot] === input.liveSlot);
  return {
    slot: otherSlot(input.liveSlot),
    old,
    leftovers: input.existing.filter((c) => !old.includes(c)),
    stopFirst: input.publishedPorts > 0 && old.length > 0,
  };
}
