/** The Settings tab's forms and the UpdateTable inputs they turn into. */
import { isProvisioned } from '../indexes/indexInput.ts';
import type { IndexDescription, TableDescription } from '../items/tableSchema.ts';

export interface Throughput {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export interface SettingsTableDescription extends TableDescription {
  TableArn?: string;
  ProvisionedThroughput?: Throughput;
  GlobalSecondaryIndexes?: (IndexDescription & { ProvisionedThroughput?: Throughput; IndexStatus?: string })[];
  TableClassSummary?: { TableClass?: string };
}

export type BillingMode = 'PAY_PER_REQUEST' | 'PROVISIONED';

/** Capacity as the form holds it: units as typed, so a half-typed number is not lost. */
export interface CapacityForm {
  mode: BillingMode;
  table: { read: string; write: string };
  /** By index name. */
  indexes: Record<string, { read: string; write: string }>;
}

const DEFAULT_UNITS = '5';

function unitsText(units: number | undefined): string {
  return units ? String(units) : DEFAULT_UNITS;
}

export function capacityFormOf(table: SettingsTableDescription): CapacityForm {
  return {
    mode: isProvisioned(table) ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    table: { read: unitsText(table.ProvisionedThroughput?.ReadCapacityUnits), write: unitsText(table.ProvisionedThroughput?.WriteCapacityUnits) },
    indexes: Object.fromEntries(
      (table.GlobalSecondaryIndexes ?? []).map((i) => [
        i.IndexName,
        { read: unitsText(i.ProvisionedThroughput?.ReadCapacityUnits), write: unitsText(i.ProvisionedThroughput?.WriteCapacityUnits) },
      ]),
    ),
  };
}

/**
 * Units as DynamoDB receives them. Anything that is not a whole number goes through as typed (a
 * number where it parses): DynamoDB's own validation message is the one the user should read.
 */
function units(text: string): number {
  return Number(text.trim());
}

function throughputOf(pair: { read: string; write: string }) {
  return { ReadCapacityUnits: units(pair.read), WriteCapacityUnits: units(pair.write) };
}

function sameThroughput(current: Throughput | undefined, next: { ReadCapacityUnits: number; WriteCapacityUnits: number }): boolean {
  return current?.ReadCapacityUnits === next.ReadCapacityUnits && current?.WriteCapacityUnits === next.WriteCapacityUnits;
}

/**
 * The UpdateTable input that takes the table from its description to the form, or null when
 * nothing changes. Switching to provisioned names every GSI's throughput too, as DynamoDB
 * requires; switching to on-demand sends the billing mode alone; staying provisioned sends only
 * what changed.
 */
export function toCapacityUpdate(table: SettingsTableDescription, form: CapacityForm): Record<string, unknown> | null {
  const wasProvisioned = isProvisioned(table);
  const gsis = table.GlobalSecondaryIndexes ?? [];
  if (form.mode === 'PAY_PER_REQUEST') {
    return wasProvisioned ? { TableName: table.TableName, BillingMode: 'PAY_PER_REQUEST' } : null;
  }
  const tableThroughput = throughputOf(form.table);
  const indexUpdates = gsis
    .filter((index) => {
      const wanted = form.indexes[index.IndexName];
      return wanted && (!wasProvisioned || !sameThroughput(index.ProvisionedThroughput, throughputOf(wanted)));
    })
    .map((index) => ({ Update: { IndexName: index.IndexName, ProvisionedThroughput: throughputOf(form.indexes[index.IndexName]!) } }));
  const tableChanged = !wasProvisioned || !sameThroughput(table.ProvisionedThroughput, tableThroughput);
  if (!tableChanged && indexUpdates.length === 0) return null;
  return {
    TableName: table.TableName,
    ...(wasProvisioned ? {} : { BillingMode: 'PROVISIONED' }),
    ...(tableChanged ? { ProvisionedThroughput: tableThroughput } : {}),
    ...(indexUpdates.length > 0 ? { GlobalSecondaryIndexUpdates: indexUpdates } : {}),
  };
}

export const STREAM_VIEW_TYPES = ['NEW_AND_OLD_IMAGES', 'NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY'] as const;
export const TABLE_CLASSES = [
  { id: 'STANDARD', label: 'Standard' },
  { id: 'STANDARD_INFREQUENT_ACCESS', label: 'Standard-Infrequent Access' },
] as const;

export function tableClassOf(table: SettingsTableDescription): string {
  return table.TableClassSummary?.TableClass ?? 'STANDARD';
}
