/**
 * Monaco, bundled locally and loaded only when an editor opens. Only the editor core, the JSON
 * language and a few contributions are pulled in, and its workers are built by Vite (`?worker`),
 * so nothing is fetched from a CDN and the CSP's worker-src 'self' blob: is enough.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codicon/codicon.css';
import 'monaco-editor/esm/vs/editor/contrib/bracketMatching/browser/bracketMatching.js';
import 'monaco-editor/esm/vs/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/esm/vs/editor/contrib/comment/browser/comment.js';
import 'monaco-editor/esm/vs/editor/contrib/contextmenu/browser/contextmenu.js';
import 'monaco-editor/esm/vs/editor/contrib/folding/browser/folding.js';
import 'monaco-editor/esm/vs/editor/contrib/format/browser/formatActions.js';
import 'monaco-editor/esm/vs/editor/contrib/hover/browser/hoverContribution.js';
import 'monaco-editor/esm/vs/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/esm/vs/editor/contrib/wordHighlighter/browser/wordHighlighter.js';
import 'monaco-editor/esm/vs/features/find/register.js';
// Services that the contributions above ask for but do not register themselves.
import 'monaco-editor/esm/vs/editor/contrib/codelens/browser/codeLensCache.js';
import 'monaco-editor/esm/vs/editor/common/services/treeViewsDndService.js';
import { jsonDefaults } from 'monaco-editor/esm/vs/languages/features/json/register.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import JsonWorker from 'monaco-editor/esm/vs/language/json/json.worker.js?worker';

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

export const DYNAMODB_MODEL_URI = 'inmemory://dynamo-lens/item.dynamodb.json';

const attributeValueSchema = {
  $id: 'dynamo-lens://attribute-value',
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  properties: {
    S: { type: 'string' },
    N: { type: 'string', pattern: '^[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?$' },
    B: { type: 'string' },
    BOOL: { type: 'boolean' },
    NULL: { const: true },
    M: { type: 'object', additionalProperties: { $ref: 'dynamo-lens://attribute-value' } },
    L: { type: 'array', items: { $ref: 'dynamo-lens://attribute-value' } },
    SS: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
    NS: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
    BS: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
  },
  additionalProperties: false,
};

// Squiggles for DynamoDB JSON while typing; the same rules are enforced again before saving.
jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: false,
  schemas: [
    { uri: 'dynamo-lens://attribute-value', schema: attributeValueSchema },
    {
      uri: 'dynamo-lens://item',
      fileMatch: [DYNAMODB_MODEL_URI],
      schema: { type: 'object', additionalProperties: { $ref: 'dynamo-lens://attribute-value' } },
    },
  ],
});

export { monaco };
