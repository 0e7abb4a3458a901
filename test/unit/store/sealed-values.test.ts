import { describe, expect, it } from 'vitest';
import { replaceStrings, sealedStrings } from '../../../electron/core/store/sealed-values';

const doc = {
  apps: { web: { registry: { url: 'r', password: 'ss1:aaa' } } },
  runtime: { env: [{ key: 'A', sealed: 'ss1:bbb' }, { key: 'B', sealed: 'v1:ccc' }, { key: 'C', value: 'plain' }] },
  n: 3,
  none: null,
};

describe('sealed values in stored documents', () => {
  it('finds every string sealed one way, however deep', () => {
    expect([...sealedStrings(doc, (s) => s.startsWith('ss1:'))].sort()).toEqual(['ss1:aaa', 'ss1:bbb']);
  });

  it('replaces only the strings it is given and keeps the rest of the document', () => {
    const next = replaceStrings(doc, new Map([['ss1:aaa', 'v1:new-a'], ['ss1:bbb', 'v1:new-b']]));
    expect(next.apps.web.registry.password).toBe('v1:new-a');
    expect(next.runtime.env.map((v) => v.sealed ?? v.value)).toEqual(['v1:new-b', 'v1:ccc', 'plain']);
    expect(next.n).toBe(3);
    expect(next.none).toBeNull();
  });
});
