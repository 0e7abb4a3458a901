import { InvalidArgumentError } from 'commander';

/**
 * Option parsers for commander. A value that cannot be what the option needs is a usage error (exit 2), reported by
 * commander with the option's name before any engine starts.
 */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
    if (n < min || n > max) throw new InvalidArgumentError(`${n} is out of range (${min}–${max}).`);
    return n;
  };
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`"${value}" is not a positive number.`);
  return n;
}

/** For repeatable options: `--domain a.example --domain b.example`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A repeatable option whose every value is parsed (and so checked) as it is read. */
export function repeatable<T>(parse: (value: string) => T): (value: string, previous: T[] | undefined) => T[] {
  return (value, previous) => [...(previous ?? []), parse(value)];
}

export interface KeyValue {
  key: string;
  value: string;
}

/** `KEY=VALUE`; the value may be empty and may itself contain `=`. */
export function parseKeyValue(text: string, option: string): KeyValue {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`${option} expects KEY=VALUE, not "${text}".`);
  return { key: text.slice(0, eq), value: text.slice(eq + 1) };
}

/**
 * A container command as Docker's CMD reads it: a JSON array is the exec form, anything else the shell form
 * (`/bin/sh -c "..."`).
 */
export function parseCommand(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new InvalidArgumentError(`"${text}" looks like a JSON array but is not valid JSON.`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((p) => typeof p === 'string')) {
      throw new InvalidArgumentError('A JSON command must be a non-empty array of strings.');
    }
    return parsed as string[];
  }
  if (trimmed === '') throw new InvalidArgumentError('The command is empty.');
  return ['/bin/sh', '-c', text];
}

export interface PortMappingArg {
  container: number;
  published: number;
  protocol: 'tcp' | 'udp';
  hostIp: string;
}

/** `[IP:]PUBLISHED:CONTAINER[/tcp|/udp]`, as `docker run -p` takes it. */
export function parsePublish(text: string): PortMappingArg {
  const match = /^(?:(.+):)?(\d+):(\d+)(?:\/(tcp|udp))?$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`--publish expects [IP:]PUBLISHED:CONTAINER[/udp], not "${text}".`);
  const port = (s: string): number => {
    const n = Number(s);
    if (n < 1 || n > 65535) throw new InvalidArgumentError(`Port ${s} is out of range (1–65535).`);
    return n;
  };
  return { hostIp: match[1] ?? '', published: port(match[2]!), container: port(match[3]!), protocol: (match[4] as 'tcp' | 'udp' | undefined) ?? 'tcp' };
}

export interface VolumeArg {
  source: string;
  target: string;
  readOnly: boolean;
}

/** `SOURCE:TARGET[:ro]`: a named volume or an absolute path on the server, mounted at an absolute path. */
export function parseVolume(text: string): VolumeArg {
  const parts = text.split(':');
  const readOnly = parts.length === 3 && parts[2] === 'ro';
  if (parts.length < 2 || parts.length > 3 || (parts.length === 3 && !readOnly && parts[2] !== 'rw') || !parts[0] || !parts[1]?.startsWith('/')) {
    throw new InvalidArgumentError(`--volume expects SOURCE:/TARGET[:ro], not "${text}".`);
  }
  return { source: parts[0], target: parts[1], readOnly };
}

/** `500ms`, `2s`, `1.5m`, or a bare number of milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`"${text}" is not a duration (e.g. 500ms, 2s, 1m).`);
  const factor = match[2] === 's' ? 1000 : match[2] === 'm' ? 60_000 : 1;
  return Math.round(Number(match[1]) * factor);
}
