/**
 * Runs in the sandboxed renderer before the page. Exposes one object, `window.dynamoLens`, whose
 * methods only reach the channels and events named in the contract's allow-lists. Nothing else
 * of Electron or Node is reachable from the page.
 *
 * Sandboxed preloads can require only 'electron', so this file must be bundled (with
 * contract.ts's constants inlined) into a single CommonJS file next to main: preload.cjs.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  APP_ERROR,
  CHANNEL_NAMES,
  EVENT_NAMES,
  IPC_EVENT_CHANNEL,
  IPC_PREFIX,
  type ChannelName,
  type DynamoLensApi,
  type Envelope,
  type EventName,
  type Events,
  type ResponseOf,
} from './contract.ts';

const channels = new Set<string>(CHANNEL_NAMES);
const events = new Set<string>(EVENT_NAMES);

const api: DynamoLensApi = {
  shell: 'electron',
  invoke<C extends ChannelName>(channel: C, request: unknown): Promise<Envelope<ResponseOf<C>>> {
    if (!channels.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: APP_ERROR.unknownChannel, message: `Unknown channel "${String(channel)}"` } });
    }
    return ipcRenderer.invoke(IPC_PREFIX + channel, request) as Promise<Envelope<ResponseOf<C>>>;
  },
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    if (!events.has(event)) throw new Error(`Unknown event "${String(event)}"`);
    // Main sends every event on one channel; each subscriber filters its own, and never sees the
    // IpcRendererEvent (it carries `sender`, which must not reach the page).
    const handler = (_event: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload as Events[E]);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('dynamoLens', api);
