import { Menu, app, shell, type MenuItemConstructorOptions } from 'electron';

/** The standard menus plus Berth's own shortcuts; the renderer handles Ctrl/Cmd+K and Ctrl/Cmd+1..9 itself. */
export function installMenu(): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ label: `Berth ${app.getVersion()}`, enabled: false }, { label: 'Open data folder', click: () => void shell.openPath(app.getPath('userData')) }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
