import { app, type BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { createEngine } from '../core/engine';
import { KeyFileSecrets } from '../core/store/key-file-secrets';
import { berthPaths } from '../core/home';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { registerIpc } from './ipc';
import { createMainWindow, preloadFile } from './window';
import { WindowState } from './adapters/window-state';
import { SafeStorageSecrets } from './adapters/safe-storage-secrets';
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
    const engine = createEngine({ home, secrets: new SafeStorageSecrets(new KeyFileSecrets(berthPaths(home).secretKey)) });
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
