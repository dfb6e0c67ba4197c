/**
 * The renderer's one way to reach the backend. In Electron the preload has put the contract's API
 * on `window.dynamoLens`; in a plain browser the same contract runs over the bridge's WebSocket,
 * authorised by the token in this page's URL. Everything above this file calls `call`/`on`, and
 * neither knows nor cares which transport is underneath.
 */
import type {
  BridgeServerFrame,
  CancellationReason,
  ChannelName,
  DynamoLensApi,
  Envelope,
  EventName,
  Events,
  Namespace,
  RequestOf,
  ResponseOf,
  WireError,
} from '../../electron/contract.ts';

declare global {
  interface Window {
    dynamoLens?: DynamoLensApi;
  }
}

/** A failed call: DynamoDB's (or the app's) error code and message, as the backend sent them. */
export class RequestError extends Error implements WireError {
  constructor(
    readonly code: string,
    message: string,
    /** A cancelled transaction's reasons, one per action in the request's order. */
    readonly cancellationReasons?: CancellationReason[],
  ) {
    super(message);
    this.name = code;
  }
}

type ConnectionStatus = 'connecting' | 'open' | 'closed';

/** The WebSocket side of the contract: same methods as the preload API. */
class BridgeApi implements DynamoLensApi {
  readonly shell = 'browser' as const;
  private socket!: WebSocket;
  private nextId = 1;
  private readonly pending = new Map<number, (result: Envelope<unknown>) => void>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private opened: Promise<void>;
  status: ConnectionStatus = 'connecting';
  onStatus: ((status: ConnectionStatus) => void) | undefined;

  constructor(private readonly url: string) {
    this.opened = this.connect();
  }

  private connect(): Promise<void> {
    return new Promise((resolve) => {
      const socket = new WebSocket(this.url);
      this.socket = socket;
      socket.addEventListener('open', () => {
        this.setStatus('open');
        resolve();
      });
      socket.addEventListener('message', (message) => {
        const frame = JSON.parse(String(message.data)) as BridgeServerFrame;
        if ('id' in frame) {
          this.pending.get(frame.id)?.(frame.result);
          this.pending.delete(frame.id);
        } else {
          for (const listener of this.listeners.get(frame.event) ?? []) listener(frame.payload);
        }
      });
      socket.addEventListener('close', () => {
        this.setStatus('closed');
        // Calls in flight will never be answered; fail them rather than leave the UI waiting.
        for (const settle of this.pending.values()) {
          settle({ ok: false, error: { code: 'Disconnected', message: 'Lost the connection to dynamo-lens serve. Is it still running?' } });
        }
        this.pending.clear();
        resolve();
      });
    });
  }

  private setStatus(status: ConnectionStatus) {
    this.status = status;
    this.onStatus?.(status);
  }

  async invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<Envelope<ResponseOf<C>>> {
    await this.opened;
    if (this.socket.readyState !== WebSocket.OPEN) {
      return { ok: false, error: { code: 'Disconnected', message: 'Not connected to dynamo-lens serve. Is it still running?' } };
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (result: Envelope<unknown>) => void);
      this.socket.send(JSON.stringify({ id, channel, request }));
    });
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }
}

function createApi(): DynamoLensApi {
  if (window.dynamoLens) return window.dynamoLens;
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return new BridgeApi(`${scheme}//${location.host}/bridge?token=${encodeURIComponent(token)}`);
}

export const api: DynamoLensApi = createApi();

export function onBridgeStatus(listener: (status: ConnectionStatus) => void): void {
  if (api instanceof BridgeApi) {
    api.onStatus = listener;
    listener(api.status);
  }
}

/** Calls a channel and resolves with its value, or rejects with a RequestError. */
export async function call<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = await api.invoke(channel, request);
  if (!result.ok) throw new RequestError(result.error.code, result.error.message, result.error.cancellationReasons);
  return result.value;
}

/** One DynamoDB operation on a connection (and, for the local engine, a namespace). */
export function dynamo<T = Record<string, unknown>>(
  connectionId: string,
  operation: string,
  input: Record<string, unknown>,
  namespace?: Namespace,
): Promise<T> {
  return call('dynamo', { connectionId, operation, input, ...(namespace ? { namespace } : {}) }) as Promise<T>;
}
