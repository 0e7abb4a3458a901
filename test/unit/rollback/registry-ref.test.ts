import { describe, expect, it } from 'vitest';
import { RegistryInput } from '../../../shared/api/rollback';
import { authConfig, isAppRepository, redact, registryHost, releaseRef } from '../../../electron/core/registry/registry-ref';

const registry = { url: 'registry.example.com:5000/team', username: 'ci', password: 'hunter22' };

describe('registry references', () => {
  it('name a release <registry>/<app>:<seq>', () => {
    expect(releaseRef(registry, 'web', 12)).toBe('registry.example.com:5000/team/web:12');
    expect(registryHost(registry.url)).toBe('registry.example.com:5000');
  });

  it('send credentials only in the auth config, and an address even without them', () => {
    expect(authConfig(registry)).toEqual({ username: 'ci', password: 'hunter22', serveraddress: 'registry.example.com:5000' });
    expect(authConfig({ url: '127.0.0.1:45000', username: null, password: null })).toEqual({ serveraddress: '127.0.0.1:45000' });
  });

  it("tell the app's own tags from anyone else's", () => {
    expect(isAppRepository('web:3', 'web', registry)).toBe(true);
    expect(isAppRepository('registry.example.com:5000/team/web:3', 'web', registry)).toBe(true);
    expect(isAppRepository('web-api:3', 'web', registry)).toBe(false);
    expect(isAppRepository('berth-test/web:1', 'web', null)).toBe(false);
  });

  it('keep the password out of messages', () => {
    expect(redact('login hunter22 failed', registry)).toBe('login •••••• failed');
  });

  it('are accepted with or without a scheme or trailing slash, and refused when malformed', () => {
    expect(RegistryInput.parse({ url: 'http://127.0.0.1:45000/berth/' }).url).toBe('127.0.0.1:45000/berth');
    expect(RegistryInput.safeParse({ url: 'not a registry' }).success).toBe(false);
  });
});
