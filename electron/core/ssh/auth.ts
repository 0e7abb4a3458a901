import { readFileSync } from 'node:fs';
import ssh2, { type AnyAuthMethod, type AuthHandlerMiddleware, type ParsedKey } from 'ssh2';
import { BerthError } from '../../../shared/errors';

/** One way of proving who we are. `required` sources fail loudly; optional ones (OpenSSH's default keys) are skipped. */
export type AuthSource =
  | { kind: 'agent'; socket: string | undefined; required: boolean }
  | { kind: 'key'; path: string; passphrase?: string; required: boolean };

export interface PreparedAuth {
  methods: AnyAuthMethod[];
  labels: string[];
  /** Optional sources left out, with the reason, so an AUTH_FAILED sentence can mention them. */
  skipped: string[];
}

export function loadPrivateKey(path: string, passphrase?: string): ParsedKey {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new BerthError('KEY_UNREADABLE', `The key file ${path} cannot be read (${reason}). Check the path and that your user may read it.`, {
      keyPath: path,
    });
  }
  const parsed = ssh2.utils.parseKey(data, passphrase);
  if (parsed instanceof Error) {
    if (/no passphrase given/i.test(parsed.message)) {
      throw new BerthError('PASSPHRASE_REQUIRED', `The key ${path} is protected by a passphrase. Enter it once and Berth keeps it sealed.`, {
        keyPath: path,
      });
    }
    if (/passphrase|integrity|decrypt/i.test(parsed.message)) {
      throw new BerthError('PASSPHRASE_REQUIRED', `The passphrase given for ${path} does not open it. Enter it again.`, {
        keyPath: path, wrongPassphrase: true,
      });
    }
    throw new BerthError('KEY_UNREADABLE', `${path} is not a private key Berth can read (${parsed.message}). Use an OpenSSH or PEM private key.`, {
      keyPath: path,
    });
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) throw new BerthError('KEY_UNREADABLE', `${path} holds no private key.`, { keyPath: path });
  return key;
}

export function prepareAuth(username: string, sources: readonly AuthSource[]): PreparedAuth {
  const prepared: PreparedAuth = { methods: [], labels: [], skipped: [] };
  let locked: BerthError | undefined;
  for (const source of sources) {
    if (source.kind === 'agent') {
      if (source.socket) {
        prepared.methods.push({ type: 'agent', username, agent: source.socket });
        prepared.labels.push('ssh-agent');
      } else if (source.required) {
        throw new BerthError('AUTH_FAILED', 'No ssh-agent is running for Berth (SSH_AUTH_SOCK is not set). Start ssh-agent and ssh-add your key, or use a key file.');
      }
      continue;
    }
    try {
      prepared.methods.push({ type: 'publickey', username, key: loadPrivateKey(source.path, source.passphrase) });
      prepared.labels.push(`key ${source.path}`);
    } catch (error) {
      if (source.required) throw error;
      if (error instanceof BerthError && error.code === 'PASSPHRASE_REQUIRED') {
        locked ??= error;
        prepared.skipped.push(`${source.path} (needs its passphrase)`);
      }
    }
  }
  // With nothing else to offer, a locked key is the real obstacle: asking for its passphrase beats AUTH_FAILED.
  if (prepared.methods.length === 0 && locked) throw locked;
  return prepared;
}

/** Offers the prepared methods one after another, noting each one in `tried` as it is sent. */
export function authHandlerFor(prepared: PreparedAuth, tried: string[]): AuthHandlerMiddleware {
  let next = 0;
  return (_methodsLeft, _partialSuccess, callback) => {
    const method = prepared.methods[next];
    const label = prepared.labels[next];
    next += 1;
    if (!method || !label) {
      callback(false as unknown as AnyAuthMethod);
      return;
    }
    tried.push(label);
    callback(method);
  };
}
