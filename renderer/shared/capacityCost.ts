/**
 * Consumed capacity as DynamoDB reports it (ReturnConsumedCapacity TOTAL), reduced to the read
 * and write units a run cost, and what a million such runs would cost on demand.
 */

/** One ConsumedCapacity entry as the service sends it. */
export interface ConsumedCapacity {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

export interface CapacityUnits {
  read: number;
  write: number;
}

export const NO_UNITS: CapacityUnits = { read: 0, write: 0 };

/**
 * On-demand prices in us-east-1, US dollars per million request units, after AWS halved on-demand
 * throughput prices on 1 November 2024 ($0.125 per million read request units, $0.625 per million
 * write request units; https://aws.amazon.com/dynamodb/pricing/on-demand/, as quoted in
 * https://airbyte.com/data-engineering-resources/dynamodb-pricing and
 * https://www.jusdb.com/blog/dynamodb-cost-optimization-a-comprehensive-guide-by-jusdb).
 * Other regions and table classes cost more; the UI says which price it used.
 */
export const ON_DEMAND_PRICE_PER_MILLION = { read: 0.125, write: 0.625, region: 'us-east-1' } as const;

/**
 * The units one response cost. Only transactions split CapacityUnits into ReadCapacityUnits or
 * WriteCapacityUnits; every other operation reports the total alone, so the caller says whether
 * it read or wrote.
 */
export function unitsOf(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined, kind: 'read' | 'write'): CapacityUnits {
  const entries = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
  let read = 0;
  let write = 0;
  for (const entry of entries) {
    if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) {
      read += entry.ReadCapacityUnits ?? 0;
      write += entry.WriteCapacityUnits ?? 0;
    } else if (kind === 'read') read += entry.CapacityUnits ?? 0;
    else write += entry.CapacityUnits ?? 0;
  }
  return { read, write };
}

export function addUnits(a: CapacityUnits, b: CapacityUnits): CapacityUnits {
  return { read: a.read + b.read, write: a.write + b.write };
}

/** Dollars for a million requests that each cost `units`: a million units of each kind, priced per million. */
export function costPerMillionRequests(units: CapacityUnits): number {
  return units.read * ON_DEMAND_PRICE_PER_MILLION.read + units.write * ON_DEMAND_PRICE_PER_MILLION.write;
}

const unitFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const dollarFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });

/** The pieces the UI shows: "1.5 RCU", "0 WCU", "≈ $0.1875 per million such requests (on-demand estimate)". */
export function capacityTexts(units: CapacityUnits): { read: string; write: string; price: string } {
  return {
    read: `${unitFormat.format(units.read)} RCU`,
    write: `${unitFormat.format(units.write)} WCU`,
    price: `≈ ${dollarFormat.format(costPerMillionRequests(units))} per million such requests (on-demand estimate)`,
  };
}

export const PRICES_USED = `Estimate at ${ON_DEMAND_PRICE_PER_MILLION.region} on-demand prices: $${ON_DEMAND_PRICE_PER_MILLION.read} per million read request units, $${ON_DEMAND_PRICE_PER_MILLION.write} per million write request units.`;
