/**
 * Operations of DynamoDB's API that only make sense in the cloud: streaming to Kinesis, global
 * table replicas across regions, replica auto scaling. The local engine answers them in the
 * service's error shape with a message that says so, instead of a bare UnknownOperationException
 * that reads like a client bug.
 */
import { DynamoDbError } from '../errors.ts';
import type { Operation } from './context.ts';

const CLOUD_ONLY: Record<string, string> = {
  EnableKinesisStreamingDestination: 'streams change data to Amazon Kinesis',
  DisableKinesisStreamingDestination: 'streams change data to Amazon Kinesis',
  DescribeKinesisStreamingDestination: 'streams change data to Amazon Kinesis',
  UpdateKinesisStreamingDestination: 'streams change data to Amazon Kinesis',
  CreateGlobalTable: 'replicates tables across AWS Regions',
  UpdateGlobalTable: 'replicates tables across AWS Regions',
  DescribeGlobalTable: 'replicates tables across AWS Regions',
  ListGlobalTables: 'replicates tables across AWS Regions',
  DescribeGlobalTableSettings: 'replicates tables across AWS Regions',
  UpdateGlobalTableSettings: 'replicates tables across AWS Regions',
  DescribeTableReplicaAutoScaling: 'scales replicas with Application Auto Scaling',
  UpdateTableReplicaAutoScaling: 'scales replicas with Application Auto Scaling',
};

function cloudOnly(name: string, what: string): Operation {
  return () => {
    throw new DynamoDbError(
      'UnknownOperationException',
      `${name} ${what}, which only DynamoDB in the cloud does: the local engine (Dynamo Lens) does not provide it. Tables here live in one namespace per region; streams are read with the DynamoDB Streams API or stream triggers.`,
    );
  };
}

export const cloudOnlyOperations: Record<string, Operation> = Object.fromEntries(Object.entries(CLOUD_ONLY).map(([name, what]) => [name, cloudOnly(name, what)]));
