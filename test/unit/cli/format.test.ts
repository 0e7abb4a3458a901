import { describe, expect, it } from 'vitest';
import { age, envLines, envRows, HISTORY_HEADERS, historyRows } from '../../../electron/cli/format';
import { renderTable } from '../../../electron/cli/output';
import { app, at, deployment, failedBuild } from './fixtures';

describe('formatting for the terminal', () => {
  it('says how long ago something happened', () => {
    const now = new Date(at(0));
    expect(age(at(-2), now)).toBe('just now');
    expect(age(at(-42), now)).toBe('42s ago');
    expect(age(at(-5 * 60), now)).toBe('5m ago');
    expect(age(at(-3 * 3600), now)).toBe('3h ago');
    expect(age(at(-2 * 86_400), now)).toBe('2d ago');
    expect(age(null, now)).toBe('—');
  });

  it('renders one history row per deployment, a rollback naming the release it ran and a failure its code', () => {
    const rollback = deployment(3, { kind: 'rollback', status: 'live', target: 'web-1-abc', title: 'Roll back to #1' });
    const rows = historyRows([rollback, failedBuild(2), deployment(1)], new Date(at(4 * 60)));
    expect(rows[0]).toEqual(['#3', 'rollback', 'live', 'Roll back to #1', '333333333333', '1m ago', '0:12', '', 'runs #1']);
    expect(rows[1]?.[2]).toBe('failed');
    expect(rows[1]?.[4]).toBe('—');
    expect(rows[1]?.[8]).toBe('BUILD_FAILED: The build failed.');
    expect(rows.every((r) => r.length === HISTORY_HEADERS.length)).toBe(true);
  });

  it("says whether a release can be rolled back to, as the engine checked it, and marks pinned ones", () => {
    const rows = historyRows([
      deployment(3, { status: 'live', rollbackCapable: true }),
      deployment(2, { rollbackCapable: false, rollbackReason: 'The image is gone.' }),
      deployment(1, { rollbackCapable: true, pinned: true }),
    ]);
    expect(rows.map((r) => [r[7], r[8]])).toEqual([
      ['', ''],
      ['no', ''],
      ['yes', 'pinned'],
    ]);
  });

  it('marks a record Berth is still checking against the server, so its status reads as provisional', () => {
    const [row] = historyRows([deployment(4, { status: 'building', reconciling: true })]);
    expect(row?.[2]).toBe('building (checking)');
    expect(row?.[8]).toMatch(/being checked/);
  });

  it('masks secret env values', () => {
    expect(envRows(app().runtime.env)).toEqual([
      ['GREETING', 'hi', ''],
      ['TOKEN', '••••••', 'secret'],
    ]);
    expect(envLines(app().runtime.env)).toEqual(['GREETING=hi', 'TOKEN=••••••']);
  });
});

describe('table rendering', () => {
  it('pads columns to the widest cell and leaves the last one unpadded', () => {
    expect(renderTable(['ID', 'NAME'], [['s1', 'production'], ['staging-eu', 'st']])).toEqual(['ID          NAME', 's1          production', 'staging-eu  st']);
  });

  it('does not count colour codes in the width', () => {
    const green = '\x1b[32mlive\x1b[0m';
    expect(renderTable(['STATUS', 'SEQ'], [[green, '#1'], ['superseded', '#0']])).toEqual([
      'STATUS      SEQ',
      `${green}        #1`,
      'superseded  #0',
    ]);
  });

  it('renders label/value pairs without a header', () => {
    expect(renderTable(null, [['Server', 's1'], ['Replicas', '2']])).toEqual(['Server    s1', 'Replicas  2']);
  });
});
