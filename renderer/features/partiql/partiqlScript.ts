/**
 * A PartiQL script as the editor sees it: statements split at semicolons, `?` parameters counted,
 * and typed parameter values. A single linear scan tells code from 'strings' (quotes doubled
 * inside), "quoted identifiers", -- line comments and block comments, so a `;` or `?` inside
 * any of those is left alone.
 */
import { validateAttributeValue, type AttributeValue } from '../../shared/attributeValues.ts';
import { checkNumber } from '../../shared/dynamoNumbers.ts';

export interface Statement {
  text: string;
  /** Offsets into the script, for placing errors on the statement. */
  start: number;
  end: number;
  /** Offsets of this statement's `?` placeholders in the script. */
  parameters: number[];
}

/** Splits a script into statements; empty ones (only blanks or comments) are dropped. */
export function splitStatements(script: string): Statement[] {
  const statements: Statement[] = [];
  let start = 0;
  let parameters: number[] = [];
  let hasCode = false;
  const close = (end: number) => {
    const raw = script.slice(start, end);
    if (hasCode) {
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      statements.push({ text, start: start + lead, end: start + lead + text.length, parameters });
    }
    parameters = [];
    hasCode = false;
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === "'" || c === '"') {
      hasCode = true;
      // A doubled quote inside is the quote itself; an unterminated one runs to the end.
      for (i++; i < script.length; i++) {
        if (script[i] === c) {
          if (script[i + 1] === c) i++;
          else break;
        }
      }
    } else if (c === '-' && script[i + 1] === '-') {
      const newline = script.indexOf('\n', i);
      i = newline < 0 ? script.length : newline;
    } else if (c === '/' && script[i + 1] === '*') {
      const endComment = script.indexOf('*/', i + 2);
      i = endComment < 0 ? script.length : endComment + 1;
    } else if (c === ';') {
      close(i);
      start = i + 1;
    } else {
      if (c === '?') parameters.push(i);
      if (!/\s/.test(c)) hasCode = true;
    }
  }
  close(script.length);
  return statements;
}

export type ParameterType = 'S' | 'N' | 'BOOL' | 'NULL' | 'JSON';

export interface ParameterInput {
  type: ParameterType;
  value: string;
}

/** A parameter typed into the form as an attribute value; throws an Error saying what is wrong. */
export function toParameter(input: ParameterInput, position: number): AttributeValue {
  const what = `Parameter ${position}`;
  switch (input.type) {
    case 'N': {
      const number = checkNumber(input.value.trim());
      if ('error' in number) throw new Error(`${what}: ${number.error}`);
      return { N: input.value.trim() };
    }
    case 'BOOL':
      if (!/^(true|false)$/i.test(input.value.trim())) throw new Error(`${what}: write true or false`);
      return { BOOL: input.value.trim().toLowerCase() === 'true' };
    case 'NULL':
      return { NULL: true };
    case 'JSON': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(input.value);
      } catch (error) {
        throw new Error(`${what}: not valid JSON (${(error as Error).message})`);
      }
      validateAttributeValue(parsed, what);
      return parsed;
    }
    default:
      return { S: input.value };
  }
}

/** One statement as the PartiQL operations take it. */
export interface StatementRequest {
  Statement: string;
  Parameters?: AttributeValue[];
}

/** Each statement with its own slice of the script's parameters, typed; throws an Error naming a bad one. */
export function statementRequests(statements: Statement[], parameters: ParameterInput[]): StatementRequest[] {
  let next = 0;
  return statements.map((statement) => {
    const values = statement.parameters.map(() => {
      const input = parameters[next] ?? { type: 'S', value: '' };
      next++;
      return toParameter(input, next);
    });
    return { Statement: statement.text, ...(values.length ? { Parameters: values } : {}) };
  });
}

export type RunMode = 'ExecuteStatement' | 'BatchExecuteStatement' | 'ExecuteTransaction';
export const RUN_MODES: RunMode[] = ['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'];

/** What the editor holds: a saved PartiQL operation's body. */
export interface PartiqlBody {
  script: string;
  mode: RunMode;
  parameters: ParameterInput[];
  limit: string;
}

/** A PartiQL request as it was sent (from the history) as the editor's script and typed parameters. */
export function bodyFromRequest(operation: string, input: Record<string, unknown>): PartiqlBody {
  const requests = (operation === 'BatchExecuteStatement' ? input.Statements : operation === 'ExecuteTransaction' ? input.TransactStatements : [input]) as StatementRequest[];
  const parameters = requests.flatMap((r) => (r.Parameters ?? []).map(parameterInput));
  return {
    script: requests.map((r) => r.Statement).join(';\n'),
    mode: RUN_MODES.includes(operation as RunMode) ? (operation as RunMode) : 'ExecuteStatement',
    parameters,
    limit: typeof input.Limit === 'number' ? String(input.Limit) : '',
  };
}

function parameterInput(value: AttributeValue): ParameterInput {
  if ('S' in value) return { type: 'S', value: value.S };
  if ('N' in value) return { type: 'N', value: value.N };
  if ('BOOL' in value) return { type: 'BOOL', value: String(value.BOOL) };
  if ('NULL' in value) return { type: 'NULL', value: '' };
  return { type: 'JSON', value: JSON.stringify(value) };
}
