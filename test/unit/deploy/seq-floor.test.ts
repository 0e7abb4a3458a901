import { describe, expect, it } from 'vitest';
import { highestSeqSeen, nextSeq } from '../../../electron/core/deploy/seq-floor';

describe('nextSeq', () => {
  it('counts on from this home when the server shows nothing higher', () => {
    expect(nextSeq(7, 7)).toBe(8);
    expect(nextSeq(7, 0)).toBe(8);
  });

  it('passes what another home deployed when this home is fresh', () => {
    expect(nextSeq(null, 12)).toBe(13);
  });

  it('passes the server when this home is behind it', () => {
    expect(nextSeq(3, 9)).toBe(10);
  });

  it('starts at 1 on a fresh home and a fresh server', () => {
    expect(nextSeq(null, 0)).toBe(1);
  });
});

describe('highestSeqSeen', () => {
  it('reads image tags of the app and the seq labels of its containers', () => {
    expect(highestSeqSeen('web', ['web:3', 'web:11', 'web:latest', 'webshop:40', 'other:99'], ['5', undefined])).toBe(11);
    expect(highestSeqSeen('web', ['web:2'], ['14'])).toBe(14);
  });

  it('ignores tags that are not a seq', () => {
    expect(highestSeqSeen('web', ['web:0', 'web:01', 'web:1.2', 'web:'], ['x'])).toBe(0);
  });
});
