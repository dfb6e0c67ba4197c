/**
 * DynamoDB's data model as it travels on the wire (JSON 1.0 protocol).
 * Binary values (B, BS) stay base64 strings, exactly as the wire carries them; code that needs
 * the bytes decodes them where it compares or measures.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };

export type AttributeType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';
export type ScalarKeyType = 'S' | 'N' | 'B';

/** An item: attribute name to value. */
export type Item = Record<string, AttributeValue>;

/** The key attributes of an item (partition key, and sort key where the schema has one). */
export type Key = Record<string, AttributeValue>;

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: ScalarKeyType;
}

/** A request body as parsed from JSON: untrusted, validated by each operation. */
export type RequestInput = Record<string, unknown>;
