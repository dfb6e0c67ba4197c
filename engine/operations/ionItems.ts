/**
 * Items in Amazon Ion text, as DynamoDB exports and imports them: one `$ion_1_0 {Item:{...}}` per
 * line, S as string, N as decimal, B as blob, BOOL as bool, NULL as null, L as list, M as struct,
 * and sets as lists annotated $dynamodb_SS, $dynamodb_NS or $dynamodb_BS.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html
 * Reading also takes Ion ints and floats as numbers and symbols as strings.
 */
import * as ion from 'ion-js';
import { setOwn } from '../ownKeys.ts';
import type { AttributeValue, Item } from '../types.ts';

/** Deeper than DynamoDB's 32 levels is refused by item validation; this only bounds the recursion. */
const MAX_DEPTH = 64;
const SET_ANNOTATION = /^\$dynamodb_(SS|NS|BS)$/;

/** A DynamoDB number as Ion decimal text: `1E+5` is `1d5`, and `103` is `103.` (not an Ion int). */
function ionDecimal(number: string): ion.Decimal {
  const text = number.replace(/[eE]\+?/, 'd');
  return ion.Decimal.parse(/[.d]/.test(text) ? text : `${text}.`)!;
}

function writeValue(writer: ion.Writer, value: AttributeValue): void {
  if ('S' in value) writer.writeString(value.S);
  else if ('N' in value) writer.writeDecimal(ionDecimal(value.N));
  else if ('B' in value) writer.writeBlob(Buffer.from(value.B, 'base64'));
  else if ('BOOL' in value) writer.writeBoolean(value.BOOL);
  else if ('NULL' in value) writer.writeNull(ion.IonTypes.NULL);
  else if ('L' in value) {
    writer.stepIn(ion.IonTypes.LIST);
    for (const element of value.L) writeValue(writer, element);
    writer.stepOut();
  } else if ('M' in value) {
    writer.stepIn(ion.IonTypes.STRUCT);
    for (const [name, member] of Object.entries(value.M)) {
      writer.writeFieldName(name);
      writeValue(writer, member);
    }
    writer.stepOut();
  } else {
    const [kind, members] = Object.entries(value)[0] as ['SS' | 'NS' | 'BS', string[]];
    writer.setAnnotations([`$dynamodb_${kind}`]);
    writer.stepIn(ion.IonTypes.LIST);
    for (const member of members) writeValue(writer, (kind === 'SS' ? { S: member } : kind === 'NS' ? { N: member } : { B: member }) as AttributeValue);
    writer.stepOut();
  }
}

/** One export line for an item. */
export function itemToIonLine(item: Item): string {
  const writer = ion.makeTextWriter();
  writeValue(writer, { M: { Item: { M: item } } });
  writer.close();
  return `$ion_1_0 ${Buffer.from(writer.getBytes()).toString('utf8')}`;
}

function readValue(reader: ion.Reader, type: ion.IonType, depth: number): AttributeValue {
  if (depth > MAX_DEPTH) throw new Error('Ion value nested too deeply');
  if (reader.isNull()) return { NULL: true };
  const annotations = reader.annotations();
  switch (type) {
    case ion.IonTypes.STRING:
    case ion.IonTypes.SYMBOL:
      return { S: reader.stringValue()! };
    case ion.IonTypes.BOOL:
      return { BOOL: reader.booleanValue()! };
    case ion.IonTypes.INT:
      return { N: reader.bigIntValue()!.toString() };
    case ion.IonTypes.DECIMAL: {
      const decimal = reader.decimalValue()!;
      return { N: `${decimal.getCoefficient().toString()}E${decimal.getExponent()}` };
    }
    case ion.IonTypes.FLOAT:
      return { N: String(reader.numberValue()) };
    case ion.IonTypes.BLOB:
    case ion.IonTypes.CLOB:
      return { B: Buffer.from(reader.uInt8ArrayValue()!).toString('base64') };
    case ion.IonTypes.LIST:
    case ion.IonTypes.SEXP: {
      const elements: AttributeValue[] = [];
      reader.stepIn();
      for (let next = reader.next(); next; next = reader.next()) elements.push(readValue(reader, next, depth + 1));
      reader.stepOut();
      const set = annotations.map((a) => SET_ANNOTATION.exec(a)?.[1]).find(Boolean) as 'SS' | 'NS' | 'BS' | undefined;
      if (!set) return { L: elements };
      const member = set === 'SS' ? 'S' : set === 'NS' ? 'N' : 'B';
      return { [set]: elements.map((e) => (e as Record<string, string>)[member] ?? fail(`a ${set} holds a value that is not ${member}`)) } as AttributeValue;
    }
    case ion.IonTypes.STRUCT:
      return { M: readStruct(reader, depth + 1) };
    default:
      return fail(`Ion ${type.name} has no DynamoDB type`);
  }
}

function readStruct(reader: ion.Reader, depth: number): Item {
  const out: Item = {};
  reader.stepIn();
  for (let next = reader.next(); next; next = reader.next()) setOwn(out, reader.fieldName()!, readValue(reader, next, depth));
  reader.stepOut();
  return out;
}

function fail(message: string): never {
  throw new Error(message);
}

/** The items of an Ion export file, one per line (undefined for a line that is not an item). */
export function itemsFromIon(text: string): (Item | undefined)[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        const reader = ion.makeReader(line);
        if (reader.next() !== ion.IonTypes.STRUCT) return undefined;
        const item = readStruct(reader, 0).Item;
        return item && 'M' in item ? item.M : undefined;
      } catch {
        return undefined;
      }
    });
}
