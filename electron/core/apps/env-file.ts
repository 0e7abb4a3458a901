import type { EnvParseError, EnvParseResult } from '../../../shared/api/apps';

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/**
 * Parses `.env` text the way dotenv and Docker's env files read it: `KEY=value`, optional `export `, `#` comments,
 * single quotes literal, double quotes with escapes and line breaks. Every malformed line is reported with its number
 * instead of being skipped silently, so an import can refuse a file that would lose a value.
 */
export function parseEnvFile(text: string): EnvParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const vars: EnvParseResult['vars'] = [];
  const errors: EnvParseError[] = [];
  const warnings: EnvParseError[] = [];
  const seen = new Map<string, number>();

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i] ?? '';
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;

    const body = trimmed.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    if (eq < 0) {
      errors.push({ line: lineNo, message: `expected KEY=value, found "${preview(trimmed)}"` });
      continue;
    }
    const key = body.slice(0, eq).trim();
    if (!KEY.test(key)) {
      errors.push({ line: lineNo, message: `"${preview(key)}" is not a valid name (letters, digits, "_", "." or "-", not starting with a digit)` });
      continue;
    }
    const rest = body.slice(eq + 1).trimStart();
    const quote = rest[0];
    let value: string;
    if (quote === '"' || quote === "'") {
      const parsed = readQuoted(lines, i, rest, quote);
      if ('error' in parsed) {
        errors.push({ line: lineNo, message: parsed.error });
        i = parsed.lastLine;
        continue;
      }
      value = parsed.value;
      i = parsed.lastLine;
    } else {
      value = stripInlineComment(rest).trimEnd();
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      warnings.push({ line: lineNo, message: `${key} is set again (first on line ${earlier}); the later value wins` });
      const index = vars.findIndex((v) => v.key === key);
      if (index >= 0) vars.splice(index, 1);
    }
    seen.set(key, lineNo);
    vars.push({ key, value, line: lineNo });
  }
  return { vars, errors, warnings };
}

type Quoted = { value: string; lastLine: number } | { error: string; lastLine: number };

/** Reads a quoted value that may span lines; `rest` starts at the opening quote on line `start`. */
function readQuoted(lines: string[], start: number, rest: string, quote: string): Quoted {
  let out = '';
  let line = start;
  let text = rest.slice(1);
  for (;;) {
    for (let j = 0; j < text.length; j++) {
      const ch = text[j];
      if (quote === '"' && ch === '\\' && j + 1 < text.length) {
        const next = text[j + 1] ?? '';
        out += ESCAPES[next] ?? `\\${next}`;
        j++;
      } else if (ch === quote) {
        const after = text.slice(j + 1).trim();
        if (after !== '' && !after.startsWith('#')) {
          return { error: `unexpected "${preview(after)}" after the closing ${quote}`, lastLine: line };
        }
        return { value: out, lastLine: line };
      } else {
        out += ch;
      }
    }
    line++;
    if (line >= lines.length) {
      return { error: `the ${quote === '"' ? 'double' : 'single'} quote opened here is never closed`, lastLine: lines.length - 1 };
    }
    out += '\n';
    text = lines[line] ?? '';
  }
}

/** `KEY=value # note` keeps `value`; a `#` not preceded by whitespace belongs to the value (URLs with fragments). */
function stripInlineComment(value: string): string {
  const match = /\s#/.exec(value);
  return match ? value.slice(0, match.index) : value;
}

function preview(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
