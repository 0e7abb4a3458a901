/** Defaults every side shows and applies alike; no zod here, so the CLI can read them before it loads the contract. */

/** The official HAProxy image a new server's edge proxy runs unless its settings name another. */
export const DEFAULT_PROXY_IMAGE = 'haproxy:2.9-alpine';

/** Previews of branches an app may run at once when it has no limit of its own. */
export const DEFAULT_PREVIEW_LIMIT = 3;

/** The file Berth looks for at the root of a repository when `berth deploy` is given no app. */
export const BERTH_FILE_NAME = 'berth.yaml';

/**
 * How big a dropped archive may be (the file), and how much it may unpack to: a few kilobytes of zip can claim
 * gigabytes of zeros. BERTH_ARCHIVE_MAX_MB and BERTH_ARCHIVE_MAX_UNPACKED_MB (in MiB) change them.
 */
export const DEFAULT_ARCHIVE_MAX_MB = 1024;
export const DEFAULT_ARCHIVE_MAX_UNPACKED_MB = 4096;
/** Entries (files, folders, links) one archive may hold. */
export const ARCHIVE_MAX_ENTRIES = 200_000;
