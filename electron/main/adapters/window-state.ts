import Store from 'electron-store';
import type { BrowserWindow, Rectangle } from 'electron';

interface ShellState {
  bounds?: Rectangle;
  maximized?: boolean;
}

/** The window's size and place, kept by electron-store in the shell's own file beside the engine's records. */
export class WindowState {
  private readonly store = new Store<ShellState>({ name: 'window-state' });

  get bounds(): Rectangle | undefined {
    return this.store.get('bounds');
  }

  get maximized(): boolean {
    return this.store.get('maximized') ?? false;
  }

  track(window: BrowserWindow): void {
    const save = (): void => {
      if (window.isDestroyed()) return;
      this.store.set('maximized', window.isMaximized());
      if (!window.isMaximized() && !window.isMinimized()) this.store.set('bounds', window.getBounds());
    };
    window.on('resize', save);
    window.on('move', save);
    window.on('close', save);
  }
}
