import type { Outcome } from '../../../shared/rpc';

export type EventListener = (topic: string, data: unknown) => void;

/** How the renderer reaches the engine: Electron IPC through the preload, or the browser bridge's WebSocket. */
export interface Transport {
  call(method: string, input: unknown): Promise<Outcome>;
  listen(listener: EventListener): () => void;
}

/** What the preload exposes as window.berth. */
export interface PreloadApi {
  call(method: string, input: unknown): Promise<Outcome>;
  on(listener: EventListener): number;
  off(handle: number): void;
  /** A dropped file's path on this computer (Electron's webUtils), so the engine reads it from disk. */
  pathForFile?(file: File): string;
}
