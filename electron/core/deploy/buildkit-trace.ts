/**
 * Reads the BuildKit progress messages a `version=2` build streams (`{"id":"moby.buildkit.trace","aux":"<base64>"}`,
 * a protobuf `moby.buildkit.v1.StatusResponse`): just the fields a build log shows, decoded by hand from the wire
 * format so the engine needs no protobuf runtime.
 */

export interface TraceVertex {
  digest: string;
  name: string;
  cached: boolean;
  started: boolean;
  completed: boolean;
  error: string;
}

export interface TraceLog {
  vertex: string;
  stream: number;
  msg: string;
}

export interface TraceStatus {
  vertexes: TraceVertex[];
  logs: TraceLog[];
}

type Field = { no: number; wire: number; value: bigint | Buffer };

function* fields(buf: Buffer): Generator<Field> {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new RangeError('truncated varint');
      const byte = buf[pos++] ?? 0;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { no, wire, value: varint() };
    else if (wire === 2) {
      const len = Number(varint());
      const value = buf.subarray(pos, pos + len);
      pos += len;
      yield { no, wire, value };
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new RangeError(`unsupported wire type ${wire}`);
  }
}

function vertexOf(buf: Buffer): TraceVertex {
  const v: TraceVertex = { digest: '', name: '', cached: false, started: false, completed: false, error: '' };
  for (const f of fields(buf)) {
    if (f.no === 1 && f.value instanceof Buffer) v.digest = f.value.toString('utf8');
    else if (f.no === 3 && f.value instanceof Buffer) v.name = f.value.toString('utf8');
    else if (f.no === 4 && typeof f.value === 'bigint') v.cached = f.value !== 0n;
    else if (f.no === 5) v.started = true;
    else if (f.no === 6) v.completed = true;
    else if (f.no === 7 && f.value instanceof Buffer) v.error = f.value.toString('utf8');
  }
  return v;
}

function logOf(buf: Buffer): TraceLog {
  const l: TraceLog = { vertex: '', stream: 1, msg: '' };
  for (const f of fields(buf)) {
    if (f.no === 1 && f.value instanceof Buffer) l.vertex = f.value.toString('utf8');
    else if (f.no === 3 && typeof f.value === 'bigint') l.stream = Number(f.value);
    else if (f.no === 4 && f.value instanceof Buffer) l.msg = f.value.toString('utf8');
  }
  return l;
}

export function decodeTrace(base64: string): TraceStatus {
  const status: TraceStatus = { vertexes: [], logs: [] };
  for (const f of fields(Buffer.from(base64, 'base64'))) {
    if (!(f.value instanceof Buffer)) continue;
    if (f.no === 1) status.vertexes.push(vertexOf(f.value));
    else if (f.no === 3) status.logs.push(logOf(f.value));
  }
  return status;
}

/** Turns successive trace messages into log lines: each step once when it starts, its output, its error. */
export class TraceReader {
  private readonly announced = new Set<string>();

  lines(base64: string): Array<{ stream: 'out' | 'err'; text: string }> {
    const out: Array<{ stream: 'out' | 'err'; text: string }> = [];
    const status = decodeTrace(base64);
    for (const v of status.vertexes) {
      if (v.name && (v.started || v.cached) && !this.announced.has(v.digest)) {
        this.announced.add(v.digest);
        out.push({ stream: 'out', text: `${v.cached ? 'CACHED ' : ''}${v.name}` });
      }
      if (v.error) out.push({ stream: 'err', text: `ERROR ${v.name}: ${v.error}` });
    }
    for (const l of status.logs) {
      for (const text of l.msg.replace(/\n$/, '').split('\n')) out.push({ stream: l.stream === 2 ? 'err' : 'out', text });
    }
    return out;
  }
}
