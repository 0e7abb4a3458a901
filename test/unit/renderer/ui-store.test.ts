import { describe, expect, it } from 'vitest';
import { createUiStore, type KeyValue } from '../../../renderer/src/stores/ui';

function memory(): KeyValue & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('the ui store', () => {
  it('leaves the app when another server is selected', () => {
    const ui = createUiStore();
    ui.getState().selectServer('s1');
    ui.getState().selectApp('shop', 'logs');
    ui.getState().selectServer('s2');
    expect(ui.getState()).toMatchObject({ serverId: 's2', appId: undefined, tab: 'deployments' });
  });

  it('remembers the selection and the theme across a reload', () => {
    const storage = memory();
    const first = createUiStore(storage);
    first.getState().selectServer('s2');
    first.getState().selectApp('shop');
    first.getState().setTheme('dark');
    const second = createUiStore(storage);
    expect(second.getState()).toMatchObject({ serverId: 's2', appId: 'shop', theme: 'dark' });
  });

  it('ignores a corrupt saved state', () => {
    const storage = memory();
    storage.setItem('berth.ui', '{nope');
    expect(createUiStore(storage).getState().theme).toBe('system');
  });

  it('cycles the theme through system, light and dark', () => {
    const ui = createUiStore();
    const seen = [ui.getState().theme];
    for (let i = 0; i < 3; i++) {
      ui.getState().cycleTheme();
      seen.push(ui.getState().theme);
    }
    expect(seen).toEqual(['system', 'light', 'dark', 'system']);
  });

  it('opens the logs tab on the chosen source', () => {
    const ui = createUiStore();
    ui.getState().viewLogs({ kind: 'deployment', deploymentId: 'd7' });
    expect(ui.getState()).toMatchObject({ tab: 'logs', logSource: { kind: 'deployment', deploymentId: 'd7' } });
  });
});
