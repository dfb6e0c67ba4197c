import type { Settings } from '../contract.ts';

export interface RunningEndpoint {
  url: string;
  close(): Promise<void>;
}

export interface EndpointState {
  url?: string;
  /** Why the endpoint is not listening, in plain words. */
  note?: string;
}

/**
 * Keeps the local engine's DynamoDB HTTP endpoint in line with the settings: listening on the
 * chosen port, moved when the port changes, stopped when disabled. A port already taken (another
 * DynamoDB Local, a second copy of the app) is reported, never fatal: the UI works without it.
 */
export class LocalEndpointController {
  private running: RunningEndpoint | undefined;
  private runningPort: number | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly start: (port: number) => Promise<RunningEndpoint>) {}

  apply(setting: Settings['localEndpoint']): Promise<EndpointState> {
    // Serialise changes so two quick settings updates cannot start two listeners.
    const next = this.queue.then(() => this.applyNow(setting));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.apply({ enabled: false, port: this.runningPort ?? 0 });
  }

  private async applyNow({ enabled, port }: Settings['localEndpoint']): Promise<EndpointState> {
    if (this.running && (!enabled || port !== this.runningPort)) {
      await this.running.close();
      this.running = undefined;
      this.runningPort = undefined;
    }
    if (!enabled) return { note: 'The local DynamoDB endpoint is turned off in settings.' };
    if (this.running) return { url: this.running.url };
    try {
      this.running = await this.start(port);
      this.runningPort = port;
      return { url: this.running.url };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EADDRINUSE') {
        return { note: `Port ${port} is already in use by another program, so the local DynamoDB endpoint is off. Pick another port in settings.` };
      }
      return { note: `The local DynamoDB endpoint could not start: ${(error as Error).message}` };
    }
  }
}
