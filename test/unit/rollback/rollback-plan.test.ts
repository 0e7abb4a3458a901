import { describe, expect, it } from 'vitest';
import { diffEnv, diffFields, notUndone, secretsKept, unchangedFields } from '../../../electron/core/rollback/rollback-plan';
import { runtimeSnapshot } from './fixtures';

const plain = (key: string, value: string) => ({ key, value, secret: false });
const secret = (key: string, value: string) => ({ key, value, secret: true });

describe('the env diff of a rollback plan', () => {
  it('lists added, removed and changed keys in key order, and nothing for equal ones', () => {
    expect(diffEnv([plain('B', '1'), plain('A', 'x'), plain('KEEP', 'k')], [plain('A', 'y'), plain('C', '3'), plain('KEEP', 'k')])).toEqual([
      { key: 'A', change: 'changed', secret: false, from: 'x', to: 'y' },
      { key: 'B', change: 'removed', secret: false, from: '1', to: null },
      { key: 'C', change: 'added', secret: false, from: null, to: '3' },
    ]);
  });

  it('compares secret values but never shows them', () => {
    expect(diffEnv([secret('TOKEN', 'old'), secret('SAME', 's')], [secret('TOKEN', 'new'), secret('SAME', 's'), secret('NEW', 'n')])).toEqual([
      { key: 'NEW', change: 'added', secret: true, from: null, to: null },
      { key: 'TOKEN', change: 'changed', secret: true, from: null, to: null },
    ]);
  });

  it('masks both sides when a variable turns secret', () => {
    expect(diffEnv([plain('KEY', 'visible')], [secret('KEY', 'visible')])).toEqual([{ key: 'KEY', change: 'changed', secret: true, from: null, to: null }]);
  });
});

describe('the settings diff of a rollback plan', () => {
  it('lists only the settings that differ, rendered for people', () => {
    const live = runtimeSnapshot({ httpPort: 8081, replicas: 2 });
    const next = runtimeSnapshot({ httpPort: 8080, replicas: 2, limits: { memoryMb: 256, cpus: 0.5 } });
    expect(diffFields(live, next)).toEqual([
      { field: 'httpPort', label: 'HTTP port', from: '8081 via the proxy', to: '8080 via the proxy' },
      { field: 'limits', label: 'Limits', from: 'none', to: '0.5 CPU, 256 MB' },
    ]);
  });

  it('sees any change of the health check, its timing included', () => {
    const live = runtimeSnapshot();
    const next = runtimeSnapshot({ healthCheck: { kind: 'http', path: '/health', intervalMs: 500, timeoutMs: 2000, retries: 4, startPeriodMs: 0 } });
    expect(diffFields(live, next).map((c) => c.field)).toEqual(['healthCheck']);
  });

  it('lists every setting as new when nothing is live', () => {
    expect(diffFields(null, runtimeSnapshot()).length).toBe(10);
    expect(unchangedFields(null, runtimeSnapshot())).toEqual([]);
  });

  it('says what stays as well as what moves, each setting in exactly one list', () => {
    const live = runtimeSnapshot({ httpPort: 8081, replicas: 2 });
    const next = runtimeSnapshot({ httpPort: 8080, replicas: 2 });
    const same = unchangedFields(live, next);
    expect(same.find((f) => f.field === 'replicas')).toEqual({ field: 'replicas', label: 'Replicas', value: '2' });
    expect(same.map((f) => f.field)).not.toContain('httpPort');
    expect(same.length + diffFields(live, next).length).toBe(10);
  });

  it('counts the secrets both sides hold with the same value, without showing them', () => {
    expect(secretsKept([secret('A', '1'), secret('B', '2'), plain('C', '3')], [secret('A', '1'), secret('B', 'changed'), plain('C', '3')])).toBe(1);
  });
});

describe('what a rollback does not undo', () => {
  it('names the volumes whose data stays', () => {
    const lines = notUndone(runtimeSnapshot({ volumes: [{ source: 'pgdata', target: '/var/lib/pg', readOnly: false }] }), 4);
    expect(lines[0]).toMatch(/migrations run since #4/);
    expect(lines[1]).toContain('pgdata');
    expect(lines[2]).toMatch(/external services/);
  });
});
