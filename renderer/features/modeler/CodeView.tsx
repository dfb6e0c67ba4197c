import { useMemo, useState } from 'react';
import type { ConnectionInfo, DataModel, ModelTable, Namespace } from '../../../electron/contract.ts';
import { copyText } from '../../shared/clipboard.ts';
import { Icon } from '../../shared/icons.tsx';
import { runParameters, type SampleItem } from '../../shared/modeler/sampleData.ts';
import { codeTargetOf } from '../query/codegen.ts';
import { accessPatternJavaScript, accessPatternPython, dataAccessModule } from './modelCodegen.ts';

const MODULE = '\u0000module';

/**
 * Code for one access pattern (a runnable JavaScript or boto3 sample, called with the parameters a
 * run uses), or the typed data-access module for the whole model.
 */
export function CodeView({ model, table, samples, connection, namespace }: { model: DataModel; table: ModelTable; samples: SampleItem[]; connection: ConnectionInfo; namespace: Namespace | undefined }) {
  const [chosen, setChosen] = useState(table.accessPatterns[0]?.name ?? MODULE);
  const [language, setLanguage] = useState<'javascript' | 'python'>('javascript');
  const pattern = table.accessPatterns.find((p) => p.name === chosen);
  const code = useMemo(() => {
    try {
      if (!pattern) return dataAccessModule(model);
      const target = codeTargetOf(connection, namespace);
      const values = runParameters(table, pattern, samples);
      return language === 'javascript' ? accessPatternJavaScript(table, pattern, target, values) : accessPatternPython(table, pattern, target, values);
    } catch (error) {
      return `// ${(error as Error).message}`;
    }
  }, [model, table, pattern, samples, connection, namespace, language]);

  return (
    <div className="modeler-scroll">
      <div className="query-row facet-picker">
        <select aria-label="Code for" value={pattern ? chosen : MODULE} onChange={(e) => setChosen(e.target.value)}>
          {table.accessPatterns.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
          <option value={MODULE}>Data-access module for the model (TypeScript)</option>
        </select>
        {pattern ? (
          <div className="segmented" role="radiogroup" aria-label="Language">
            {(
              [
                ['javascript', 'JavaScript (SDK v3)'],
                ['python', 'Python (boto3)'],
              ] as const
            ).map(([id, label]) => (
              <button key={id} type="button" role="radio" aria-checked={language === id} className={language === id ? 'on' : ''} onClick={() => setLanguage(id)}>
                {label}
              </button>
            ))}
          </div>
        ) : null}
        <button type="button" className="button small" onClick={() => void copyText(code)}>
          <Icon name="copy" size={12} /> Copy
        </button>
        <span className="view-note">{pattern ? 'Called with the parameters a run uses.' : 'Pass it your DynamoDBDocumentClient.'}</span>
      </div>
      <pre className="code-block model-code" aria-label="Generated code">
        {code}
      </pre>
    </div>
  );
}
