/**
 * One item change as a DynamoDB stream record, in the shape GetRecords returns:
 *
 *   { eventID, eventName: INSERT|MODIFY|REMOVE, eventVersion: "1.1", eventSource: "aws:dynamodb",
 *     awsRegion, dynamodb: { ApproximateCreationDateTime, Keys, NewImage?, OldImage?,
 *     SequenceNumber, SizeBytes, StreamViewType }, userIdentity? }
 *
 * userIdentity uses the API's member names (Type, PrincipalId): the SDKs read those. Lambda's
 * event payload spells them in lower case, but that is Lambda's reshaping, not the wire format.
 */
import { randomBytes } from 'node:crypto';
import type { Item } from '../types.ts';
import { itemSize, valuesEqual } from '../values.ts';
import { formatSequenceNumber, type StreamViewType } from './layout.ts';

export type EventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** True when two items hold the same attributes with equal values (a write that changes nothing). */
export function itemsEqual(a: Item, b: Item): boolean {
  let count = 0;
  for (const name in a) {
    const other = b[name];
    if (other === undefined || !valuesEqual(a[name], other)) return false;
    count++;
  }
  return count === Object.keys(b).length;
}

// Event ids: 32 hex characters like the service's; a random per-process prefix plus a counter
// keeps them unique without paying for randomness on every write.
const eventIdPrefix = randomBytes(8).toString('hex');
let eventCounter = 0;
function nextEventId(): string {
  eventCounter = (eventCounter + 1) % 0x1_0000_0000_0000;
  return eventIdPrefix + eventCounter.toString(16).padStart(16, '0');
}

export interface RecordInput {
  seq: number;
  createdMs: number;
  region: string;
  viewType: StreamViewType;
  keys: Item;
  /** Whether an item was there before the change (oldItem may be undecoded; oldJson then holds it). */
  oldExisted?: boolean;
  oldItem: Item | undefined;
  newItem: Item | undefined;
  /** The stored JSON and sizes of the images, when the write path has them (saves re-serialising). */
  oldJson?: string;
  newJson?: string;
  oldSize?: number;
  newSize?: number;
  byTtl: boolean;
}

/**
 * The record's JSON text, built once at write time and served as stored. Assembled by hand in
 * the service's member order: this runs inside every write of a stream-enabled table, and
 * concatenating pre-serialised parts costs about half of building and serialising an object.
 */
export function buildRecordJson(input: RecordInput): string {
  const { oldItem, newItem, viewType } = input;
  const existed = input.oldExisted ?? oldItem !== undefined;
  const eventName: EventName = !existed ? 'INSERT' : !newItem ? 'REMOVE' : 'MODIFY';
  let size = itemSize(input.keys);
  let dynamodb = '{"ApproximateCreationDateTime":' + Math.floor(input.createdMs / 1000) + ',"Keys":' + JSON.stringify(input.keys);
  if (newItem && (viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) {
    dynamodb += ',"NewImage":' + (input.newJson ?? JSON.stringify(newItem));
    size += input.newSize ?? itemSize(newItem);
  }
  if (existed && (viewType === 'OLD_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES')) {
    dynamodb += ',"OldImage":' + (input.oldJson ?? JSON.stringify(oldItem));
    size += input.oldSize ?? itemSize(oldItem!);
  }
  dynamodb += ',"SequenceNumber":"' + formatSequenceNumber(input.seq) + '","SizeBytes":' + size + ',"StreamViewType":"' + viewType + '"}';
  // TTL deletions are the only changes DynamoDB attributes to itself.
  const identity = input.byTtl ? ',"userIdentity":{"Type":"Service","PrincipalId":"dynamodb.amazonaws.com"}' : '';
  return (
    '{"eventID":"' + nextEventId() + '","eventName":"' + eventName + '","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":' +
    JSON.stringify(input.region) + ',"dynamodb":' + dynamodb + identity + '}'
  );
}
