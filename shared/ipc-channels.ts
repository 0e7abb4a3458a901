/** The two fixed Electron channels; the preload exposes nothing else. Kept apart so the preload bundles no schemas. */
export const IPC_CALL_CHANNEL = 'berth:call';
export const IPC_EVENT_CHANNEL = 'berth:event';
