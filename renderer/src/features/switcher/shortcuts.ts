import { useEffect } from 'react';
import { useServers, useUi } from '../../stores';

/** Window-wide keys: Ctrl/Cmd+K the switcher, Ctrl/Cmd+1..9 jump to a server, "?" lists the keys. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const ui = useUi.getState();
      if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        ui.openSwitcher(!ui.switcherOpen);
        return;
      }
      if (mod && !e.shiftKey && !e.altKey && /^[1-9]$/.test(e.key)) {
        const server = useServers.getState().servers[Number(e.key) - 1];
        if (server) {
          e.preventDefault();
          ui.openSwitcher(false);
          ui.openDialog(undefined);
          ui.selectServer(server.id);
        }
        return;
      }
      const typing = e.target instanceof HTMLElement && (e.target.closest('input, textarea, select, [contenteditable]') !== null);
      if (!typing && !mod && e.key === '?' && !ui.dialog) {
        e.preventDefault();
        ui.openDialog({ kind: 'shortcuts' });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
