/**
 * PartiQL for Monaco: a Monarch tokenizer (DynamoDB's subset: SELECT/INSERT/UPDATE/DELETE, its
 * functions, 'strings', "quoted names", ? parameters, << bags >>, comments) and completion of
 * table names, "Table"."Index" paths, attribute names seen so far and keywords. The completion
 * words come from whichever PartiQL view is open, through `setCompletionWords`.
 */
import { monaco } from '../editor/monacoSetup.ts';

export const PARTIQL_LANGUAGE = 'partiql';

const KEYWORDS = [
  'SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'IS', 'BETWEEN', 'MISSING', 'NULL', 'TRUE', 'FALSE',
  'INSERT', 'INTO', 'VALUE', 'UPDATE', 'SET', 'REMOVE', 'DELETE', 'RETURNING', 'ALL', 'MODIFIED', 'NEW', 'OLD',
  'ORDER', 'BY', 'ASC', 'DESC', 'EXISTS',
];
const FUNCTIONS = ['begins_with', 'contains', 'attribute_type', 'size', 'list_append', 'set_add', 'set_delete'];

export interface CompletionWords {
  tables: string[];
  /** Index names by table. */
  indexes: Record<string, string[]>;
  attributes: string[];
}

let words: CompletionWords = { tables: [], indexes: {}, attributes: [] };

export function setCompletionWords(next: CompletionWords): void {
  words = next;
}

let registered = false;

/** Registers the language once; editors created afterwards can use it. */
export function registerPartiql(): void {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: PARTIQL_LANGUAGE });
  monaco.languages.setMonarchTokensProvider(PARTIQL_LANGUAGE, {
    ignoreCase: true,
    keywords: KEYWORDS,
    functions: FUNCTIONS,
    tokenizer: {
      root: [
        [/--.*$/, 'comment'],
        [/\/\*/, 'comment', '@comment'],
        [/'/, 'string', '@string'],
        [/"/, 'type.identifier', '@quoted'],
        [/\?/, 'variable.parameter'],
        [/<<|>>/, 'delimiter.bracket'],
        [/[{}()[\]]/, '@brackets'],
        [/-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/, 'number'],
        [/[a-zA-Z_][\w]*/, { cases: { '@keywords': 'keyword', '@functions': 'predefined', '@default': 'identifier' } }],
        [/[<>=!]=?|<>|[+\-*/.,:]/, 'operator'],
        [/\s+/, 'white'],
      ],
      comment: [
        [/[^*]+/, 'comment'],
        [/\*\//, 'comment', '@pop'],
        [/\*/, 'comment'],
      ],
      string: [
        [/[^']+/, 'string'],
        [/''/, 'string.escape'],
        [/'/, 'string', '@pop'],
      ],
      quoted: [
        [/[^"]+/, 'type.identifier'],
        [/""/, 'type.identifier'],
        [/"/, 'type.identifier', '@pop'],
      ],
    },
  });
  monaco.languages.setLanguageConfiguration(PARTIQL_LANGUAGE, {
    comments: { lineComment: '--', blockComment: ['/*', '*/'] },
    brackets: [
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
      ['<<', '>>'],
    ],
    autoClosingPairs: [
      { open: "'", close: "'", notIn: ['string'] },
      { open: '"', close: '"', notIn: ['string'] },
      { open: '(', close: ')' },
      { open: '{', close: '}' },
      { open: '[', close: ']' },
    ],
  });
  monaco.languages.registerCompletionItemProvider(PARTIQL_LANGUAGE, {
    triggerCharacters: ['"', '.'],
    provideCompletionItems(model, position) {
      const line = model.getLineContent(position.lineNumber);
      const before = line.slice(0, position.column - 1);
      // Replace what is being typed, its opening quote included, so a pick never doubles quotes.
      const typed = /"?[\w.-]*"?(\."?[\w.-]*)?$/.exec(before)?.[0] ?? '';
      const range = new monaco.Range(position.lineNumber, position.column - typed.length, position.lineNumber, position.column);
      const Kind = monaco.languages.CompletionItemKind;
      const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
      const suggestions: monaco.languages.CompletionItem[] = [];
      for (const table of words.tables) {
        suggestions.push({ label: quote(table), kind: Kind.Class, insertText: quote(table), range, detail: 'table' });
        for (const index of words.indexes[table] ?? []) {
          const path = `${quote(table)}.${quote(index)}`;
          suggestions.push({ label: path, kind: Kind.Interface, insertText: path, range, detail: `index of ${table}` });
        }
      }
      for (const attribute of words.attributes) {
        const simple = /^[A-Za-z_]\w*$/.test(attribute) && !KEYWORDS.includes(attribute.toUpperCase());
        suggestions.push({ label: attribute, kind: Kind.Field, insertText: simple ? attribute : quote(attribute), range, detail: 'attribute', filterText: attribute });
      }
      if (!typed.startsWith('"')) {
        for (const keyword of KEYWORDS) suggestions.push({ label: keyword, kind: Kind.Keyword, insertText: keyword, range });
        for (const fn of FUNCTIONS) suggestions.push({ label: fn, kind: Kind.Function, insertText: `${fn}(`, range });
      }
      return { suggestions };
    },
  });
}
