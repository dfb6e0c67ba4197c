/**
 * Exports to "S3": ExportTableToPointInTime, DescribeExport and ListExports.
 *
 * There is no S3 locally: bucket B and key K are the file <exportRoot>/B/K (EngineOptions
 * .exportRoot; README says where it is by default). An export writes the service's layout under
 * <S3Prefix>/AWSDynamoDB/<ExportId>/: an empty `_started`, `data/<name>.json.gz` (gzipped
 * DynamoDB JSON lines, `{"Item":{...}}`), `manifest-files.json` (one line per data file, with its
 * item count, MD5 and ETag), `manifest-summary.json`, and an MD5 `.checksum` beside each manifest.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html
 *
 * As on AWS the table needs point-in-time recovery and ExportTime must lie in its window; the
 * export reads the table as it was then (operations/pointInTime.ts). Records are kept in the store:
 *
 *   0x33 export id -> ExportRecord JSON
 *
 * The export runs to the end before answering (the service answers IN_PROGRESS and works in the
 * background): the answer says COMPLETED, or FAILED with the reason. Full exports in DynamoDB JSON
 * only; INCREMENTAL_EXPORT and ION are refused with a ValidationException that says so.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { storedItemJson, storedItemSize, type TableHandle } from '../database.ts';
import { DynamoDbError, validationError } from '../errors.ts';
import { prefixEnd } from '../storage/keyCodec.ts';
import { validateRequest, type Member } from '../validation/schema.ts';
import { tableByNameOrArn, type OperationContext } from './context.ts';
import { imagesAt, recoveryUnavailable, restorableWindow } from './pointInTime.ts';

const EXPORTS = 0x33;
/** Items per data file (the service writes one or more files per partition). */
const ITEMS_PER_FILE = 10_000;

interface ExportRecord {
  /** ExportArn's last segment: when it started, then random hex (the records' order). */
  id: string;
  accountId: string;
  region: string;
  description: Record<string, unknown>;
  /** A digest of the request, to tell a retry with the same ClientToken from a different request. */
  fingerprint: string;
}

/** An S3 bucket name as the service's model allows it (checked after its length). */
const S3_BUCKET: Member = { type: 'String', notNull: true, maxLength: 255 };

/** The directory that holds bucket `bucket` (names that could leave exportRoot are refused). */
export function bucketDirectory(ctx: OperationContext, bucket: string): string {
  if (!/^[a-zA-Z0-9][\w.-]*$/.test(bucket) || !/[a-zA-Z0-9]$/.test(bucket) || bucket.includes('..')) {
    throw validationError(`Invalid S3 bucket name: ${bucket}`);
  }
  return join(ctx.settings.exportRoot, bucket);
}

/** A key prefix as path segments, refusing segments that would leave the bucket's directory. */
export function keySegments(prefix: string | undefined): string[] {
  const segments = (prefix ?? '').split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) {
    throw validationError(`Invalid S3 prefix: ${prefix}`);
  }
  return segments;
}

/** An export's or import's id as the service forms them: 14 digits of epoch ms, a dash, 8 hex. */
export function jobId(at: number): string {
  return `${String(at).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
}

/** Where a job's record is kept: its ids sort by time, so records come back in the order they started. */
export function jobKey(tag: number, id: string): Buffer {
  return Buffer.concat([Buffer.from([tag]), Buffer.from(id)]);
}

function allExports(ctx: OperationContext): ExportRecord[] {
  const out: ExportRecord[] = [];
  const start = Buffer.from([EXPORTS]);
  for (const { value } of ctx.db.store.range(start, prefixEnd(start))) {
    const record = JSON.parse(value.toString('utf8')) as ExportRecord;
    if (record.accountId === ctx.request.accountId && record.region === ctx.request.region) out.push(record);
  }
  return out;
}

function md5(data: Buffer | string): Buffer {
  return createHash('md5').update(data).digest();
}

export async function exportTableToPointInTime(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, {
    TableArn: { type: 'String', notNull: true, minLength: 1, maxLength: 1024 },
    ExportTime: 'Double',
    ClientToken: 'String',
    S3Bucket: S3_BUCKET,
    S3BucketOwner: { type: 'String', regex: '[0-9]{12}' },
    S3Prefix: { type: 'String', maxLength: 1024 },
    S3SseAlgorithm: { type: 'String', enum: ['AES256', 'KMS'] },
    S3SseKmsKeyId: { type: 'String', minLength: 1, maxLength: 2048 },
    ExportFormat: { type: 'String', enum: ['DYNAMODB_JSON', 'ION'] },
    ExportType: { type: 'String', enum: ['FULL_EXPORT', 'INCREMENTAL_EXPORT'] },
  });
  const bucketDir = bucketDirectory(ctx, data.S3Bucket as string);
  const prefix = keySegments(data.S3Prefix as string | undefined);
  if (data.ExportType === 'INCREMENTAL_EXPORT') throw validationError('The local engine (Dynamo Lens) exports full tables only: INCREMENTAL_EXPORT is not provided');
  if (data.ExportFormat === 'ION') throw validationError('The local engine (Dynamo Lens) exports DYNAMODB_JSON only: ION is not provided');
  const { table, name } = tableByNameOrArn(ctx, data.TableArn as string);
  if (!table) throw new DynamoDbError('TableNotFoundException', `Table not found: ${name}`);

  const fingerprint = createHash('sha256').update(JSON.stringify(data, Object.keys(data).sort())).digest('hex');
  if (data.ClientToken !== undefined) {
    const earlier = allExports(ctx).find((e) => e.description.ClientToken === data.ClientToken);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) throw new DynamoDbError('ExportConflictException', `An export with ClientToken ${data.ClientToken as string} and different parameters exists`);
      return { ExportDescription: earlier.description };
    }
  }
  const now = Date.now();
  const window = restorableWindow(table.record, ctx, now);
  if (!window) throw recoveryUnavailable(table);
  const at = data.ExportTime === undefined ? now : Math.floor((data.ExportTime as number) * 1000);
  if (at < window.earliest || at > window.latest) {
    throw new DynamoDbError('InvalidExportTimeException', `ExportTime ${new Date(at).toISOString()} is outside the point in time recovery window from ${new Date(window.earliest).toISOString()} to ${new Date(window.latest).toISOString()}`);
  }

  const exportId = jobId(now);
  const exportPrefix = [...prefix, 'AWSDynamoDB', exportId].join('/');
  const description: Record<string, unknown> = {
    ExportArn: `${table.record.TableArn}/export/${exportId}`,
    ExportStatus: 'IN_PROGRESS',
    StartTime: now / 1000,
    TableArn: table.record.TableArn,
    TableId: table.record.TableId,
    ExportTime: at / 1000,
    ...(data.ClientToken !== undefined ? { ClientToken: data.ClientToken } : {}),
    S3Bucket: data.S3Bucket,
    ...(data.S3BucketOwner !== undefined ? { S3BucketOwner: data.S3BucketOwner } : {}),
    ...(data.S3Prefix !== undefined ? { S3Prefix: data.S3Prefix } : {}),
    S3SseAlgorithm: data.S3SseAlgorithm ?? 'AES256',
    ...(data.S3SseKmsKeyId !== undefined ? { S3SseKmsKeyId: data.S3SseKmsKeyId } : {}),
    ExportFormat: 'DYNAMODB_JSON',
    ExportType: 'FULL_EXPORT',
  };
  try {
    const written = writeExport(ctx, table, at, join(bucketDir, ...exportPrefix.split('/')), exportPrefix, description);
    Object.assign(description, { ExportStatus: 'COMPLETED', EndTime: Date.now() / 1000, ExportManifest: `${exportPrefix}/manifest-summary.json`, ...written });
  } catch (error) {
    Object.assign(description, { ExportStatus: 'FAILED', EndTime: Date.now() / 1000, FailureCode: 'S3WriteFailed', FailureMessage: (error as Error).message });
  }
  const record: ExportRecord = { id: exportId, accountId: ctx.request.accountId, region: ctx.request.region, description, fingerprint };
  await ctx.db.store.write((w) => w.put(jobKey(EXPORTS, exportId), Buffer.from(JSON.stringify(record))));
  return { ExportDescription: description };
}

/**
 * Writes the table as it was at `at` (epoch ms) under `dir`. The items and the log are read in one
 * synchronous pass, so no write lands between them.
 */
function writeExport(ctx: OperationContext, table: TableHandle, at: number, dir: string, exportPrefix: string, description: Record<string, unknown>): { ItemCount: number; BilledSizeBytes: number } {
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, '_started'), '');
  const replaced = imagesAt(ctx, table, at);
  const lines: string[] = [];
  let bytes = 0;
  for (const { key, value } of ctx.db.store.range(table.itemPrefix, prefixEnd(table.itemPrefix))) {
    if (replaced.has(key.toString('hex', table.itemPrefix.length))) continue;
    lines.push(`{"Item":${storedItemJson(value)}}`);
    bytes += storedItemSize(value);
  }
  for (const json of replaced.values()) {
    if (!json) continue;
    lines.push(`{"Item":${json}}`);
    bytes += Buffer.byteLength(json);
  }
  const files: string[] = [];
  // At least one file, empty when the table is.
  for (let i = 0; i === 0 || i < lines.length; i += ITEMS_PER_FILE) {
    const chunk = lines.slice(i, i + ITEMS_PER_FILE);
    const body = gzipSync(chunk.map((line) => `${line}\n`).join(''));
    const fileName = `${randomBytes(16).toString('hex')}.json.gz`;
    writeFileSync(join(dir, 'data', fileName), body);
    const digest = md5(body);
    files.push(JSON.stringify({ itemCount: chunk.length, md5Checksum: digest.toString('base64'), etag: digest.toString('hex'), dataFileS3Key: `${exportPrefix}/data/${fileName}` }));
  }
  const manifestFiles = files.map((line) => `${line}\n`).join('');
  writeFileSync(join(dir, 'manifest-files.json'), manifestFiles);
  writeFileSync(join(dir, 'manifest-files.checksum'), md5(manifestFiles).toString('hex'));
  const summary = JSON.stringify({
    version: '2020-06-30',
    exportArn: description.ExportArn,
    startTime: new Date((description.StartTime as number) * 1000).toISOString(),
    endTime: new Date().toISOString(),
    tableArn: description.TableArn,
    tableId: description.TableId,
    exportTime: new Date(at).toISOString(),
    s3Bucket: description.S3Bucket,
    s3Prefix: description.S3Prefix ?? null,
    s3SseAlgorithm: description.S3SseAlgorithm,
    s3SseKmsKeyId: description.S3SseKmsKeyId ?? null,
    manifestFilesS3Key: `${exportPrefix}/manifest-files.json`,
    billedSizeBytes: bytes,
    itemCount: lines.length,
    outputFormat: 'DYNAMODB_JSON',
    exportType: 'FULL_EXPORT',
  });
  writeFileSync(join(dir, 'manifest-summary.json'), summary);
  writeFileSync(join(dir, 'manifest-summary.checksum'), md5(summary).toString('hex'));
  return { ItemCount: lines.length, BilledSizeBytes: bytes };
}

export function describeExport(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateRequest(input, { ExportArn: { type: 'String', notNull: true, minLength: 37, maxLength: 1024 } });
  const found = allExports(ctx).find((e) => e.description.ExportArn === data.ExportArn);
  if (!found) throw new DynamoDbError('ExportNotFoundException', `Export not found: ${data.ExportArn as string}`);
  return { ExportDescription: found.description };
}

export function listExports(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateRequest(input, {
    TableArn: { type: 'String', minLength: 1, maxLength: 1024 },
    MaxResults: { type: 'Integer', min: 1, max: 25 },
    NextToken: 'String',
  });
  const all = allExports(ctx).filter((e) => data.TableArn === undefined || e.description.TableArn === data.TableArn);
  const start = data.NextToken === undefined ? 0 : all.findIndex((e) => e.id === data.NextToken) + 1;
  if (data.NextToken !== undefined && start === 0) throw validationError('Invalid NextToken');
  const limit = (data.MaxResults as number | undefined) ?? 25;
  const page = all.slice(start, start + limit);
  return {
    ExportSummaries: page.map((e) => ({ ExportArn: e.description.ExportArn, ExportStatus: e.description.ExportStatus, ExportType: e.description.ExportType })),
    ...(start + limit < all.length ? { NextToken: page[page.length - 1].id } : {}),
  };
}

export const exportOperations = {
  ExportTableToPointInTime: exportTableToPointInTime,
  DescribeExport: describeExport,
  ListExports: listExports,
};
