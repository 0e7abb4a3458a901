import type { SnapshotEnvVar } from '../../../shared/api/deployments';
import type { SecretStore } from '../store/secret-store';

export const MASK = '••••••';

/** What the line splitter appends to a line it cut (see line-splitter.ts). */
const CUT_NOTE = / … \[[\d,]+ bytes cut\]$/;

/** Shorter pieces would mask ordinary words and punctuation everywhere. */
const MIN_PIECE = 3;

/**
 * Pieces of a secret that must never be shown: the value itself, and every line of a multi-line value (a PEM key, a
 * JSON credential), because logs are read, masked and printed line by line and never hold the whole value at once.
 */
export function secretPieces(value: string): string[] {
  const pieces = new Set<string>([value]);
  for (const line of value.split(/\r\n|\r|\n/)) pieces.add(line.trim());
  return [...pieces].filter((p) => p.trim().length >= MIN_PIECE);
}

/** Masks every known secret piece in a line of text; the longest pieces first, so a line never leaks a remainder. */
export class SecretMask {
  private pieces: string[] = [];

  add(values: Iterable<string>): void {
    const known = new Set(this.pieces);
    for (const value of values) for (const piece of secretPieces(value)) known.add(piece);
    this.pieces = [...known].sort((a, b) => b.length - a.length);
  }

  apply(text: string): string {
    const cut = CUT_NOTE.exec(text);
    let out = cut ? text.slice(0, cut.index) : text;
    for (const piece of this.pieces) if (out.includes(piece)) out = out.split(piece).join(MASK);
    return cut ? this.maskCutEnd(out) + cut[0] : out;
  }

  /** A line cut short may end in the first characters of a secret whose rest was cut away: those go too. */
  private maskCutEnd(kept: string): string {
    let longest = 0;
    for (const piece of this.pieces) {
      for (let n = Math.min(piece.length - 1, kept.length); n > longest; n--) {
        if (kept.endsWith(piece.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest > 0 ? kept.slice(0, kept.length - longest) + MASK : kept;
  }
}

/** The opened values of an env snapshot's secrets (the ones a container of that release holds). */
export async function secretValuesOf(env: readonly SnapshotEnvVar[], secrets: SecretStore): Promise<string[]> {
  const values: string[] = [];
  for (const v of env) if (v.secret && v.sealed) values.push(await secrets.open(v.sealed));
  return values;
}
