import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor, exitCodeForDeployment, exitCodeForHealth } from '../../../electron/cli/exit-codes';
import { errorCodes } from '../../../shared/errors';

describe('exit codes', () => {
  it('keeps the documented scheme: 0 ok, 1 failed, 2 usage, 3 refused, 4 connection', () => {
    expect(EXIT).toEqual({ ok: 0, failed: 1, usage: 2, refused: 3, connection: 4 });
  });

  it.each([
    ['INVALID_INPUT', 2],
    ['ENV_PARSE_ERROR', 2],
    ['IMAGE_GONE', 3],
    ['HOST_KEY_UNKNOWN', 3],
    ['SERVER_NOT_FOUND', 3],
    ['APP_NOT_FOUND', 3],
    ['CONNECTION_REFUSED', 4],
    ['AUTH_FAILED', 4],
    ['CONNECT_TIMEOUT', 4],
    ['BUILD_FAILED', 1],
    ['HEALTH_CHECK_FAILED', 1],
    ['INTERNAL', 1],
  ] as const)('maps %s to %i', (code, exit) => {
    expect(exitCodeFor(code)).toBe(exit);
  });

  it('gives every error code of the contract an exit code of the scheme', () => {
    for (const code of errorCodes) expect([1, 2, 3, 4]).toContain(exitCodeFor(code));
  });

  it('ends a deploy that went live with 0', () => {
    expect(exitCodeForDeployment({ status: 'live', error: null })).toBe(0);
  });

  it('ends a failed build, a cancel and an automatic rollback with 1', () => {
    expect(exitCodeForDeployment({ status: 'failed', error: { code: 'BUILD_FAILED', message: '' } })).toBe(1);
    expect(exitCodeForDeployment({ status: 'cancelled', error: { code: 'CANCELLED', message: '' } })).toBe(1);
    expect(exitCodeForDeployment({ status: 'rolled-back', error: null })).toBe(1);
    expect(exitCodeForDeployment({ status: 'interrupted', error: { code: 'INTERRUPTED', message: '' } })).toBe(1);
  });

  it('says a deployment failed because the server was unreachable, or because its image is gone', () => {
    expect(exitCodeForDeployment({ status: 'failed', error: { code: 'CONNECTION_REFUSED', message: '' } })).toBe(4);
    expect(exitCodeForDeployment({ status: 'failed', error: { code: 'IMAGE_GONE', message: '' } })).toBe(3);
  });

  it('ends with 1 when the release went live but failed its watch window and was rolled back', () => {
    const autoRollback = { at: '', by: 'berth' as const, phase: 'watch' as const, reason: 'probes failed', revertedTo: 'd1', rollbackId: 'd3', probes: [] };
    expect(exitCodeForDeployment({ status: 'rolled-back', error: { code: 'HEALTH_CHECK_FAILED', message: '' }, autoRollback })).toBe(1);
    expect(exitCodeForDeployment({ status: 'live', error: { code: 'HEALTH_CHECK_FAILED', message: '' }, autoRollback })).toBe(1);
  });

  it('never reports a failed deployment as a usage error', () => {
    expect(exitCodeForDeployment({ status: 'failed', error: { code: 'INVALID_INPUT', message: '' } })).toBe(1);
  });
});

describe('exit codes for a server health', () => {
  const ok = { state: 'ok' as const, detail: '' };
  const down = { state: 'down' as const, detail: '' };
  const app = { ...ok, app: 'web', deploymentId: 'd1', seq: 1, running: 1, expected: 1 };

  it('is 0 when nothing is down, warnings included', () => {
    expect(exitCodeForHealth({ ssh: ok, docker: ok, proxy: { state: 'warning', detail: '' }, apps: [app] })).toBe(0);
  });

  it('is 4 when SSH or Docker does not answer', () => {
    expect(exitCodeForHealth({ ssh: ok, docker: down, proxy: { state: 'unchecked', detail: '' }, apps: [] })).toBe(4);
    expect(exitCodeForHealth({ ssh: down, docker: ok, proxy: ok, apps: [] })).toBe(4);
  });

  it('is 3 when SSH is down because Berth refused the host key', () => {
    expect(exitCodeForHealth({ ssh: { ...down, code: 'HOST_KEY_CHANGED' }, docker: { state: 'unchecked', detail: '' }, proxy: { state: 'unchecked', detail: '' }, apps: [] })).toBe(3);
  });

  it('is 1 when the proxy or an app is down', () => {
    expect(exitCodeForHealth({ ssh: ok, docker: ok, proxy: down, apps: [] })).toBe(1);
    expect(exitCodeForHealth({ ssh: ok, docker: ok, proxy: ok, apps: [{ ...app, ...down }] })).toBe(1);
  });
});
