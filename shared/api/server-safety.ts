import type { z } from 'zod';
import { applyRule as apply, argumentWord, hostName, imageRef, ipAddressOrEmpty, noControl, type SafetyCheck, type SafetyRule } from '../safe-input';

/**
 * The contract's check of the server settings that reach an SSH connection, a shell command on the server or the
 * edge proxy's container. Stored servers are not re-checked, so they stay readable.
 */
const absolute: SafetyCheck = (v) => (v.startsWith('/') ? noControl(v) : 'is not an absolute path');

const rules = {
  name: { field: 'the server name', check: noControl, fix: 'remove control characters (newline, CR, NUL, tab)' },
  label: { field: 'the server label', check: noControl, fix: 'remove control characters (newline, CR, NUL, tab)' },
  host: { field: 'the host', check: hostName, fix: 'give a host name or an address such as 203.0.113.7' },
  user: { field: 'the SSH user', check: argumentWord, fix: 'give a user name such as deploy' },
  dockerSocket: { field: 'the Docker socket', check: absolute, fix: 'give an absolute path such as /var/run/docker.sock' },
  keyPath: { field: 'the key path', check: noControl, fix: 'give the path of a private key file' },
  alias: { field: 'the ssh config alias', check: argumentWord, fix: 'give a Host alias of ~/.ssh/config' },
  image: { field: 'the proxy image', check: imageRef, fix: 'give a reference such as haproxy:2.9-alpine' },
  bindAddress: { field: 'the proxy bind address', check: ipAddressOrEmpty, fix: 'give an address such as 0.0.0.0 or 127.0.0.1' },
} satisfies Record<string, SafetyRule>;

export interface ServerSettingsLike {
  name?: string | undefined;
  label?: string | undefined;
  host?: string | undefined;
  user?: string | undefined;
  dockerSocket?: string | undefined;
  keyPath?: string | undefined;
  auth?: { kind: string; keyPath?: string; alias?: string } | undefined;
  proxy?: { image?: string | undefined; bindAddress?: string | undefined } | undefined;
}

/** Adds one issue per unsafe value; fields that are absent (a patch) are skipped. */
export function refineServerSettings(value: ServerSettingsLike, ctx: z.RefinementCtx): void {
  apply(ctx, rules.name, value.name, ['name']);
  apply(ctx, rules.label, value.label, ['label']);
  apply(ctx, rules.host, value.host, ['host']);
  apply(ctx, rules.user, value.user, ['user']);
  apply(ctx, rules.dockerSocket, value.dockerSocket, ['dockerSocket']);
  apply(ctx, rules.keyPath, value.keyPath, ['keyPath']);
  if (value.auth?.kind === 'key') apply(ctx, rules.keyPath, value.auth.keyPath, ['auth', 'keyPath']);
  if (value.auth?.kind === 'sshConfig') apply(ctx, rules.alias, value.auth.alias, ['auth', 'alias']);
  apply(ctx, rules.image, value.proxy?.image, ['proxy', 'image']);
  apply(ctx, rules.bindAddress, value.proxy?.bindAddress, ['proxy', 'bindAddress']);
}
