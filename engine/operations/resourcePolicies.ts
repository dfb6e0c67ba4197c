/**
 * Resource-based policies: PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy on a table
 * or stream ARN. The local engine has no IAM, so a policy is stored and returned with its
 * revision id, never enforced (README says so).
 *
 * As documented: putting the same document again is idempotent (same revision id); an
 * ExpectedRevisionId that does not match the policy in place, or names a policy where there is
 * none, is refused with PolicyNotFoundException; "NO_POLICY" attaches only where none exists; a
 * document is at most 20 KB, whitespace included. The PolicyNotFoundException text below is the
 * one AWS's CLI examples show; the 20 KB refusal's exact wording is not recorded, so ours states
 * the limit plainly.
 */
import { createHash } from 'node:crypto';
import { DynamoDbError, resourceNotFound, validationError } from '../errors.ts';
import type { TableRecord } from '../tableModel.ts';
import { validateRequest, type Member } from '../validation/schema.ts';
import { requireTable, type OperationContext } from './context.ts';

const RESOURCE_ARN: Member = { type: 'String', notNull: true, minLength: 1, maxLength: 1283 };
const EXPECTED_REVISION_ID: Member = { type: 'String', minLength: 1, maxLength: 255 };
const MAX_POLICY_BYTES = 20 * 1024;
const NO_POLICY = 'NO_POLICY';

type StoredPolicy = NonNullable<TableRecord['resourcePolicies']>[string];

function policyNotFound(arn: string): DynamoDbError {
  return new DynamoDbError('PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${arn}`);
}

/** The table a table or stream ARN names (in the caller's account and region). */
function tableOf(ctx: OperationContext, arn: string) {
  const match = /^arn:aws:dynamodb:([^:]+):(\d{12}):table\/([A-Za-z0-9_.-]{3,255})(?:\/stream\/[^/]+)?$/.exec(arn);
  if (!match) throw validationError(`Invalid ResourceArn provided as input ${arn}`);
  const [, region, accountId, name] = match;
  if (region !== ctx.request.region || accountId !== ctx.request.accountId) throw resourceNotFound();
  return requireTable(ctx, name);
}

/** The policy in place must be the one the caller expects (when it says which). */
function checkExpected(arn: string, current: StoredPolicy | undefined, expected: string | undefined): void {
  if (expected === undefined) return;
  if (expected === NO_POLICY ? current !== undefined : current?.RevisionId !== expected) throw policyNotFound(arn);
}

/** Revision ids are numeric strings that grow; the same document keeps its revision id. */
function nextRevision(current: StoredPolicy | undefined): string {
  const now = Date.now();
  return String(current && Number(current.RevisionId) >= now ? Number(current.RevisionId) + 1 : now);
}

async function savePolicies(ctx: OperationContext, record: TableRecord, arn: string, policy: StoredPolicy | undefined): Promise<void> {
  const policies = { ...record.resourcePolicies };
  if (policy) policies[arn] = policy;
  else delete policies[arn];
  await ctx.db.saveTable({ ...record, resourcePolicies: policies });
}

export async function putResourcePolicy(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, {
    ResourceArn: RESOURCE_ARN,
    Policy: { type: 'String', notNull: true, minLength: 1 },
    ExpectedRevisionId: EXPECTED_REVISION_ID,
    ConfirmRemoveSelfResourceAccess: 'Boolean',
  });
  const arn = data.ResourceArn as string;
  const policy = data.Policy as string;
  if (Buffer.byteLength(policy, 'utf8') > MAX_POLICY_BYTES) {
    throw validationError(`Resource-based policy document exceeds the maximum size of 20 KB (whitespace included): ${Buffer.byteLength(policy, 'utf8')} bytes`);
  }
  try {
    JSON.parse(policy);
  } catch {
    throw validationError('Resource-based policy document is not valid JSON');
  }
  const table = tableOf(ctx, arn);
  const current = table.record.resourcePolicies?.[arn];
  checkExpected(arn, current, data.ExpectedRevisionId as string | undefined);
  const digest = createHash('sha256').update(policy).digest('hex');
  if (current?.digest === digest) return { RevisionId: current.RevisionId };
  const stored: StoredPolicy = { Policy: policy, RevisionId: nextRevision(current), digest };
  await savePolicies(ctx, table.record, arn, stored);
  return { RevisionId: stored.RevisionId };
}

export function getResourcePolicy(input: Record<string, unknown>, ctx: OperationContext): Record<string, unknown> {
  const data = validateRequest(input, { ResourceArn: RESOURCE_ARN });
  const arn = data.ResourceArn as string;
  const current = tableOf(ctx, arn).record.resourcePolicies?.[arn];
  if (!current) throw policyNotFound(arn);
  return { Policy: current.Policy, RevisionId: current.RevisionId };
}

export async function deleteResourcePolicy(input: Record<string, unknown>, ctx: OperationContext): Promise<Record<string, unknown>> {
  const data = validateRequest(input, { ResourceArn: RESOURCE_ARN, ExpectedRevisionId: EXPECTED_REVISION_ID });
  const arn = data.ResourceArn as string;
  const table = tableOf(ctx, arn);
  const current = table.record.resourcePolicies?.[arn];
  if (!current) throw policyNotFound(arn);
  checkExpected(arn, current, data.ExpectedRevisionId as string | undefined);
  await savePolicies(ctx, table.record, arn, undefined);
  return { RevisionId: current.RevisionId };
}

export const resourcePolicyOperations = {
  PutResourcePolicy: putResourcePolicy,
  GetResourcePolicy: getResourcePolicy,
  DeleteResourcePolicy: deleteResourcePolicy,
};
