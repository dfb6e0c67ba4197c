/**
 * The DynamoDB Streams API (X-Amz-Target DynamoDBStreams_20120810.*): ListStreams,
 * DescribeStream, GetShardIterator and GetRecords. Shapes and limits follow the API reference.
 */
import { DynamoDbError, resourceNotFound, validationError } from '../errors.ts';
import type { Operation, OperationContext } from '../operations/context.ts';
import { OPTIONAL_TABLE_NAME, validateRequest, type Member } from '../validation/schema.ts';
import { ITERATOR_LIFETIME_MS, decodeIterator, encodeIterator } from './iterators.ts';
import { formatSequenceNumber, parseSequenceNumber, recordJson, type ShardMeta } from './layout.ts';
import { streamsOf, type StreamState, type StreamsService } from './service.ts';

const STREAM_ARN: Member = { type: 'String', notNull: true, minLength: 37, maxLength: 1024 };
const SHARD_ID: Member = { type: 'String', minLength: 28, maxLength: 65 };

export function expiredIterator(): DynamoDbError {
  return new DynamoDbError('ExpiredIteratorException', 'The provided iterator exceeds the maximum age allowed.');
}

export function trimmedDataAccess(): DynamoDbError {
  return new DynamoDbError('TrimmedDataAccessException', 'The data you are trying to access has been trimmed.');
}

function streamNotFound(arn: string): DynamoDbError {
  return resourceNotFound(`Requested resource not found: Stream: ${arn} not found`);
}

function shardNotFound(shardId: string, arn: string): DynamoDbError {
  return resourceNotFound(`Requested resource not found: Shard: ${shardId} in Stream: ${arn} not found`);
}

async function service(ctx: OperationContext): Promise<StreamsService> {
  const streams = streamsOf(ctx.db);
  if (!streams) throw new Error('DynamoDB Streams is not installed on this engine');
  await streams.sync();
  return streams;
}

/** A stream in the caller's namespace, or ResourceNotFoundException. */
function requireStream(streams: StreamsService, ctx: OperationContext, arn: string): StreamState {
  const stream = streams.stream(arn);
  if (!stream || stream.meta.accountId !== ctx.request.accountId || stream.meta.region !== ctx.request.region) {
    throw streamNotFound(arn);
  }
  return stream;
}

export async function listStreams(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, {
    TableName: OPTIONAL_TABLE_NAME,
    Limit: { type: 'Integer', min: 1, max: 100 },
    ExclusiveStartStreamArn: { type: 'String', minLength: 37, maxLength: 1024 },
  });
  const streams = await service(ctx);
  const tableName = data.TableName as string | undefined;
  const limit = (data.Limit as number | undefined) ?? 100;
  let all = streams.list(ctx.request.accountId, ctx.request.region);
  if (tableName !== undefined) all = all.filter((s) => s.meta.TableName === tableName);
  const startArn = data.ExclusiveStartStreamArn as string | undefined;
  if (startArn !== undefined) {
    const at = all.findIndex((s) => s.meta.StreamArn === startArn);
    all = at >= 0 ? all.slice(at + 1) : [];
  }
  const page = all.slice(0, limit);
  const out: Record<string, unknown> = {
    Streams: page.map((s) => ({ StreamArn: s.meta.StreamArn, TableName: s.meta.TableName, StreamLabel: s.meta.StreamLabel })),
  };
  if (all.length > limit) out.LastEvaluatedStreamArn = page[page.length - 1].meta.StreamArn;
  return out;
}

function shardDescription(shard: ShardMeta): Record<string, unknown> {
  const range: Record<string, string> = { StartingSequenceNumber: formatSequenceNumber(shard.start) };
  // A shard that closed before receiving a record ends where it started.
  if (shard.end !== undefined) range.EndingSequenceNumber = formatSequenceNumber(Math.max(shard.end, shard.start));
  return {
    ShardId: shard.ShardId,
    SequenceNumberRange: range,
    ...(shard.ParentShardId ? { ParentShardId: shard.ParentShardId } : {}),
  };
}

export async function describeStream(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, {
    StreamArn: STREAM_ARN,
    Limit: { type: 'Integer', min: 1, max: 100 },
    ExclusiveStartShardId: SHARD_ID,
  });
  const streams = await service(ctx);
  const stream = requireStream(streams, ctx, data.StreamArn as string);
  const limit = (data.Limit as number | undefined) ?? 100;
  let shards = stream.meta.shards;
  const startId = data.ExclusiveStartShardId as string | undefined;
  if (startId !== undefined) {
    const at = shards.findIndex((s) => s.ShardId === startId);
    shards = at >= 0 ? shards.slice(at + 1) : [];
  }
  const page = shards.slice(0, limit);
  const meta = stream.meta;
  const description: Record<string, unknown> = {
    StreamArn: meta.StreamArn,
    StreamLabel: meta.StreamLabel,
    StreamStatus: meta.status,
    StreamViewType: meta.StreamViewType,
    CreationRequestDateTime: meta.labelMs / 1000,
    TableName: meta.TableName,
    KeySchema: meta.KeySchema,
    Shards: page.map(shardDescription),
  };
  if (shards.length > limit) description.LastEvaluatedShardId = page[page.length - 1].ShardId;
  return { StreamDescription: description };
}

export async function getShardIterator(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, {
    StreamArn: STREAM_ARN,
    ShardId: { ...(SHARD_ID as object), notNull: true } as Member,
    ShardIteratorType: { type: 'String', notNull: true, enum: ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] },
    SequenceNumber: { type: 'String', minLength: 21, maxLength: 40 },
  });
  const type = data.ShardIteratorType as string;
  const sequenceText = data.SequenceNumber as string | undefined;
  const bySequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  if (bySequence && sequenceText === undefined) {
    throw validationError(`SequenceNumber must be specified for ShardIteratorType ${type}`);
  }
  const streams = await service(ctx);
  const arn = data.StreamArn as string;
  const stream = requireStream(streams, ctx, arn);
  const shardId = data.ShardId as string;
  const shard = stream.shard(shardId);
  if (!shard) throw shardNotFound(shardId, arn);
  const trimmedThrough = stream.meta.trimmedThrough;
  let position: number;
  if (type === 'TRIM_HORIZON') {
    position = Math.max(shard.start, trimmedThrough + 1);
  } else if (type === 'LATEST') {
    position = streams.latestPosition(shard);
  } else {
    const seq = parseSequenceNumber(sequenceText!);
    const beyond = shard.end !== undefined ? seq !== undefined && seq > shard.end : false;
    if (seq === undefined || seq < shard.start || beyond) {
      throw validationError(`Invalid SequenceNumber for ShardIteratorType ${type}: ${sequenceText} is not in shard ${shardId}`);
    }
    if (seq <= trimmedThrough) throw trimmedDataAccess();
    position = type === 'AT_SEQUENCE_NUMBER' ? seq : seq + 1;
  }
  return { ShardIterator: encodeIterator({ streamArn: arn, shardId, position, issuedAt: Date.now() }) };
}

export async function getRecords(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, {
    ShardIterator: { type: 'String', notNull: true, minLength: 1, maxLength: 2048 },
    Limit: { type: 'Integer', min: 1, max: 1000 },
  });
  const iterator = decodeIterator(data.ShardIterator as string);
  const now = Date.now();
  if (now - iterator.issuedAt > ITERATOR_LIFETIME_MS) throw expiredIterator();
  const streams = await service(ctx);
  const stream = requireStream(streams, ctx, iterator.streamArn);
  const shard = stream.shard(iterator.shardId);
  // A shard disappears only once retention has removed everything it held.
  if (!shard) throw trimmedDataAccess();
  if (iterator.position <= stream.meta.trimmedThrough) throw trimmedDataAccess();
  const { values, next } = streams.read(stream, shard, iterator.position, (data.Limit as number | undefined) ?? 1000);
  const out: Record<string, unknown> = { Records: values.map((value) => JSON.parse(recordJson(value)) as unknown) };
  // A closed shard read to its end has nothing more to give: NextShardIterator is left out.
  if (shard.end === undefined || next <= shard.end) {
    out.NextShardIterator = encodeIterator({ streamArn: iterator.streamArn, shardId: shard.ShardId, position: next, issuedAt: now });
  }
  return out;
}

export const streamOperations: Record<string, Operation> = {
  'DynamoDBStreams.ListStreams': listStreams,
  'DynamoDBStreams.DescribeStream': describeStream,
  'DynamoDBStreams.GetShardIterator': getShardIterator,
  'DynamoDBStreams.GetRecords': getRecords,
};
