import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concreteAliases, loadSshConfig, parseJumpList, parseSshConfig, resolveHost } from '../../../electron/core/ssh/ssh-config';
import { targetForAlias } from '../../../electron/core/ssh/target';

const context = { home: '/home/ana', localUser: 'ana' };

const config = `
# global options come first
ServerAliveInterval 30

Host web
  HostName web.internal.example.com
  User deploy
  Port 2222
  IdentityFile ~/.ssh/web_ed25519

Host db-* !db-legacy
  User postgres
  ProxyJump bastion

Host bastion
  HostName=203.0.113.7
  User = jump

Match host legacy
  User nobody

Host *
  User fallback
  IdentityFile ~/.ssh/id_%u_%h
`;

const blocks = parseSshConfig(config, '/home/ana/.ssh/config');

describe('ssh config', () => {
  it('takes HostName, User, Port and IdentityFile from the matching Host block', () => {
    const web = resolveHost(blocks, 'web', context);
    expect(web).toMatchObject({ hostName: 'web.internal.example.com', user: 'deploy', port: 2222 });
    expect(web.identityFiles[0]).toBe('/home/ana/.ssh/web_ed25519');
  });

  it('keeps the first value of an option, as OpenSSH does', () => {
    expect(resolveHost(blocks, 'web', context).user).toBe('deploy');
    expect(resolveHost(blocks, 'other', context).user).toBe('fallback');
  });

  it('collects every IdentityFile that applies and expands its tokens', () => {
    expect(resolveHost(blocks, 'web', context).identityFiles).toEqual(['/home/ana/.ssh/web_ed25519', '/home/ana/.ssh/id_ana_web.internal.example.com']);
  });

  it('matches Host wildcards and skips negated names', () => {
    expect(resolveHost(blocks, 'db-main', context).user).toBe('postgres');
    expect(resolveHost(blocks, 'db-legacy', context).user).toBe('fallback');
  });

  it('accepts "Key=Value" and "Key = Value" forms', () => {
    expect(resolveHost(blocks, 'bastion', context)).toMatchObject({ hostName: '203.0.113.7', user: 'jump' });
  });

  it('never applies Match blocks other than Match all', () => {
    expect(resolveHost(blocks, 'legacy', context).user).toBe('fallback');
  });

  it('defaults to the alias itself, port 22 and the local user', () => {
    const bare = resolveHost(parseSshConfig('', 'none'), 'plain.example.com', context);
    expect(bare).toMatchObject({ hostName: 'plain.example.com', port: 22, user: 'ana', proxyJump: [] });
  });

  it('parses ProxyJump lists with users, ports, ssh:// forms and IPv6 addresses', () => {
    expect(parseJumpList('a, ops@b:2200,ssh://c:2201,[2001:db8::1]:22')).toEqual([
      { host: 'a' },
      { user: 'ops', host: 'b', port: 2200 },
      { host: 'c', port: 2201 },
      { host: '2001:db8::1', port: 22 },
    ]);
    expect(parseJumpList('none')).toEqual([]);
  });

  it('resolves a ProxyJump alias through its own Host block', () => {
    const target = targetForAlias(blocks, 'db-main', { ...context, sshConfigPath: '', agentSocket: undefined });
    expect(target.jumps).toHaveLength(1);
    expect(target.jumps[0]).toMatchObject({ host: '203.0.113.7', user: 'jump', port: 22 });
    expect(target).toMatchObject({ host: 'db-main', user: 'postgres' });
  });

  it('applies the first jump host\'s own ProxyJump before it', () => {
    const chained = parseSshConfig('Host inner\n  ProxyJump outer\nHost target\n  ProxyJump inner\n', 'c');
    const target = targetForAlias(chained, 'target', { ...context, sshConfigPath: '', agentSocket: undefined });
    expect(target.jumps.map((hop) => hop.host)).toEqual(['outer', 'inner']);
  });

  it('refuses a ProxyJump loop', () => {
    const loop = parseSshConfig('Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n', 'c');
    expect(() => targetForAlias(loop, 'a', { ...context, sshConfigPath: '', agentSocket: undefined })).toThrow(
      expect.objectContaining({ code: 'SSH_CONFIG_INVALID' }),
    );
  });

  it('refuses ProxyCommand with a pointer to ProxyJump', () => {
    const proxied = parseSshConfig('Host p\n  ProxyCommand nc %h %p\n', '/c');
    expect(() => resolveHost(proxied, 'p', context)).toThrow(expect.objectContaining({ code: 'SSH_CONFIG_INVALID', message: expect.stringMatching(/ProxyJump/) }));
  });

  it('refuses a Port that is not a number, naming the file and line', () => {
    const broken = parseSshConfig('Host x\n  Port twenty\n', '/c');
    expect(() => resolveHost(broken, 'x', context)).toThrow(expect.objectContaining({ code: 'SSH_CONFIG_INVALID', message: expect.stringContaining('/c:2') }));
  });

  it('lists only aliases without wildcards as importable', () => {
    expect(concreteAliases(blocks)).toEqual(['web', 'bastion']);
  });

  it('follows Include lines relative to the config folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'berth-sshcfg-'));
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'conf.d', 'one.conf'), 'Host included\n  HostName 192.0.2.10\n');
    writeFileSync(join(dir, 'config'), 'Include conf.d/*.conf\nHost main\n  User me\n');
    const loaded = loadSshConfig(join(dir, 'config'));
    expect(resolveHost(loaded, 'included', context).hostName).toBe('192.0.2.10');
    expect(concreteAliases(loaded)).toEqual(['included', 'main']);
  });
});
