import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../../electron/core/apps/env-file';

describe('parseEnvFile', () => {
  it('reads plain, exported, quoted and commented lines', () => {
    const result = parseEnvFile(['# comment', '', 'A=1', 'export B = two ', "C='lit $x # not a comment'", 'D="a\\nb"', 'E=url#frag # note'].join('\n'));
    expect(result.errors).toEqual([]);
    expect(result.vars.map(({ key, value }) => [key, value])).toEqual([
      ['A', '1'],
      ['B', 'two'],
      ['C', 'lit $x # not a comment'],
      ['D', 'a\nb'],
      ['E', 'url#frag'],
    ]);
  });

  it('keeps a double-quoted value that spans lines', () => {
    const result = parseEnvFile('KEY="first\nsecond"\nNEXT=1');
    expect(result.vars).toEqual([
      { key: 'KEY', value: 'first\nsecond', line: 1 },
      { key: 'NEXT', value: '1', line: 3 },
    ]);
  });

  it('reports every malformed line with its number', () => {
    const result = parseEnvFile('GOOD=1\nno equals here\n1BAD=2\nQ="open\n');
    expect(result.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(result.errors[0]?.message).toMatch(/expected KEY=value/);
    expect(result.errors[1]?.message).toMatch(/not a valid name/);
    expect(result.errors[2]?.message).toMatch(/never closed/);
    expect(result.vars.map((v) => v.key)).toEqual(['GOOD']);
  });

  it('rejects text after a closing quote', () => {
    expect(parseEnvFile('A="x" y').errors[0]).toEqual({ line: 1, message: 'unexpected "y" after the closing "' });
  });

  it('lets a repeated key win and warns about it', () => {
    const result = parseEnvFile('A=1\nA=2');
    expect(result.vars).toEqual([{ key: 'A', value: '2', line: 2 }]);
    expect(result.warnings[0]?.line).toBe(2);
  });

  it('handles CRLF line ends and a byte-order mark', () => {
    expect(parseEnvFile('\uFEFFA=1\r\nB=2\r\n').vars.map((v) => v.value)).toEqual(['1', '2']);
  });
});
