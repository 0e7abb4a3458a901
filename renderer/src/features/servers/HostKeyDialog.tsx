import { Dialog } from '../../components/Dialog';
import { useServers, useUi } from '../../stores';
import { HostKeyCard } from './HostKeyCard';

/** Host keys asked for outside the add-server dialog (a reconnect, the CLI's engine): one at a time. */
export function HostKeyDialog() {
  const prompt = useServers((s) => s.prompts[0]);
  const dialogOpen = useUi((s) => s.dialog !== undefined);
  if (!prompt || dialogOpen) return null;
  return (
    <Dialog title="Confirm the server’s host key" onClose={() => void useServers.getState().answerHostKey(prompt.promptId, false)}>
      <HostKeyCard prompt={prompt} />
    </Dialog>
  );
}
