import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { StreamsOperation } from '../contract.ts';
import { clientConfig, fromSdkShapes, toSdkShapes, unreachableOr, type RemoteTarget } from './remoteDynamo.ts';

/**
 * DynamoDB Streams of a remote connection, through the AWS SDK's streams client (a separate
 * service endpoint from DynamoDB's, with the same credentials). Imported on first use, as
 * RemoteDynamo does with the DynamoDB client.
 */
export class RemoteStreams {
  private client: DynamoDBStreamsClient | undefined;

  constructor(private readonly target: RemoteTarget) {}

  async call(operation: StreamsOperation, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const sdk = await import('@aws-sdk/client-dynamodb-streams');
    const commands = {
      ListStreams: sdk.ListStreamsCommand,
      DescribeStream: sdk.DescribeStreamCommand,
      GetShardIterator: sdk.GetShardIteratorCommand,
      GetRecords: sdk.GetRecordsCommand,
    } as const;
    this.client ??= new sdk.DynamoDBStreamsClient(clientConfig(this.target));
    const Command = commands[operation] as unknown as new (input: unknown) => Parameters<DynamoDBStreamsClient['send']>[0];
    const output = (await this.client.send(new Command(toSdkShapes(input))).catch((error: unknown) => {
      throw unreachableOr(error, this.target);
    })) as unknown as Record<string, unknown>;
    const { $metadata: _metadata, ...rest } = output;
    return fromSdkShapes(rest) as Record<string, unknown>;
  }

  close(): void {
    this.client?.destroy();
    this.client = undefined;
  }
}
