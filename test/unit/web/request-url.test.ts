import { describe, expect, it } from 'vitest';
import { decodedPath, requestUrl } from '../../../electron/web/request-url';

describe('a request target', () => {
  it('gives the path and query of an origin-form target', () => {
    const url = requestUrl('/rpc?token=abc');
    expect(url?.pathname).toBe('/rpc');
    expect(url?.searchParams.get('token')).toBe('abc');
  });

  it('is undefined for an absolute-form target that is not a URL', () => {
    expect(requestUrl('http://[')).toBeUndefined();
  });

  it('decodes percent-escapes and refuses a malformed one', () => {
    expect(decodedPath(requestUrl('/assets/a%20b.js')!)).toBe('/assets/a b.js');
    expect(decodedPath(requestUrl('/%E0%A4%A')!)).toBeUndefined();
  });
});
