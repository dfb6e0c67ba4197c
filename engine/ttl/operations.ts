/**
 * UpdateTimeToLive and DescribeTimeToLive. Error texts are the service's, observed against
 * DynamoDB: content checks ("already enabled", "active on a different AttributeName") come before
 * the check for a change still settling ("modified multiple times within a fixed interval").
 */
import { validationError } from '../errors.ts';
import type { Operation, OperationContext } from '../operations/context.ts';
import { requireTable } from '../operations/context.ts';
import type { TableRecord } from '../tableModel.ts';
import { TABLE_NAME, validateRequest } from '../validation/schema.ts';
import { effectiveTtl, type TtlSetting } from './settings.ts';

export async function updateTimeToLive(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, {
    TableName: TABLE_NAME,
    TimeToLiveSpecification: {
      type: 'Struct',
      name: 'TimeToLiveSpecification',
      notNull: true,
      members: {
        Enabled: { type: 'Boolean', notNull: true },
        AttributeName: { type: 'String', notNull: true, minLength: 1, maxLength: 255 },
      },
    },
  });
  const spec = data.TimeToLiveSpecification as { Enabled: boolean; AttributeName: string };
  const table = requireTable(ctx, data.TableName as string);
  const now = Date.now();
  const current = effectiveTtl(table.record, now, ctx.settings.transitionDelayMs);
  const differentAttribute = () =>
    validationError(`TimeToLive is active on a different AttributeName: current AttributeName is ${current.attributeName}`);
  if (spec.Enabled) {
    if (current.status === 'ENABLED' || current.status === 'ENABLING') {
      if (current.attributeName !== spec.AttributeName) throw differentAttribute();
      throw validationError('TimeToLive is already enabled');
    }
  } else {
    if (current.status === 'DISABLED' || current.status === 'DISABLING') throw validationError('TimeToLive is already disabled');
    if (current.attributeName !== spec.AttributeName) throw differentAttribute();
  }
  if (current.transitioning) throw validationError('Time to live has been modified multiple times within a fixed interval');

  const record: TableRecord = structuredClone(table.record);
  const setting: TtlSetting = { AttributeName: spec.AttributeName, Status: spec.Enabled ? 'ENABLING' : 'DISABLING', changedAt: now };
  record.TimeToLive = setting;
  await ctx.db.saveTable(record);
  return { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } };
}

export function describeTimeToLive(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateRequest(input, { TableName: TABLE_NAME });
  const table = requireTable(ctx, data.TableName as string);
  const ttl = effectiveTtl(table.record, Date.now(), ctx.settings.transitionDelayMs);
  return {
    TimeToLiveDescription: {
      TimeToLiveStatus: ttl.status,
      ...(ttl.attributeName !== undefined ? { AttributeName: ttl.attributeName } : {}),
    },
  };
}

export const ttlOperations: Record<string, Operation> = {
  UpdateTimeToLive: updateTimeToLive,
  DescribeTimeToLive: describeTimeToLive,
};
