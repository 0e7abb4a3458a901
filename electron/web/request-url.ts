/**
 * The path and query of a request target, or undefined for one that is not a URL (`http://[` in absolute form).
 * Whatever a client writes on its request line must end in a 400, never in an exception.
 */
export function requestUrl(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1');
  } catch {
    return undefined;
  }
}

/** A URL path with its percent-escapes decoded, or undefined for a malformed escape (`%E0%A4%A`). */
export function decodedPath(url: URL): string | undefined {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
}
