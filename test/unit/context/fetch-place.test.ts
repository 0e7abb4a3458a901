import { describe, expect, it } from 'vitest';
import { fetchPlace } from '../../../electron/core/context/git-build';

describe('where a git source is fetched', () => {
  it('is the server when it has git, else this computer', () => {
    expect(fetchPlace(undefined, true)).toBe('server');
    expect(fetchPlace(undefined, false)).toBe('this-computer');
  });

  it('is what the app says, whatever the server has', () => {
    expect(fetchPlace('this-computer', true)).toBe('this-computer');
    expect(fetchPlace('server', false)).toBe('server');
  });
});
