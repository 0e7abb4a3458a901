import { join } from 'node:path';
import type { Server } from '../../../shared/api/servers';
import { BerthError } from '../../../shared/errors';
import type { AuthSource } from './auth';
import { loadSshConfig, resolveHost, type JumpSpec, type SshConfigBlock } from './ssh-config';

/** One SSH connection to make: where, as whom, and the ways to authenticate. */
export interface SshHop {
  host: string;
  port: number;
  user: string;
  auth: AuthSource[];
}

/** A server to reach, with the jump hosts (in connection order) that lead to it. */
export interface SshTarget extends SshHop {
  jumps: SshHop[];
}

export interface TargetEnvironment {
  sshConfigPath: string;
  home: string;
  localUser: string;
  agentSocket: string | undefined;
}

const defaultIdentities = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
const maxJumps = 8;

export function targetForServer(server: Server, env: TargetEnvironment, passphrase?: string): SshTarget {
  switch (server.auth.kind) {
    case 'agent':
      return { host: server.host, port: server.port, user: server.user, auth: [{ kind: 'agent', socket: env.agentSocket, required: true }], jumps: [] };
    case 'key':
      return {
        host: server.host,
        port: server.port,
        user: server.user,
        auth: [{ kind: 'key', path: server.auth.keyPath, required: true, ...(passphrase ? { passphrase } : {}) }],
        jumps: [],
      };
    case 'sshConfig':
      return targetForAlias(loadSshConfig(env.sshConfigPath), server.auth.alias, env, passphrase);
    case 'local':
      throw new BerthError('INTERNAL', `Server ${server.id} uses the local Docker socket and has no SSH target.`);
  }
}

/** Resolves a Host alias like `ssh alias` would, including its ProxyJump chain. */
export function targetForAlias(blocks: readonly SshConfigBlock[], alias: string, env: TargetEnvironment, passphrase?: string): SshTarget {
  const hop = hopForAlias(blocks, alias, env, passphrase);
  const resolved = resolveHost(blocks, alias, env);
  return { ...hop, jumps: jumpChain(blocks, resolved.proxyJump, env, 0) };
}

function jumpChain(blocks: readonly SshConfigBlock[], specs: readonly JumpSpec[], env: TargetEnvironment, depth: number): SshHop[] {
  const first = specs[0];
  if (!first) return [];
  if (depth >= maxJumps) throw new BerthError('SSH_CONFIG_INVALID', `ProxyJump goes through more than ${maxJumps} hosts; is there a loop in the ssh config?`);
  // As with `ssh -J a,b`, only the first jump host's own ProxyJump applies; later hops are reached through it.
  const beforeFirst = jumpChain(blocks, resolveHost(blocks, first.host, env).proxyJump, env, depth + 1);
  return [...beforeFirst, ...specs.map((spec) => hopForSpec(blocks, spec, env))];
}

function hopForSpec(blocks: readonly SshConfigBlock[], spec: JumpSpec, env: TargetEnvironment): SshHop {
  const hop = hopForAlias(blocks, spec.host, env);
  return { ...hop, user: spec.user ?? hop.user, port: spec.port ?? hop.port };
}

function hopForAlias(blocks: readonly SshConfigBlock[], alias: string, env: TargetEnvironment, passphrase?: string): SshHop {
  const resolved = resolveHost(blocks, alias, env);
  const explicit = resolved.identityFiles.length > 0;
  const files = explicit ? resolved.identityFiles : defaultIdentities.map((name) => join(env.home, '.ssh', name));
  const auth: AuthSource[] = [];
  if (!resolved.identitiesOnly) auth.push({ kind: 'agent', socket: env.agentSocket, required: false });
  for (const path of files) auth.push({ kind: 'key', path, required: false, ...(passphrase ? { passphrase } : {}) });
  return { host: resolved.hostName, port: resolved.port, user: resolved.user, auth };
}
