import { describe, expect, it } from 'vitest';
import { compareVersions, globMatcher, planAutoDeploy, type Covered, type WatchMemory } from '../../../electron/core/watch/auto-deploy-plan';
import type { RemoteRef } from '../../../electron/core/watch/remote-refs';

const h = (c: string) => c.repeat(40);
const branch = (name: string, hash: string): RemoteRef => ({ kind: 'branch', name, hash });
const tag = (name: string, hash: string): RemoteRef => ({ kind: 'tag', name, hash });
const fresh: WatchMemory = { tagsSeen: null, started: [] };
const none: Covered = { hashes: new Set(), refs: new Set() };
const main = { kind: 'branch', branch: 'main' } as const;
const vStar = { kind: 'tag', pattern: 'v*' } as const;

describe('planAutoDeploy on a branch', () => {
  it('deploys a new head by its hash and remembers it', () => {
    const plan = planAutoDeploy(main, [branch('main', h('a')), branch('dev', h('b'))], fresh, none);
    expect(plan.deploy).toEqual({ ref: h('a'), hash: h('a') });
    expect(plan.seen).toEqual({ ref: 'main', hash: h('a') });
    expect(plan.memory.started).toEqual([h('a')]);
  });

  it('does not deploy the commit that is live', () => {
    expect(planAutoDeploy(main, [branch('main', h('a'))], fresh, { hashes: new Set([h('a')]), refs: new Set() }).deploy).toBeNull();
  });

  it('does not deploy a commit already queued, by hash or by the branch it was asked for', () => {
    expect(planAutoDeploy(main, [branch('main', h('a'))], fresh, { hashes: new Set(), refs: new Set([h('a')]) }).deploy).toBeNull();
    expect(planAutoDeploy(main, [branch('main', h('a'))], fresh, { hashes: new Set(), refs: new Set(['main']) }).deploy).toBeNull();
  });

  it('does not start a commit twice, even when its deployment failed', () => {
    const first = planAutoDeploy(main, [branch('main', h('a'))], fresh, none);
    expect(planAutoDeploy(main, [branch('main', h('a'))], first.memory, none).deploy).toBeNull();
  });

  it('deploys the next commit pushed after one went live', () => {
    const first = planAutoDeploy(main, [branch('main', h('a'))], fresh, none);
    const second = planAutoDeploy(main, [branch('main', h('b'))], first.memory, { hashes: new Set([h('a')]), refs: new Set() });
    expect(second.deploy).toEqual({ ref: h('b'), hash: h('b') });
  });

  it('says so when the branch is not on the remote', () => {
    const plan = planAutoDeploy(main, [branch('dev', h('b'))], fresh, none);
    expect(plan.deploy).toBeNull();
    expect(plan.problem).toBe('The remote has no branch main.');
  });
});

describe('planAutoDeploy on a tag pattern', () => {
  it('only notes the tags already there on the first check', () => {
    const plan = planAutoDeploy(vStar, [tag('v1', h('a')), tag('other', h('b'))], fresh, none);
    expect(plan.deploy).toBeNull();
    expect(plan.memory.tagsSeen).toEqual(['v1']);
    expect(plan.seen).toEqual({ ref: 'v1', hash: h('a') });
  });

  it('deploys a new matching tag by its name', () => {
    const plan = planAutoDeploy(vStar, [tag('v1', h('a')), tag('v2', h('b'))], { tagsSeen: ['v1'], started: [] }, none);
    expect(plan.deploy).toEqual({ ref: 'v2', hash: h('b') });
    expect(plan.memory.tagsSeen).toEqual(['v1', 'v2']);
  });

  it('deploys only the newest of several new tags, by version order', () => {
    const refs = [tag('v1.9', h('a')), tag('v1.10', h('b')), tag('v1.2', h('c'))];
    expect(planAutoDeploy(vStar, refs, { tagsSeen: [], started: [] }, none).deploy).toEqual({ ref: 'v1.10', hash: h('b') });
  });

  it('ignores tags that do not match and does not redeploy a tag seen before', () => {
    const memory = { tagsSeen: ['v1'], started: [] };
    expect(planAutoDeploy(vStar, [tag('v1', h('a')), tag('release-2', h('b'))], memory, none).deploy).toBeNull();
  });

  it('does not deploy a new tag on a commit that is already live', () => {
    expect(planAutoDeploy(vStar, [tag('v2', h('a'))], { tagsSeen: [], started: [] }, { hashes: new Set([h('a')]), refs: new Set() }).deploy).toBeNull();
  });
});

describe('globMatcher and compareVersions', () => {
  it('matches * and ? and takes everything else literally', () => {
    expect(globMatcher('v*').test('v1.2.3')).toBe(true);
    expect(globMatcher('v*').test('xv1')).toBe(false);
    expect(globMatcher('release-?').test('release-7')).toBe(true);
    expect(globMatcher('v1.*').test('v1x2')).toBe(false);
  });

  it('orders numbers inside names as numbers', () => {
    expect(['v1.10', 'v1.9', 'v1.2'].sort(compareVersions)).toEqual(['v1.2', 'v1.9', 'v1.10']);
  });
});
