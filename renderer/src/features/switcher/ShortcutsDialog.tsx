import { Dialog } from '../../components/Dialog';
import { modKey } from '../../lib/format';
import { useUi } from '../../stores';

const keys: [string, string][] = [
  [`${modKey}K`, 'Switch to a server or an app'],
  [`${modKey}1 … ${modKey}9`, 'Jump to server 1 to 9'],
  ['End', 'Logs: follow again'],
  [`${modKey}F`, 'Logs: search'],
  ['Enter / Shift+Enter', 'Logs: next / previous match'],
  ['Esc', 'Close a dialog or menu'],
  ['?', 'This list'],
];

export function ShortcutsDialog() {
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => useUi.getState().openDialog(undefined)}>
      <dl className="shortcut-list">
        {keys.map(([k, what]) => (
          <div key={k}>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
