import { useEffect, useRef } from 'react';
import { currentTheme } from '../../app/theme.ts';
import { monaco } from '../editor/monacoSetup.ts';
import { PARTIQL_LANGUAGE, registerPartiql } from './partiqlLanguage.ts';

/** An error to show on the script: offsets into its text and the service's message. */
export interface ScriptMarker {
  start: number;
  end: number;
  message: string;
}

/** Monaco for PartiQL. Default export so React.lazy loads it (and Monaco) with the view. */
export default function PartiqlEditor({
  initialValue,
  onChange,
  onRun,
  markers,
}: {
  initialValue: string;
  onChange(value: string): void;
  onRun(): void;
  markers: ScriptMarker[];
}) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };

  useEffect(() => {
    registerPartiql();
    const model = monaco.editor.createModel(initialValue, PARTIQL_LANGUAGE);
    const editor = monaco.editor.create(host.current!, {
      model,
      theme: currentTheme() === 'dark' ? 'vs-dark' : 'vs',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      lineNumbersMinChars: 3,
      scrollBeyondLastLine: false,
      fixedOverflowWidgets: true,
      wordBasedSuggestions: 'off',
      ariaLabel: 'PartiQL statements',
    });
    editorRef.current = editor;
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => callbacks.current.onRun());
    const subscription = model.onDidChangeContent(() => callbacks.current.onChange(model.getValue()));
    const onTheme = (event: Event) => monaco.editor.setTheme((event as CustomEvent<string>).detail === 'dark' ? 'vs-dark' : 'vs');
    window.addEventListener('dynamo-lens-theme', onTheme);
    editor.focus();
    return () => {
      window.removeEventListener('dynamo-lens-theme', onTheme);
      subscription.dispose();
      editor.dispose();
      model.dispose();
      editorRef.current = null;
    };
    // The editor is created once; its text is the user's from then on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'dynamo-lens',
      markers.map((m) => {
        const from = model.getPositionAt(m.start);
        const to = model.getPositionAt(Math.max(m.end, m.start + 1));
        return { severity: monaco.MarkerSeverity.Error, message: m.message, startLineNumber: from.lineNumber, startColumn: from.column, endLineNumber: to.lineNumber, endColumn: to.column };
      }),
    );
  }, [markers]);

  return <div className="code-editor" ref={host} data-testid="partiql-editor" />;
}
