/**
 * Finding and replacing sealed values inside stored documents, whatever their shape (an app's env, a server's
 * passphrase, a registry password): every string that `matches` is one.
 */
export function sealedStrings(value: unknown, matches: (s: string) => boolean, found: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    if (matches(value)) found.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) sealedStrings(item, matches, found);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) sealedStrings(item, matches, found);
  }
  return found;
}

/** A copy of `value` with each string found in `replacements` swapped for its new value. */
export function replaceStrings<T>(value: T, replacements: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') return (replacements.get(value) ?? value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => replaceStrings(item, replacements)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, replacements)])) as T;
  }
  return value;
}
