import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { BerthError } from '../../../shared/errors';
import { globMatch, hasWildcard, matchPatternList } from './patterns';

export interface SshConfigOption {
  key: string;
  value: string;
  where: string;
}

export interface SshConfigBlock {
  /** `Match` blocks other than `Match all` are kept but never apply: Berth does not evaluate their criteria. */
  kind: 'host' | 'match';
  patterns: string[];
  options: SshConfigOption[];
}

export interface JumpSpec {
  user?: string;
  host: string;
  port?: number;
}

export interface ResolvedHost {
  alias: string;
  hostName: string;
  port: number;
  user: string;
  identityFiles: string[];
  identitiesOnly: boolean;
  proxyJump: JumpSpec[];
}

export interface ResolveContext {
  home: string;
  localUser: string;
}

type IncludeReader = (pattern: string) => Array<{ path: string; text: string }>;

function splitArgs(text: string): string[] {
  const args: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let match = re.exec(text); match; match = re.exec(text)) args.push(match[1] ?? match[2] ?? '');
  return args;
}

/** Parses ssh_config text into blocks; the first block holds options given before any Host line. */
export function parseSshConfig(text: string, file: string, readInclude?: IncludeReader): SshConfigBlock[] {
  const blocks: SshConfigBlock[] = [{ kind: 'host', patterns: ['*'], options: [] }];
  const parseInto = (source: string, sourceFile: string): void => {
    source.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const match = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
      if (!match) return;
      const key = (match[1] ?? '').toLowerCase();
      const value = (match[2] ?? '').trim();
      const where = `${sourceFile}:${index + 1}`;
      if (key === 'host') {
        blocks.push({ kind: 'host', patterns: splitArgs(value), options: [] });
      } else if (key === 'match') {
        blocks.push({ kind: value.toLowerCase() === 'all' ? 'host' : 'match', patterns: ['*'], options: [] });
      } else if (key === 'include' && readInclude) {
        for (const pattern of splitArgs(value)) {
          for (const included of readInclude(pattern)) parseInto(included.text, included.path);
        }
      } else {
        blocks[blocks.length - 1]?.options.push({ key, value: splitArgs(value).join(' ') || value, where });
      }
    });
  };
  parseInto(text, file);
  return blocks;
}

/** Reads an ssh config file with its Include lines (relative paths are taken from the file's folder, as for ~/.ssh). */
export function loadSshConfig(path: string): SshConfigBlock[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const base = dirname(path);
  const readInclude: IncludeReader = (pattern) => {
    const full = isAbsolute(pattern) ? pattern : join(base, pattern.replace(/^~\//, ''));
    const dir = dirname(full);
    const names = hasWildcard(basename(full))
      ? safeReaddir(dir).filter((name) => globMatch(basename(full), name)).sort()
      : [basename(full)];
    return names.flatMap((name) => {
      try {
        return [{ path: join(dir, name), text: readFileSync(join(dir, name), 'utf8') }];
      } catch {
        return [];
      }
    });
  };
  return parseSshConfig(text, path, readInclude);
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** `[user@]host[:port]` items of a ProxyJump value, also in `ssh://` form; `none` means no jump. */
export function parseJumpList(value: string, where = 'ProxyJump'): JumpSpec[] {
  if (value.trim().toLowerCase() === 'none') return [];
  return value.split(',').map((item) => {
    const text = item.trim().replace(/^ssh:\/\//, '');
    const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text);
    if (!match || !match[2]) throw new BerthError('SSH_CONFIG_INVALID', `${where}: "${item.trim()}" is not a valid jump host ([user@]host[:port]).`);
    const spec: JumpSpec = { host: match[2].replace(/^\[|\]$/g, '') };
    if (match[1]) spec.user = match[1];
    if (match[3]) spec.port = Number(match[3]);
    return spec;
  });
}

/** What OpenSSH would use for `ssh alias`: the first value of each option from the blocks that match, in order. */
export function resolveHost(blocks: readonly SshConfigBlock[], alias: string, context: ResolveContext): ResolvedHost {
  const first = new Map<string, SshConfigOption>();
  const identityFiles: SshConfigOption[] = [];
  for (const block of blocks) {
    if (block.kind !== 'host' || !matchPatternList(block.patterns, alias)) continue;
    for (const option of block.options) {
      if (option.key === 'identityfile') identityFiles.push(option);
      else if (!first.has(option.key)) first.set(option.key, option);
    }
  }
  const proxyCommand = first.get('proxycommand');
  if (proxyCommand && proxyCommand.value.toLowerCase() !== 'none') {
    throw new BerthError('SSH_CONFIG_INVALID', `${proxyCommand.where}: ProxyCommand is not supported for "${alias}". Use ProxyJump instead.`);
  }
  const hostName = expandTokens(first.get('hostname')?.value ?? alias, { '%h': alias, '%%': '%' });
  const portOption = first.get('port');
  const port = portOption ? Number(portOption.value) : 22;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new BerthError('SSH_CONFIG_INVALID', `${portOption?.where}: Port "${portOption?.value}" is not a port number.`);
  }
  const user = first.get('user')?.value ?? context.localUser;
  const tokens = { '%d': context.home, '%u': context.localUser, '%h': hostName, '%r': user, '%p': String(port), '%n': alias, '%%': '%' };
  const jump = first.get('proxyjump');
  return {
    alias,
    hostName,
    port,
    user,
    identityFiles: identityFiles
      .filter((option) => option.value.toLowerCase() !== 'none')
      .map((option) => expandTokens(option.value.replace(/^~(?=\/|$)/, context.home), tokens)),
    identitiesOnly: first.get('identitiesonly')?.value.toLowerCase() === 'yes',
    proxyJump: jump ? parseJumpList(jump.value, jump.where) : [],
  };
}

/** Host aliases written without wildcards or negation: the ones a user can connect to by name. */
export function concreteAliases(blocks: readonly SshConfigBlock[]): string[] {
  const aliases = blocks.filter((block) => block.kind === 'host').flatMap((block) => block.patterns.filter((pattern) => !hasWildcard(pattern)));
  return [...new Set(aliases)];
}

function expandTokens(value: string, tokens: Record<string, string>): string {
  return value.replace(/%[a-zA-Z%]/g, (token) => tokens[token] ?? token);
}
