import { create } from 'zustand';

export interface Toast {
  id: number;
  title: string;
  body?: string;
  level: 'success' | 'error' | 'warning' | 'info';
  code?: string;
  /** A toast with the key of one already shown replaces it (a deployment's health-check and failure notices). */
  key?: string;
}

export interface ToastsState {
  toasts: Toast[];
  push(toast: Omit<Toast, 'id'>): number;
  dismiss(id: number): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
}

const MAX = 4;
/** Errors stay until dismissed; the rest leave by themselves. */
const LIFETIME_MS = { success: 6000, info: 6000, warning: 10000, error: 0 };

/** Finished background work, told once in a corner of the window. */
export function createToastsStore(timers: Timers = globalThis) {
  let nextId = 1;
  return create<ToastsState>()((set, get) => ({
    toasts: [],
    push(toast) {
      const id = nextId++;
      set((s) => ({ toasts: [...s.toasts.filter((t) => toast.key === undefined || t.key !== toast.key), { ...toast, id }].slice(-MAX) }));
      const life = LIFETIME_MS[toast.level];
      if (life > 0) timers.setTimeout(() => get().dismiss(id), life);
      return id;
    },
    dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  }));
}

export type ToastsStore = ReturnType<typeof createToastsStore>;
