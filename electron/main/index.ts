import { app, safeStorage, type BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { registerIpc } from './ipc';
import { createMainWindow, preloadFile } from './window';
import { WindowState } from './adapters/window-state';
import { createDesktopEngine } from './desktop-engine';
import { forwardNotifications } from './adapters/notifications';
import { installMenu } from './menu';

// The engine shares its home with the CLI: Electron's userData for "Berth" unless BERTH_HOME says otherwise.
app.setName('Berth');
if (process.env.BERTH_HOME) app.setPath('userData', process.env.BERTH_HOME);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  let window: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  void app.whenReady().then(() => {
    const home = app.getPath('userData');
    const distElectron = dirname(__dirname);
    const { engine, keychainMigrated } = createDesktopEngine(home, safeStorage);
    void keychainMigrated.catch((error: unknown) => console.error('Could not move keychain secrets to the key file:', error));
    serveRenderer(join(distElectron, '..', 'dist', 'renderer'));
    registerIpc(engine);
    installMenu();
    window = createMainWindow(preloadFile(distElectron), new WindowState());
    forwardNotifications(engine.bus, () => window);
    window.on('closed', () => (window = undefined));

    app.on('window-all-closed', () => {
      void engine.close().finally(() => app.quit());
    });
  });
}
