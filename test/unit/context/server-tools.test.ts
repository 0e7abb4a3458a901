import { describe, expect, it } from 'vitest';
import { parseTools, whyNoCache } from '../../../electron/core/context/server-tools';

const ready = 'daemon=ABC\nclient=20.10.24+dfsg1\n';

describe('whether a server can build from its own copy of the context', () => {
  it('can with GNU tar and find, flock and a docker CLI on the same daemon', () => {
    expect(whyNoCache(parseTools(ready), 'ABC', true)).toBeNull();
  });

  it('names every missing tool once', () => {
    expect(whyNoCache(parseTools(`missing=tar\nmissing=flock\nmissing=GNU tar\n${ready}`), 'ABC', false)).toBe('the server has no tar, flock');
  });

  it('refuses a docker CLI that reaches another daemon, or none', () => {
    expect(whyNoCache(parseTools(ready), 'XYZ', false)).toMatch(/another daemon/);
    expect(whyNoCache(parseTools('daemon=\nclient=\n'), 'ABC', false)).toMatch(/reaches no daemon/);
  });

  it('needs buildx for BuildKit from Docker 23 on, not for the classic builder', () => {
    const newer = parseTools('daemon=ABC\nclient=28.2.2\n');
    expect(whyNoCache(newer, 'ABC', true)).toMatch(/no buildx plugin/);
    expect(whyNoCache(newer, 'ABC', false)).toBeNull();
    expect(whyNoCache(parseTools('daemon=ABC\nclient=28.2.2\nbuildx=yes\n'), 'ABC', true)).toBeNull();
  });
});
