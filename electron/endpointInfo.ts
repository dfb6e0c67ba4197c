/**
 * What a client needs to reach a running Dynamo Lens: printed by `serve --print-endpoint-json`
 * and returned by the test-suite API, in one shape.
 */
export interface EndpointInfo {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  /** The region to configure clients with (tables are kept per region, as on AWS). */
  region: string;
  /** Any credentials are accepted; these are the ones to hand a client. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The browser UI's URL (token included), with --ui. */
  uiUrl?: string;
}

export const LOCAL_CREDENTIALS = Object.freeze({ accessKeyId: 'local', secretAccessKey: 'local' });
