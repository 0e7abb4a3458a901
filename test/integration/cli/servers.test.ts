import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { z } from 'zod';
import { Server, ServerOverview, ServerStatus } from '../../../shared/api/servers';
import { DeploymentSummary } from '../../../shared/api/deployments';
import { ErrorEnvelope } from '../../../shared/error-envelope';
import { loadSandbox } from '../../support/sandbox';
import { berth, closedPort, newHome, parseJson, scriptPath, serverAddArgs, settle, startBerthOnTerminal } from './harness';

const s1 = loadSandbox().servers.find((s) => s.name === 's1')!;
const StatusReport = z.object({
  servers: z.array(z.object({ server: Server, status: ServerStatus, apps: z.array(z.object({ name: z.string(), live: DeploymentSummary.nullable(), inProgress: DeploymentSummary.nullable() })) })),
});
let home: string;

beforeAll(() => {
  home = newHome('servers');
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('berth server add without a terminal', () => {
  it('refuses an unknown host key with exit 3, printing the fingerprint to pin, and saves nothing', async () => {
    const run = await berth(home, serverAddArgs('s1', s1));
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('HOST_KEY_UNKNOWN');
    expect(run.stderr).toContain(`--accept-host-key ${s1.hostKeyFingerprint}`);
    expect(run.stderr).toContain('The server was not saved.');
    expect(parseJson((await berth(home, ['server', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('reports the refusal as a JSON error envelope with --json', async () => {
    const run = await berth(home, [...serverAddArgs('s1', s1), '--json']);
    expect(run.code).toBe(3);
    const { error } = z.object({ error: ErrorEnvelope }).parse(parseJson(run.stdout));
    expect(error.code).toBe('HOST_KEY_UNKNOWN');
    expect(error.details).toMatchObject({ fingerprint: s1.hostKeyFingerprint });
  });

  it('adds the server once its fingerprint is pinned with --accept-host-key, and prints it as a Server', async () => {
    const run = await berth(home, [...serverAddArgs('s1', s1), '--accept-host-key', s1.hostKeyFingerprint, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const server = Server.parse(parseJson(run.stdout));
    expect(server).toMatchObject({ id: 's1', host: s1.host, port: s1.port, auth: { kind: 'key', keyPath: s1.keyPath } });
  });

  it('trusts the pinned key from then on: later commands connect without it', async () => {
    const run = await berth(home, ['server', 'show', 's1', '--json']);
    expect(run.code).toBe(0);
    const overview = ServerOverview.parse(parseJson(run.stdout));
    expect(overview.status.state).toBe('connected');
    expect(overview.docker?.swarm).toBe('inactive');
  });

  it('refuses a second server of the same name with exit 3', async () => {
    const run = await berth(home, [...serverAddArgs('s1', s1)]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('SERVER_EXISTS');
  });
});

describe.skipIf(!scriptPath)('berth server add on a terminal', () => {
  const answer = async (reply: string) => {
    const terminalHome = newHome('tty');
    const child = startBerthOnTerminal(terminalHome, serverAddArgs('s1', s1));
    const run = settle(child, 60_000);
    let screen = '';
    let answered = false;
    child.stdout.on('data', (chunk: string) => {
      screen += chunk;
      if (!answered && screen.includes('Trust it and connect? [y/N]')) {
        answered = true;
        child.stdin.write(`${reply}\r`);
      }
    });
    const result = await run;
    rmSync(terminalHome, { recursive: true, force: true });
    return result;
  };

  it('asks whether to trust the unknown host key, showing its fingerprint, and connects after yes', async () => {
    const run = await answer('y');
    expect(run.stdout).toContain(`ssh-ed25519 key fingerprint is ${s1.hostKeyFingerprint}.`);
    expect(run.stdout).toContain('s1: connected');
    expect(run.code, run.stdout).toBe(0);
  });

  it('refuses with exit 3 after no', async () => {
    const run = await answer('n');
    expect(run.stdout).toContain('HOST_KEY_REJECTED');
    expect(run.code, run.stdout).toBe(3);
  });
});

describe('connection problems exit with 4', () => {
  it('says which key the server did not accept', async () => {
    const args = serverAddArgs('wrong-key', s1, ['--accept-host-key', s1.hostKeyFingerprint]);
    args[args.indexOf('--key') + 1] = s1.wrongKeyPath;
    const run = await berth(home, args);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('AUTH_FAILED');
    expect(run.stderr).toContain(s1.wrongKeyPath);
  });

  it('says the connection was refused on a port nothing listens on', async () => {
    const port = await closedPort();
    const args = serverAddArgs('closed', s1);
    args[args.indexOf('--port') + 1] = String(port);
    const run = await berth(home, args);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('CONNECTION_REFUSED');
    expect(run.stderr).toContain(`port ${port}`);
  });

  it('leaves neither failed server in the list', async () => {
    const servers = z.array(Server).parse(parseJson((await berth(home, ['server', 'list', '--json'])).stdout));
    expect(servers.map((s) => s.id)).toEqual(['s1']);
  });
});

describe('refusals and usage errors', () => {
  it('refuses an unknown server with exit 3', async () => {
    const run = await berth(home, ['server', 'show', 'nope']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('There is no server "nope"');
    expect(run.stderr).toContain('SERVER_NOT_FOUND');
  });

  it('refuses an app on an unknown server with exit 3', async () => {
    const run = await berth(home, ['deploy', 'web', '--server', 'nope']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('SERVER_NOT_FOUND');
  });

  it('refuses an unknown app with exit 3', async () => {
    const run = await berth(home, ['history', 'ghost']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('APP_NOT_FOUND');
  });

  it('exits 2 on an unknown option, pointing at --help', async () => {
    const run = await berth(home, ['deploy', 'web', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--bogus'");
    expect(run.stderr).toContain('--help');
  });

  it('exits 2 on an option value that cannot be right', async () => {
    const run = await berth(home, ['server', 'add', 'x', '--host', 'h', '--agent', '--port', 'ssh']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not a whole number');
  });

  it('prints help with examples and exits 0', async () => {
    const run = await berth(home, ['rollback', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: berth rollback [options] <app>');
    expect(run.stdout).toContain('$ berth rollback web --to 12 --yes');
  });
});

describe('berth status', () => {
  it("reports every server's connection as JSON the contract's schemas accept", async () => {
    const run = await berth(home, ['status', '--json']);
    expect(run.code).toBe(0);
    const report = StatusReport.parse(parseJson(run.stdout));
    expect(report.servers.map((s) => [s.server.id, s.status.state])).toEqual([['s1', 'connected']]);
  });

  it('exits 4 when a server cannot be reached, with its reason', async () => {
    const port = await closedPort();
    const added = await berth(home, ['server', 'add', 'down', '--host', '127.0.0.1', '--port', String(port), '--key', s1.keyPath, '--no-check']);
    expect(added.code).toBe(0);
    const run = await berth(home, ['status', '--json']);
    expect(run.code).toBe(4);
    const down = StatusReport.parse(parseJson(run.stdout)).servers.find((s) => s.server.id === 'down');
    expect(down?.status).toMatchObject({ state: 'unreachable', error: { code: 'CONNECTION_REFUSED' } });
    expect((await berth(home, ['server', 'remove', 'down'])).code).toBe(0);
  });
});

describe('BERTH_HOME and --home', () => {
  it('keeps each home apart: --home wins over BERTH_HOME', async () => {
    const other = newHome('other');
    const run = await berth(home, ['--home', other, 'server', 'list', '--json']);
    expect(parseJson(run.stdout)).toEqual([]);
    rmSync(other, { recursive: true, force: true });
  });
});
