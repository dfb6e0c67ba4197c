/**
 * The package's public types: `import { startDynamoLens } from 'dynamo-lens'`. Self-contained
 * (only the AWS SDK's types besides), because the build ships this file as dist/index.d.ts;
 * electron/testApi.ts implements it, so the type checker keeps the two in step.
 */
import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/** What a client needs to reach a running Dynamo Lens (also what `serve --print-endpoint-json` prints). */
export interface EndpointInfo {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  /** The region to configure clients with (tables are kept per region, as on AWS). */
  region: string;
  /** Any credentials are accepted; these are the ones to hand a client. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The browser UI's URL, token included (`serve --ui` only). */
  uiUrl?: string;
}

export interface StartDynamoLensOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Region of client() and of the tables created from `tables` (default us-east-1). */
  region?: string;
  /** Keep data durably in this directory (LMDB) instead of in memory. Snapshots need memory. */
  dataDir?: string;
  /** Every region shares one set of tables. */
  singleRegion?: boolean;
  /**
   * Tables to create at start: paths of CreateTable JSON files, CloudFormation/SAM templates
   * (YAML or JSON) or serverless.yml files, or CreateTable inputs / templates as objects.
   */
  tables?: string | Record<string, unknown> | (string | Record<string, unknown>)[];
  /**
   * Items to put once the tables exist: paths of {"Table": [items]} or BatchWriteItem JSON files,
   * `Table=path` for a file of bare items (a JSON list or one item per line), or such objects.
   * Items may be DynamoDB JSON ({"pk": {"S": "a"}}) or plain JSON ({"pk": "a"}).
   */
  seed?: string | Record<string, unknown[]> | (string | Record<string, unknown[]>)[];
}

/** Snapshot, restore and reset: the same calls in-process and from another process. */
export interface DynamoLensControl extends EndpointInfo {
  /** A DynamoDB client for this endpoint; `config` overrides any setting. */
  client(config?: DynamoDBClientConfig): DynamoDBClient;
  /** Deletes every item (and stream record) in every table; tables and indexes stay. */
  reset(): Promise<void>;
  /** Keeps a copy of all tables and items under `name` (replacing one of that name). O(1). */
  snapshot(name: string): Promise<void>;
  /** Puts every table and item back as they were at snapshot(name). O(1); repeatable. */
  restore(name: string): Promise<void>;
  /** Forgets a snapshot. */
  deleteSnapshot(name: string): Promise<void>;
}

export interface DynamoLens extends DynamoLensControl {
  /** Stops the endpoint and frees the store. */
  close(): Promise<void>;
}

/** Starts an engine and its endpoint in this process: in memory on a free port by default. */
export type StartDynamoLens = (options?: StartDynamoLensOptions) => Promise<DynamoLens>;

/**
 * Drives a Dynamo Lens started elsewhere (a Vitest or Jest globalSetup) over its endpoint.
 * `endpoint` defaults to the DYNAMO_LENS_ENDPOINT environment variable.
 */
export type ConnectDynamoLens = (endpoint?: string, options?: { region?: string }) => DynamoLensControl;
