/**
 * Imports from "S3": ImportTable, DescribeImport and ListImports.
 *
 * Bucket B's objects are the files under <exportRoot>/B (see exports.ts); every object whose key
 * starts with S3KeyPrefix is read, decompressed (GZIP, ZSTD where Node has zstd, or NONE) and
 * parsed as InputFormat says:
 *
 * - DYNAMODB_JSON: one `{"Item":{...}}` per line, as an export writes them;
 * - CSV: the first line (or InputFormatOptions.Csv.HeaderList) names the columns; as on AWS, key
 *   attributes take their type from AttributeDefinitions and every other value is a String; an
 *   empty cell leaves the attribute out.
 *
 * As on AWS the import creates the table (TableCreationParameters, validated as CreateTable
 * validates them) and writes the items through the item path (indexes built, no capacity
 * consumed); an item that cannot be read or is not a valid item for the table is skipped and
 * counted in ErrorCount. A source that cannot be read fails the import (FAILED, the table
 * removed). Records are kept in the store:
 *
 *   0x34 import id -> ImportRecord JSON
 *
 * The import runs to the end before answering (COMPLETED or FAILED); the service answers
 * IN_PROGRESS and works in the background. ION is refused with a ValidationException that says
 * the local engine does not read it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import * as zlib from 'node:zlib';
import Papa from 'papaparse';
import { DynamoDbError, isDynamoDbError, validationError } from '../errors.ts';
import { prefixEnd } from '../storage/keyCodec.ts';
import type { TableRecord } from '../tableModel.ts';
import type { AttributeValue, Item } from '../types.ts';
import type { TableHandle } from '../database.ts';
import { KEY, TABLE_NAME, validateRequest, type Member } from '../validation/schema.ts';
import { requireTable, type OperationContext } from './context.ts';
import { bucketDirectory, jobId, jobKey } from './exports.ts';
import { checkItemKeys, checkItemSize, keyOf, validateAttributeMap } from './keys.ts';
import { CREATE_TABLE, createTable } from './tables.ts';

const IMPORTS = 0x34;
/** Items written per write. */
const IMPORT_BATCH = 1000;

interface ImportRecord {
  /** ImportArn's last segment: when it started, then random hex (the records' order). */
  id: string;
  accountId: string;
  region: string;
  description: Record<string, unknown>;
  /** A digest of the request, to tell a retry with the same ClientToken from a different request. */
  fingerprint: string;
}

const IMPORT_TABLE: Record<string, Member> = {
  ClientToken: 'String',
  S3BucketSource: {
    type: 'Struct',
    name: 'S3BucketSource',
    notNull: true,
    members: {
      S3BucketOwner: { type: 'String', regex: '[0-9]{12}' },
      S3Bucket: { type: 'String', notNull: true, maxLength: 255 },
      S3KeyPrefix: { type: 'String', maxLength: 1024 },
    },
  },
  InputFormat: { type: 'String', notNull: true, enum: ['DYNAMODB_JSON', 'ION', 'CSV'] },
  InputFormatOptions: {
    type: 'Struct',
    name: 'InputFormatOptions',
    members: {
      Csv: {
        type: 'Struct',
        name: 'CsvOptions',
        members: {
          Delimiter: { type: 'String', minLength: 1, maxLength: 1, regex: '[,;:|\\t ]' },
          HeaderList: { type: 'List', minLength: 1, maxLength: 255, member: { type: 'String', minLength: 1, maxLength: 65536 } },
        },
      },
    },
  },
  InputCompressionType: { type: 'String', enum: ['GZIP', 'ZSTD', 'NONE'] },
  TableCreationParameters: {
    type: 'Struct',
    name: 'TableCreationParameters',
    notNull: true,
    members: {
      TableName: TABLE_NAME,
      AttributeDefinitions: CREATE_TABLE.AttributeDefinitions,
      KeySchema: CREATE_TABLE.KeySchema,
      BillingMode: CREATE_TABLE.BillingMode,
      ProvisionedThroughput: CREATE_TABLE.ProvisionedThroughput,
      OnDemandThroughput: CREATE_TABLE.OnDemandThroughput,
      SSESpecification: CREATE_TABLE.SSESpecification,
      GlobalSecondaryIndexes: CREATE_TABLE.GlobalSecondaryIndexes,
    },
  },
};

function allImports(ctx: OperationContext): ImportRecord[] {
  const out: ImportRecord[] = [];
  const start = Buffer.from([IMPORTS]);
  for (const { value } of ctx.db.store.range(start, prefixEnd(start))) {
    const record = JSON.parse(value.toString('utf8')) as ImportRecord;
    if (record.accountId === ctx.request.accountId && record.region === ctx.request.region) out.push(record);
  }
  return out;
}

/** A reason the whole import fails (the service's FailureCode and FailureMessage). */
class ImportFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The objects of the bucket whose keys start with `prefix`, in key order. */
function sourceFiles(bucketDir: string, prefix: string): { key: string; path: string }[] {
  if (!existsSync(bucketDir)) throw new ImportFailure('S3NoSuchBucket', `The specified bucket does not exist: ${bucketDir}`);
  const files = (readdirSync(bucketDir, { recursive: true }) as string[])
    .map((relative) => ({ key: relative.split(sep).join('/'), path: join(bucketDir, relative) }))
    .filter(({ key, path }) => key.startsWith(prefix) && statSync(path).isFile())
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  if (files.length === 0) throw new ImportFailure('S3NoSuchKey', `No objects found under the prefix '${prefix}'`);
  return files;
}

function decompress(body: Buffer, compression: string, key: string): Buffer {
  if (compression === 'GZIP') return zlib.gunzipSync(body);
  if (compression !== 'ZSTD') return body;
  // zstd arrived in Node 22.15 and 23.8; older Nodes cannot read it.
  const zstd = (zlib as { zstdDecompressSync?: (data: Buffer) => Buffer }).zstdDecompressSync;
  if (!zstd) throw new ImportFailure('UnsupportedCompression', `Reading ZSTD needs Node 22.15 or newer (this is ${process.version}): ${key}`);
  return zstd(body);
}

/** Attribute values of one CSV row: key attributes typed by their definitions, the rest Strings. */
function csvItem(header: string[], row: string[], definitions: TableRecord['AttributeDefinitions']): Item {
  const item: Item = {};
  header.forEach((name, i) => {
    const cell = row[i];
    if (cell === undefined || cell === '') return;
    const type = definitions.find((d) => d.AttributeName === name)?.AttributeType ?? 'S';
    item[name] = { [type]: cell } as AttributeValue;
  });
  return item;
}

/** Parses one object into candidate items (undefined for a line that cannot be read). */
function parseObject(text: string, format: string, csv: { Delimiter?: string; HeaderList?: string[] } | undefined, definitions: TableRecord['AttributeDefinitions']): (Item | undefined)[] {
  if (format === 'DYNAMODB_JSON') {
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        try {
          const parsed = JSON.parse(line) as { Item?: unknown };
          return parsed && typeof parsed.Item === 'object' && parsed.Item !== null && !Array.isArray(parsed.Item) ? (parsed.Item as Item) : undefined;
        } catch {
          return undefined;
        }
      });
  }
  const rows = Papa.parse<string[]>(text, { delimiter: csv?.Delimiter ?? ',', skipEmptyLines: true }).data;
  const header = csv?.HeaderList ?? rows.shift() ?? [];
  return rows.map((row) => csvItem(header, row, definitions));
}

export async function importTable(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, IMPORT_TABLE);
  const source = data.S3BucketSource as { S3Bucket: string; S3BucketOwner?: string; S3KeyPrefix?: string };
  const bucketDir = bucketDirectory(ctx, source.S3Bucket);
  if (data.InputFormat === 'ION') throw validationError('The local engine (Dynamo Lens) imports DYNAMODB_JSON and CSV only: ION is not provided');
  const parameters = data.TableCreationParameters as Record<string, unknown>;
  const fingerprint = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  if (data.ClientToken !== undefined) {
    const earlier = allImports(ctx).find((i) => i.description.ClientToken === data.ClientToken);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) throw new DynamoDbError('ImportConflictException', `An import with ClientToken ${data.ClientToken as string} and different parameters exists`);
      return { ImportTableDescription: earlier.description };
    }
  }
  await createTable(parameters, ctx);
  const table = requireTable(ctx, parameters.TableName as string);
  const started = Date.now();
  const importId = jobId(started);
  const compression = (data.InputCompressionType as string | undefined) ?? 'NONE';
  const description: Record<string, unknown> = {
    ImportArn: `${table.record.TableArn}/import/${importId}`,
    ImportStatus: 'IN_PROGRESS',
    TableArn: table.record.TableArn,
    TableId: table.record.TableId,
    ...(data.ClientToken !== undefined ? { ClientToken: data.ClientToken } : {}),
    S3BucketSource: source,
    ErrorCount: 0,
    InputFormat: data.InputFormat,
    ...(data.InputFormatOptions !== undefined ? { InputFormatOptions: data.InputFormatOptions } : {}),
    InputCompressionType: compression,
    TableCreationParameters: parameters,
    StartTime: started / 1000,
  };
  try {
    const counts = await readInto(ctx, table.record.TableName, bucketDir, source.S3KeyPrefix ?? '', data, compression);
    Object.assign(description, { ImportStatus: 'COMPLETED', EndTime: Date.now() / 1000, ...counts });
  } catch (error) {
    if (!(error instanceof ImportFailure)) throw error;
    await ctx.db.dropTable(requireTable(ctx, table.record.TableName));
    Object.assign(description, { ImportStatus: 'FAILED', EndTime: Date.now() / 1000, FailureCode: error.code, FailureMessage: error.message });
  }
  const record: ImportRecord = { id: importId, accountId: ctx.request.accountId, region: ctx.request.region, description, fingerprint };
  await ctx.db.store.write((w) => w.put(jobKey(IMPORTS, importId), Buffer.from(JSON.stringify(record))));
  return { ImportTableDescription: description };
}

/** Reads every source object into the table; returns the counts DescribeImport reports. */
async function readInto(ctx: OperationContext, tableName: string, bucketDir: string, prefix: string, data: Record<string, unknown>, compression: string) {
  const csv = (data.InputFormatOptions as { Csv?: { Delimiter?: string; HeaderList?: string[] } } | undefined)?.Csv;
  let processedBytes = 0;
  let processed = 0;
  let imported = 0;
  let errors = 0;
  for (const file of sourceFiles(bucketDir, prefix)) {
    const body = readFileSync(file.path);
    processedBytes += body.length;
    let text: string;
    try {
      text = decompress(body, compression, file.key).toString('utf8');
    } catch (error) {
      if (error instanceof ImportFailure) throw error;
      throw new ImportFailure('InvalidCompression', `Cannot decompress ${file.key} as ${compression}: ${(error as Error).message}`);
    }
    const table = requireTable(ctx, tableName);
    const candidates = parseObject(text, data.InputFormat as string, csv, table.record.AttributeDefinitions);
    processed += candidates.length;
    for (let i = 0; i < candidates.length; i += IMPORT_BATCH) {
      const items: Item[] = [];
      for (const candidate of candidates.slice(i, i + IMPORT_BATCH)) {
        const item = candidate && validItem(candidate, table);
        if (item) items.push(item);
        else errors++;
      }
      await ctx.db.store.write((w) => {
        for (const item of items) ctx.db.stageItemChange(w, table, keyOf(item, table.shape), item);
      });
      imported += items.length;
    }
  }
  return { ProcessedSizeBytes: processedBytes, ProcessedItemCount: processed, ImportedItemCount: imported, ErrorCount: errors };
}

/** The item when PutItem would accept it for `table`, else undefined. */
function validItem(candidate: Item, table: TableHandle): Item | undefined {
  try {
    const item = validateRequest({ Item: candidate }, { Item: KEY }).Item as Item;
    validateAttributeMap(item);
    checkItemSize(item);
    checkItemKeys(item, table);
    return item;
  } catch (error) {
    if (isDynamoDbError(error)) return undefined;
    throw error;
  }
}

export function describeImport(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateRequest(input, { ImportArn: { type: 'String', notNull: true, minLength: 37, maxLength: 1024 } });
  const found = allImports(ctx).find((i) => i.description.ImportArn === data.ImportArn);
  if (!found) throw new DynamoDbError('ImportNotFoundException', `Import not found: ${data.ImportArn as string}`);
  return { ImportTableDescription: found.description };
}

export function listImports(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateRequest(input, {
    TableArn: { type: 'String', minLength: 1, maxLength: 1024 },
    PageSize: { type: 'Integer', min: 1, max: 25 },
    NextToken: { type: 'String', minLength: 112, maxLength: 1024 },
  });
  const all = allImports(ctx).filter((i) => data.TableArn === undefined || i.description.TableArn === data.TableArn);
  const start = data.NextToken === undefined ? 0 : all.findIndex((i) => nextToken(i) === data.NextToken) + 1;
  if (data.NextToken !== undefined && start === 0) throw validationError('Invalid NextToken');
  const limit = (data.PageSize as number | undefined) ?? 25;
  const page = all.slice(start, start + limit);
  return {
    ImportSummaryList: page.map((i) => ({
      ImportArn: i.description.ImportArn,
      ImportStatus: i.description.ImportStatus,
      TableArn: i.description.TableArn,
      S3BucketSource: i.description.S3BucketSource,
      InputFormat: i.description.InputFormat,
      StartTime: i.description.StartTime,
      ...(i.description.EndTime !== undefined ? { EndTime: i.description.EndTime } : {}),
    })),
    ...(start + limit < all.length ? { NextToken: nextToken(page[page.length - 1]) } : {}),
  };
}

/** ListImports' NextToken is 112 to 1024 characters of ([0-9a-f]{16})+ in the service's model. */
function nextToken(record: ImportRecord): string {
  return createHash('sha512').update(record.id).digest('hex').slice(0, 112);
}

export const importOperations = {
  ImportTable: importTable,
  DescribeImport: describeImport,
  ListImports: listImports,
};
