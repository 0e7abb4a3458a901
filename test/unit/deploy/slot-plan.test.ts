import { describe, expect, it } from 'vitest';
import { planSlots, type ExistingContainer } from '../../../electron/core/deploy/slot-plan';

const container = (id: string, slot: string, state = 'running'): ExistingContainer => ({ Id: id, State: state, Labels: { 'berth.slot': slot } });

describe('where a standalone release goes', () => {
  it('starts a first release in slot a with nothing to retire', () => {
    expect(planSlots({ app: 'web', existing: [], liveSlot: null, publishedPorts: 0, replicas: 1 })).toEqual({ slot: 'a', old: [], leftovers: [], stopFirst: false });
  });

  it('takes the free slot, retires the live one and removes leftovers of failed attempts', () => {
    const live = container('1', 'a');
    const failedAttempt = container('2', 'b', 'exited');
    const stale = container('3', 'a', 'exited');
    const plan = planSlots({ app: 'web', existing: [live, failedAttempt, stale], liveSlot: 'a', publishedPorts: 0, replicas: 2 });
    expect(plan).toMatchObject({ slot: 'b', old: [live], stopFirst: false });
    expect(plan.leftovers.map((c) => c.Id)).toEqual(['2', '3']);
  });

  it('stops the old version first when the app publishes host ports', () => {
    expect(planSlots({ app: 'web', existing: [container('1', 'b')], liveSlot: 'b', publishedPorts: 1, replicas: 1 })).toMatchObject({ slot: 'a', stopFirst: true });
    expect(planSlots({ app: 'web', existing: [], liveSlot: null, publishedPorts: 1, replicas: 1 }).stopFirst).toBe(false);
  });

  it('refuses replicas that would share a published port, naming the fix', () => {
    expect(() => planSlots({ app: 'web', existing: [], liveSlot: null, publishedPorts: 1, replicas: 3 })).toThrow(/3 replicas cannot share: use one replica, or route it through the edge proxy/);
  });
});
