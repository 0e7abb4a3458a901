import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { integer, parseCommand, parseDuration, parseKeyValue, parsePublish, parseVolume, repeatable } from '../../../electron/cli/args';

describe('option parsers', () => {
  it('reads KEY=VALUE with an empty value or more = signs in the value', () => {
    expect(parseKeyValue('A=1', '--env')).toEqual({ key: 'A', value: '1' });
    expect(parseKeyValue('URL=postgres://u:p@h/db?x=1', '--env')).toEqual({ key: 'URL', value: 'postgres://u:p@h/db?x=1' });
    expect(parseKeyValue('EMPTY=', '--env')).toEqual({ key: 'EMPTY', value: '' });
  });

  it('refuses a KEY=VALUE without a key or an = as a usage error naming the option', () => {
    expect(() => parseKeyValue('NOVALUE', '--env')).toThrow(InvalidArgumentError);
    expect(() => parseKeyValue('=1', '--secret')).toThrow(/--secret expects KEY=VALUE/);
  });

  it('collects a repeatable option, parsing each value', () => {
    const parse = repeatable((v) => parseKeyValue(v, '--env'));
    expect(parse('B=2', parse('A=1', undefined))).toEqual([{ key: 'A', value: '1' }, { key: 'B', value: '2' }]);
  });

  it('reads whole numbers within range only', () => {
    expect(integer(1, 65535)('8080')).toBe(8080);
    expect(() => integer(1, 65535)('0')).toThrow(/out of range/);
    expect(() => integer(1)('1.5')).toThrow(/not a whole number/);
    expect(() => integer(1)('ten')).toThrow(/not a whole number/);
  });

  it('takes a shell-form command as sh -c, and a JSON array as the exec form', () => {
    expect(parseCommand('echo hi && sleep 1')).toEqual(['/bin/sh', '-c', 'echo hi && sleep 1']);
    expect(parseCommand('["node", "server.js"]')).toEqual(['node', 'server.js']);
    expect(() => parseCommand('[broken')).toThrow(/not valid JSON/);
    expect(() => parseCommand('[1, 2]')).toThrow(/array of strings/);
  });

  it('reads published ports as docker run -p does', () => {
    expect(parsePublish('8443:443')).toEqual({ hostIp: '', published: 8443, container: 443, protocol: 'tcp' });
    expect(parsePublish('127.0.0.1:5353:53/udp')).toEqual({ hostIp: '127.0.0.1', published: 5353, container: 53, protocol: 'udp' });
    expect(() => parsePublish('80')).toThrow(InvalidArgumentError);
    expect(() => parsePublish('70000:80')).toThrow(/out of range/);
  });

  it('reads volumes with an absolute target and an optional :ro', () => {
    expect(parseVolume('data:/var/lib/data')).toEqual({ source: 'data', target: '/var/lib/data', readOnly: false });
    expect(parseVolume('/srv/cfg:/etc/app:ro')).toEqual({ source: '/srv/cfg', target: '/etc/app', readOnly: true });
    expect(() => parseVolume('data:relative')).toThrow(InvalidArgumentError);
    expect(() => parseVolume('a:/b:rx')).toThrow(InvalidArgumentError);
  });

  it('reads durations in ms, s or m, and bare numbers as milliseconds', () => {
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('300ms')).toBe(300);
    expect(parseDuration('2s')).toBe(2000);
    expect(parseDuration('1.5m')).toBe(90_000);
    expect(() => parseDuration('soon')).toThrow(InvalidArgumentError);
  });
});
