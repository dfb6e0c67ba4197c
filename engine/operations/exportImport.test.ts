/**
 * Export to and import from "S3" (a local directory) through the AWS SDK: the service's export
 * layout, a table exported as it was at a moment and imported as a new table with the same items,
 * CSV imports, the errors, and the records kept across a restart on LMDB.
 */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeExportCommand,
  DescribeImportCommand,
  DescribeTableCommand,
  ExportTableToPointInTimeCommand,
  ImportTableCommand,
  ListExportsCommand,
  ListImportsCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateContinuousBackupsCommand,
  type AttributeValue,
  type ImportTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import * as zlib from 'node:zlib';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

const scratch = mkdtempSync(join(tmpdir(), 'dynamo-lens-s3-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const ORDERS_DEFINITION = {
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'n', AttributeType: 'N' as const },
    { AttributeName: 'customer', AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'n', KeyType: 'RANGE' as const },
  ],
  GlobalSecondaryIndexes: [{ IndexName: 'byCustomer', KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } }],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

/** Items of every type, so the round trip shows each one survives. */
function order(i: number): Record<string, AttributeValue> {
  return {
    pk: { S: `p${i % 7}` },
    n: { N: String(i) },
    customer: { S: `c${i % 10}` },
    total: { N: `${i}.25` },
    big: { N: '12345678901234567890123456789012345678' },
    tags: { SS: ['a', `t${i}`] },
    scores: { NS: ['1', String(i + 2)] },
    blob: { B: Buffer.from([i % 256, 0, 255]) },
    paid: { BOOL: i % 2 === 0 },
    nothing: { NULL: true },
    lines: { L: [{ S: 'x' }, { N: '2' }, { M: { deep: { BS: [Buffer.from('q')] } } }] },
  };
}

async function createOrders(h: Harness, items: number): Promise<void> {
  await h.client.send(new CreateTableCommand({ TableName: 'Orders', ...ORDERS_DEFINITION }));
  for (let i = 0; i < items; i += 25) {
    const requests = Array.from({ length: Math.min(25, items - i) }, (_, j) => ({ PutRequest: { Item: order(i + j) } }));
    await h.client.send(new BatchWriteItemCommand({ RequestItems: { Orders: requests } }));
  }
}

async function contents(h: Harness, table: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await h.client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) out.set(`${item.pk.S}/${item.n.N}`, JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : 1)))));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

function importInput(TableName: string, S3KeyPrefix: string, extra: Partial<ImportTableCommandInput> = {}): ImportTableCommandInput {
  return {
    S3BucketSource: { S3Bucket: 'lens-bucket', S3KeyPrefix },
    InputFormat: 'DYNAMODB_JSON',
    InputCompressionType: 'GZIP',
    TableCreationParameters: { TableName, ...ORDERS_DEFINITION },
    ...extra,
  };
}

describe('export to and import from a local S3 directory', () => {
  test('exports the table as it was at a moment in the service layout, and imports it back as a new table', async () => {
    const exportRoot = join(scratch, 'round-trip');
    const h = await startHarness({ exportRoot });
    try {
      await createOrders(h, 1200);
      const tableArn = (await h.client.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table!.TableArn!;
      const unavailable = await errorOf(() => h.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'lens-bucket' })));
      assert.equal(unavailable.name, 'PointInTimeRecoveryUnavailableException');
      await h.client.send(new UpdateContinuousBackupsCommand({ TableName: 'Orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
      await sleep(5);
      const at = new Date();
      await sleep(5);
      const asAt = await contents(h, 'Orders');
      await h.client.send(new PutItemCommand({ TableName: 'Orders', Item: { ...order(1), total: { N: '-1' } } }));
      await h.client.send(new DeleteItemCommand({ TableName: 'Orders', Key: { pk: { S: 'p2' }, n: { N: '2' } } }));
      await h.client.send(new PutItemCommand({ TableName: 'Orders', Item: order(5000) }));

      const { ExportDescription: exported } = await h.client.send(
        new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'lens-bucket', S3Prefix: 'nightly/2026', ExportTime: at, ClientToken: 'export-1' }),
      );
      assert.equal(exported?.ExportStatus, 'COMPLETED');
      assert.equal(exported?.ItemCount, 1200);
      assert.equal(exported?.ExportFormat, 'DYNAMODB_JSON');
      assert.equal(exported?.ExportTime?.getTime(), at.getTime());
      assert.match(exported?.ExportArn ?? '', /^arn:aws:dynamodb:us-east-1:\d{12}:table\/Orders\/export\/\d{14}-[0-9a-f]{8}$/);
      const exportId = exported!.ExportArn!.split('/').pop()!;
      assert.equal(exported?.ExportManifest, `nightly/2026/AWSDynamoDB/${exportId}/manifest-summary.json`);

      // The layout the service writes, under <exportRoot>/<bucket>/<key>.
      const dir = join(exportRoot, 'lens-bucket', 'nightly', '2026', 'AWSDynamoDB', exportId);
      assert.ok(existsSync(join(dir, '_started')));
      const summary = JSON.parse(readFileSync(join(dir, 'manifest-summary.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(summary.exportArn, exported?.ExportArn);
      assert.equal(summary.itemCount, 1200);
      assert.equal(summary.outputFormat, 'DYNAMODB_JSON');
      assert.equal(summary.manifestFilesS3Key, `nightly/2026/AWSDynamoDB/${exportId}/manifest-files.json`);
      const files = readFileSync(join(dir, 'manifest-files.json'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { itemCount: number; md5Checksum: string; dataFileS3Key: string });
      assert.equal(files.reduce((sum, f) => sum + f.itemCount, 0), 1200);
      for (const file of files) {
        const body = readFileSync(join(exportRoot, 'lens-bucket', ...file.dataFileS3Key.split('/')));
        assert.equal(createHash('md5').update(body).digest('base64'), file.md5Checksum);
        const lines = zlib.gunzipSync(body).toString('utf8').trim().split('\n');
        assert.equal(lines.length, file.itemCount);
        assert.ok(lines.every((line) => Object.keys(JSON.parse(line) as object).join() === 'Item'));
      }

      const again = await h.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'lens-bucket', S3Prefix: 'nightly/2026', ExportTime: at, ClientToken: 'export-1' }));
      assert.equal(again.ExportDescription?.ExportArn, exported?.ExportArn, 'a retry with the same ClientToken is the same export');
      const conflict = await errorOf(() => h.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'other-bucket', ClientToken: 'export-1' })));
      assert.equal(conflict.name, 'ExportConflictException');
      assert.equal((await h.client.send(new DescribeExportCommand({ ExportArn: exported!.ExportArn! }))).ExportDescription?.ExportStatus, 'COMPLETED');
      const listed = await h.client.send(new ListExportsCommand({ TableArn: tableArn }));
      assert.deepEqual(listed.ExportSummaries?.map((e) => [e.ExportArn, e.ExportStatus, e.ExportType]), [[exported?.ExportArn, 'COMPLETED', 'FULL_EXPORT']]);

      const { ImportTableDescription: imported } = await h.client.send(new ImportTableCommand(importInput('OrdersImported', `nightly/2026/AWSDynamoDB/${exportId}/data/`)));
      assert.equal(imported?.ImportStatus, 'COMPLETED');
      assert.equal(imported?.ImportedItemCount, 1200);
      assert.equal(imported?.ProcessedItemCount, 1200);
      assert.equal(imported?.ErrorCount, 0);
      assert.deepEqual(await contents(h, 'OrdersImported'), asAt);
      const byCustomer = await h.client.send(
        new QueryCommand({ TableName: 'OrdersImported', IndexName: 'byCustomer', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'c3' } }, Select: 'COUNT' }),
      );
      assert.equal(byCustomer.Count, 120, 'the imported table has its index');
      const described = await h.client.send(new DescribeImportCommand({ ImportArn: imported!.ImportArn! }));
      assert.equal(described.ImportTableDescription?.ImportStatus, 'COMPLETED');
      const imports = await h.client.send(new ListImportsCommand({}));
      assert.deepEqual(imports.ImportSummaryList?.map((i) => [i.ImportArn, i.ImportStatus, i.InputFormat]), [[imported?.ImportArn, 'COMPLETED', 'DYNAMODB_JSON']]);
    } finally {
      await h.close();
    }
  });

  test('imports CSV (key types from the definitions, other values as strings), counts bad items, and fails on a missing source', async () => {
    const exportRoot = join(scratch, 'csv');
    mkdirSync(join(exportRoot, 'lens-bucket', 'csv'), { recursive: true });
    writeFileSync(join(exportRoot, 'lens-bucket', 'csv', 'part-1.csv'), 'pk,n,customer,note\np1,1,c1,"hello, world"\np1,2,c2,\np2,x,c3,not a number key\n');
    writeFileSync(join(exportRoot, 'lens-bucket', 'csv', 'part-2.csv'), 'p3;7;c1;plain\n');
    const h = await startHarness({ exportRoot });
    try {
      const first = await h.client.send(new ImportTableCommand(importInput('FromCsv', 'csv/part-1', { InputFormat: 'CSV', InputCompressionType: 'NONE' })));
      assert.equal(first.ImportTableDescription?.ImportStatus, 'COMPLETED');
      assert.deepEqual([first.ImportTableDescription?.ProcessedItemCount, first.ImportTableDescription?.ImportedItemCount, first.ImportTableDescription?.ErrorCount], [3, 2, 1]);
      const items = await contents(h, 'FromCsv');
      assert.deepEqual([...items.values()].map((json) => JSON.parse(json)), [
        { customer: { S: 'c1' }, n: { N: '1' }, note: { S: 'hello, world' }, pk: { S: 'p1' } },
        { customer: { S: 'c2' }, n: { N: '2' }, pk: { S: 'p1' } },
      ]);
      const headerless = await h.client.send(
        new ImportTableCommand(
          importInput('FromCsvHeaderList', 'csv/part-2', { InputFormat: 'CSV', InputCompressionType: 'NONE', InputFormatOptions: { Csv: { Delimiter: ';', HeaderList: ['pk', 'n', 'customer', 'note'] } } }),
        ),
      );
      assert.equal(headerless.ImportTableDescription?.ImportedItemCount, 1);

      const missing = await h.client.send(new ImportTableCommand(importInput('FromNowhere', 'nothing-here/')));
      assert.equal(missing.ImportTableDescription?.ImportStatus, 'FAILED');
      assert.equal(missing.ImportTableDescription?.FailureCode, 'S3NoSuchKey');
      const gone = await errorOf(() => h.client.send(new DescribeTableCommand({ TableName: 'FromNowhere' })));
      assert.equal(gone.name, 'ResourceNotFoundException', 'a failed import leaves no table');

      const ion = await errorOf(() => h.client.send(new ImportTableCommand(importInput('FromIon', 'csv/', { InputFormat: 'ION' }))));
      assert.equal(ion.name, 'ValidationException');
      const notFound = await errorOf(() => h.client.send(new DescribeImportCommand({ ImportArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/X/import/01234567890123-abcdef01' })));
      assert.equal(notFound.name, 'ImportNotFoundException');
      const noExport = await errorOf(() => h.client.send(new DescribeExportCommand({ ExportArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/X/export/01234567890123-abcdef01' })));
      assert.equal(noExport.name, 'ExportNotFoundException');
      const escape = await errorOf(() => h.client.send(new ImportTableCommand({ ...importInput('Escape', ''), S3BucketSource: { S3Bucket: '..' } })));
      assert.equal(escape.name, 'ValidationException', 'a bucket name cannot leave the export root');
    } finally {
      await h.close();
    }
  });

  test('ZSTD objects import where Node has zstd', { skip: !('zstdCompressSync' in zlib) && 'this Node has no zstd' }, async () => {
    const exportRoot = join(scratch, 'zstd');
    mkdirSync(join(exportRoot, 'lens-bucket', 'z'), { recursive: true });
    const compress = (zlib as unknown as { zstdCompressSync: (b: Buffer) => Buffer }).zstdCompressSync;
    writeFileSync(join(exportRoot, 'lens-bucket', 'z', 'a.json.zst'), compress(Buffer.from(`${JSON.stringify({ Item: order(3) })}\n`)));
    const h = await startHarness({ exportRoot });
    try {
      const out = await h.client.send(new ImportTableCommand(importInput('FromZstd', 'z/', { InputCompressionType: 'ZSTD' })));
      assert.equal(out.ImportTableDescription?.ImportedItemCount, 1);
    } finally {
      await h.close();
    }
  });

  test('export and import records survive a restart on LMDB', async () => {
    const dataDir = join(scratch, 'durable');
    const first = await startHarness({ store: 'lmdb', dataDir });
    let exportArn: string;
    try {
      await createOrders(first, 30);
      await first.client.send(new UpdateContinuousBackupsCommand({ TableName: 'Orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
      const tableArn = (await first.client.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table!.TableArn!;
      exportArn = (await first.client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: 'lens-bucket' }))).ExportDescription!.ExportArn!;
      assert.ok(existsSync(join(dataDir, 's3', 'lens-bucket', 'AWSDynamoDB')), 'the default export root is the data directory\'s s3 folder');
    } finally {
      await first.close();
    }
    const second = await startHarness({ store: 'lmdb', dataDir });
    try {
      const described = await second.client.send(new DescribeExportCommand({ ExportArn: exportArn }));
      assert.equal(described.ExportDescription?.ItemCount, 30);
      const id = exportArn.split('/').pop()!;
      const imported = await second.client.send(new ImportTableCommand(importInput('Again', `AWSDynamoDB/${id}/data/`)));
      assert.equal(imported.ImportTableDescription?.ImportedItemCount, 30);
    } finally {
      await second.close();
    }
  });
});
