import type { Command } from 'commander';
import type { Server } from '../../../shared/api/servers';
import type { CliContext } from '../context';
import { EXIT } from '../exit-codes';
import { decideTrust, presentedKeyOf, type PresentedKey } from '../host-key-change';
import { resolveServer } from '../resolve';
import { run } from '../run';

interface TrustOptions {
  yes?: boolean;
  fingerprint?: string;
}

/** `server trust` and `server forget-key`: what the window's "Forget host key" does, from a terminal. */
export function registerHostKeyCommands(server: Command): void {
  server
    .command('trust')
    .description('trust the host key a server presents now, after it changed (a reinstall), showing the old and the new fingerprint')
    .argument('<server>', 'server id or name')
    .option('--fingerprint <fingerprint>', 'trust only this key (SHA256:...), as confirmed with the server\'s administrator')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal unless --fingerprint is given)')
    .addHelpText(
      'after',
      `
Berth connects, and when the server's key is not the one it trusted, shows both fingerprints and asks. Only the key
it was shown is trusted: a key that changes again before the next connection is refused. A key recorded in
~/.ssh/known_hosts is never edited by Berth (remove it with ssh-keygen -R first).

Exit status: 0 trusted (or already trusted), 1 declined, 3 refused (nothing trusted), 4 the server could not be reached.

Examples:
  $ berth server trust prod-eu
  $ berth server trust prod-eu --fingerprint SHA256:Ig0yLWYow…`,
    )
    .action((name: string, options: TrustOptions, command: Command) =>
      run(command, async (ctx) => {
        const found = await resolveServer(ctx, name);
        const presented = await presentedKey(ctx, found);
        if (!presented) return reportTrusted(ctx, found, null);
        const step = decideTrust(found.name, presented, { yes: Boolean(options.yes), expected: options.fingerprint, interactive: ctx.interactive });
        if (step.kind === 'refuse') throw step.error;
        if (step.kind === 'ask' && !(await ctx.confirm(step.question))) return EXIT.failed;
        await ctx.call('hostKeys.forget', { host: presented.host, port: presented.port });
        ctx.trustHostKey(presented.newFingerprint);
        await ctx.call('servers.connect', { serverId: found.id });
        return reportTrusted(ctx, found, presented);
      }),
    );

  server
    .command('forget-key')
    .description("forget the host keys Berth trusted for a server; the next connection asks about the key it presents")
    .argument('<server>', 'server id or name')
    .addHelpText('after', '\n~/.ssh/known_hosts is never edited.\n\nExample:\n  $ berth server forget-key prod-eu')
    .action((name: string, _options: unknown, command: Command) =>
      run(command, async (ctx) => {
        const found = await resolveServer(ctx, name);
        const { removed } = await ctx.call('hostKeys.forget', { host: found.host, port: found.port });
        if (ctx.out.json) return ctx.out.data({ serverId: found.id, host: found.host, port: found.port, removed });
        ctx.out.line(
          removed > 0
            ? `Forgot ${removed} host key${removed === 1 ? '' : 's'} of ${found.name}. The next connection asks to trust the key it presents (without a terminal: --accept-host-key).`
            : `Berth had no host key of ${found.name} recorded (${found.host}:${found.port}); a key in ~/.ssh/known_hosts stays until you remove it there.`,
        );
      }),
    );
}

/** Connects once: undefined when the server's key is already trusted, else the key it presented. */
async function presentedKey(ctx: CliContext, server: Server): Promise<PresentedKey | undefined> {
  try {
    await ctx.call('servers.connect', { serverId: server.id });
    return undefined;
  } catch (error) {
    const presented = presentedKeyOf(error);
    if (!presented) throw error;
    return presented;
  }
}

function reportTrusted(ctx: CliContext, server: Server, key: PresentedKey | null): void {
  if (ctx.out.json) {
    return ctx.out.data({ serverId: server.id, trusted: key?.newFingerprint ?? null, previous: key?.oldFingerprints ?? [], changed: key !== null });
  }
  if (!key) return ctx.out.line(`${server.name} presents the host key Berth already trusts; nothing changed.`);
  const was = key.oldFingerprints.length > 0 ? ` instead of ${key.oldFingerprints.join(', ')}` : '';
  ctx.out.line(`Trusted ${key.newFingerprint} for ${server.name}${was}, and connected.`);
}
