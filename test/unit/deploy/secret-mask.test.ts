import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../electron/core/events/event-bus';
import { DeploymentLog } from '../../../electron/core/logs/deployment-log';
import { MASK, SecretMask, secretPieces } from '../../../electron/core/logs/secret-mask';

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\r\n  bm90LWEtcmVhbC1rZXk=\n-----END PRIVATE KEY-----';

describe('masking secrets', () => {
  it('masks every line of a multi-line value, however it is indented or ended', () => {
    const mask = new SecretMask();
    mask.add([PEM]);
    expect(mask.apply('key: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC')).toBe(`key: ${MASK}`);
    expect(mask.apply('    bm90LWEtcmVhbC1rZXk=')).toBe(`    ${MASK}`);
    expect(mask.apply('-----END PRIVATE KEY-----')).toBe(MASK);
  });

  it('masks a value printed whole on one line, escaped newlines and all', () => {
    const mask = new SecretMask();
    mask.add(['line-one\nline-two']);
    expect(mask.apply(JSON.stringify({ v: 'line-one\nline-two' }))).toBe(`{"v":"${MASK}\\n${MASK}"}`);
  });

  it('masks the first characters of a secret whose rest a long line had cut away', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'berth-mask-')), 'd.log');
    const log = new DeploymentLog(path, { serverId: 's1', deploymentId: 'd', bus: new EventBus() });
    log.mask(['SUPERSECRETVALUE']);
    log.chunk('out', `${'x'.repeat(64 * 1024 - 5)}SUPERSECRETVALUE and more\n`);
    log.chunk('out', 'next SUPERSECRETVALUE\n');
    await log.close();
    const [cut, next] = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(cut).not.toContain('SUPER');
    expect(cut).toMatch(new RegExp(`x{100}${MASK} … \\[[\\d,]+ bytes cut\\]$`));
    expect(next).toMatch(new RegExp(`out next ${MASK}$`));
  });

  it('leaves pieces too short to be told from ordinary text', () => {
    expect(secretPieces('abcd\n}\n\n  \nxy')).toEqual(['abcd\n}\n\n  \nxy', 'abcd']);
  });

  it('keeps each line of a multi-line secret out of a deployment log, from build output split anywhere', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'berth-mask-')), 'd.log');
    const bus = new EventBus();
    const sent: string[] = [];
    bus.on('deployments.log', (b) => sent.push(...b.lines.map((l) => l.text)));
    const log = new DeploymentLog(path, { serverId: 's1', deploymentId: 'd', bus });
    log.mask([PEM]);
    log.chunk('out', 'Step 3/4 : RUN cat /run/key\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN');
    log.chunk('out', 'BgkqhkiG9w0BAQEFAASC\n  bm90LWEtcmVhbC1rZXk=\n-----END PRIVATE KEY-----\n');
    await log.close();
    const written = readFileSync(path, 'utf8');
    for (const line of PEM.split(/\r?\n/)) {
      expect(written).not.toContain(line.trim());
      expect(sent.join('\n')).not.toContain(line.trim());
    }
    expect(written).toContain('Step 3/4 : RUN cat /run/key');
  });
});
