import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/ipc-channels';

type Listener = (topic: string, data: unknown) => void;

// Handles instead of function identity: contextBridge wraps every function it is given, so the renderer could
// never pass the "same" listener to off().
const listeners = new Map<number, Listener>();
let nextHandle = 1;

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, message: { topic: string; data: unknown }) => {
  for (const listener of listeners.values()) listener(message.topic, message.data);
});

contextBridge.exposeInMainWorld('berth', {
  call: (method: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(IPC_CALL_CHANNEL, String(method), input),
  on: (listener: Listener): number => {
    const handle = nextHandle++;
    listeners.set(handle, listener);
    return handle;
  },
  off: (handle: number): void => {
    listeners.delete(handle);
  },
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
});
