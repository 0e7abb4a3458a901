import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServerInput, type ImportCandidate } from '../../../shared/api/servers';
import { concreteAliases, loadSshConfig, resolveHost } from '../ssh/ssh-config';
import type { TargetEnvironment } from '../ssh/target';

/** Every Host alias of an ssh config that names one machine, as a server reached through that alias. */
export function sshConfigCandidates(path: string, env: TargetEnvironment): ImportCandidate[] {
  const blocks = loadSshConfig(path);
  return concreteAliases(blocks).flatMap((alias) => {
    let resolved;
    try {
      resolved = resolveHost(blocks, alias, env);
    } catch {
      return [];
    }
    const input = ServerInput.parse({ name: alias, host: resolved.hostName, port: resolved.port, user: resolved.user, auth: { kind: 'sshConfig', alias } });
    return [{ source: 'ssh-config' as const, name: alias, input }];
  });
}

interface ContextMeta {
  Name?: unknown;
  Endpoints?: { docker?: { Host?: unknown } };
}

/**
 * Docker CLI contexts whose endpoint is ssh://. The CLI reaches them with OpenSSH, so a host that is also an ssh
 * config alias keeps going through that alias; any other one uses the agent, or else the first default key.
 */
export function dockerContextCandidates(dockerConfigDir: string, sshConfigPath: string, env: TargetEnvironment): ImportCandidate[] {
  const metaDir = join(dockerConfigDir, 'contexts', 'meta');
  let folders: string[];
  try {
    folders = readdirSync(metaDir);
  } catch {
    return [];
  }
  const aliases = new Set(concreteAliases(loadSshConfig(sshConfigPath)));
  return folders.sort().flatMap((folder) => {
    let meta: ContextMeta;
    try {
      meta = JSON.parse(readFileSync(join(metaDir, folder, 'meta.json'), 'utf8')) as ContextMeta;
    } catch {
      return [];
    }
    const endpoint = meta.Endpoints?.docker?.Host;
    if (typeof meta.Name !== 'string' || typeof endpoint !== 'string' || !endpoint.startsWith('ssh://')) return [];
    const url = new URL(endpoint);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const auth = aliases.has(host) ? { kind: 'sshConfig' as const, alias: host } : fallbackAuth(env);
    const input = ServerInput.parse({
      name: meta.Name,
      host,
      port: url.port ? Number(url.port) : 22,
      user: decodeURIComponent(url.username) || env.localUser,
      auth,
    });
    return [{ source: 'docker-context' as const, name: meta.Name, input }];
  });
}

function fallbackAuth(env: TargetEnvironment): ServerInput['auth'] {
  if (env.agentSocket) return { kind: 'agent' };
  const key = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(env.home, '.ssh', name)).find((path) => existsSync(path));
  return key ? { kind: 'key', keyPath: key } : { kind: 'agent' };
}
