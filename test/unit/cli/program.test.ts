import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../electron/cli/main';
import { serverInputFrom } from '../../../electron/cli/commands/server';
import { ServerInput } from '../../../shared/api/servers';

function leaves(command: Command, path: string[] = []): Array<{ path: string; command: Command }> {
  const subs = command.commands.filter((c) => c.name() !== 'help');
  if (subs.length === 0) return [{ path: path.join(' '), command }];
  return subs.flatMap((c) => leaves(c, [...path, c.name()]));
}

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

describe('the berth program', () => {
  const program = buildProgram();

  it('has every command the issue asks for', () => {
    expect(leaves(program).map((l) => l.path).sort()).toEqual(
      ['app add', 'app clear-cache', 'app env', 'app list', 'app remove', 'app set', 'app show', 'deploy', 'history', 'logs', 'plan', 'preview deploy', 'preview list', 'preview prune', 'preview remove', 'release delete', 'release list', 'release note', 'release pin', 'release unpin', 'rollback', 'server add', 'server forget-key', 'server list', 'server proxy apply', 'server remove', 'server show', 'server trust', 'status', 'watch'].sort(),
    );
  });

  it.each(leaves(buildProgram()).map((l) => [l.path, l.command] as const))('documents %s with examples and the global options', (_path, command) => {
    const help = helpOf(command);
    expect(help).toMatch(/Examples?:\n\s+\$ berth /);
    expect(help).toContain('--json');
    expect(help).toContain('--home <dir>');
  });
});

describe('berth server add options → ServerInput', () => {
  const base = { port: 22, user: 'root', socket: '/var/run/docker.sock', proxyPort: 80, check: true };

  it('maps a key login, making the key path absolute', () => {
    const input = serverInputFrom('prod', { ...base, host: 'h', key: 'keys/id_ed25519' });
    expect(input.auth).toEqual({ kind: 'key', keyPath: `${process.cwd()}/keys/id_ed25519` });
    expect(ServerInput.parse(input)).toMatchObject({ name: 'prod', host: 'h', port: 22 });
  });

  it('takes the edge proxy settings', () => {
    const input = serverInputFrom('s', { ...base, host: 'h', agent: true, proxyPort: 18091, proxyImage: 'berth-test/haproxy:2.6', proxyBind: '127.0.0.1' });
    expect(input.proxy).toEqual({ httpPort: 18091, image: 'berth-test/haproxy:2.6', bindAddress: '127.0.0.1' });
  });

  it('needs exactly one way to log in', () => {
    expect(() => serverInputFrom('s', { ...base, host: 'h' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => serverInputFrom('s', { ...base, host: 'h', key: 'k', agent: true })).toThrow(/exactly one way/);
  });
});
