import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import { DYNAMODB_MODEL_URI, monaco } from './monacoSetup.ts';
import { currentTheme } from '../../app/theme.ts';

export interface CodeEditorHandle {
  setValue(value: string): void;
}

let modelCounter = 0;

/** A Monaco JSON editor. Default export so React.lazy can load it (and Monaco) on demand. */
const CodeEditor = forwardRef<
  CodeEditorHandle,
  { initialValue: string; format: 'dynamodb' | 'plain'; onChange(value: string): void; onSave(): void; label: string }
>(function CodeEditor({ initialValue, format, onChange, onSave, label }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const callbacks = useRef({ onChange, onSave });
  callbacks.current = { onChange, onSave };

  useEffect(() => {
    const uri = monaco.Uri.parse(format === 'dynamodb' ? DYNAMODB_MODEL_URI : `inmemory://dynamo-lens/item-${++modelCounter}.plain.json`);
    monaco.editor.getModel(uri)?.dispose();
    const model = monaco.editor.createModel(editorRef.current?.getValue() ?? initialValue, 'json', uri);
    if (!editorRef.current) {
      editorRef.current = monaco.editor.create(host.current!, {
        model,
        theme: currentTheme() === 'dark' ? 'vs-dark' : 'vs',
        automaticLayout: true,
        minimap: { enabled: false },
        fontSize: 13,
        lineNumbersMinChars: 3,
        scrollBeyondLastLine: false,
        tabSize: 2,
        fixedOverflowWidgets: true,
        ariaLabel: label,
      });
      editorRef.current.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => callbacks.current.onSave());
      editorRef.current.focus();
    } else {
      const previous = editorRef.current.getModel();
      editorRef.current.setModel(model);
      previous?.dispose();
    }
    const subscription = model.onDidChangeContent(() => callbacks.current.onChange(model.getValue()));
    return () => subscription.dispose();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [format]);

  useEffect(() => {
    const onTheme = (event: Event) => monaco.editor.setTheme((event as CustomEvent<string>).detail === 'dark' ? 'vs-dark' : 'vs');
    window.addEventListener('dynamo-lens-theme', onTheme);
    return () => {
      window.removeEventListener('dynamo-lens-theme', onTheme);
      editorRef.current?.getModel()?.dispose();
      editorRef.current?.dispose();
      editorRef.current = null;
    };
  }, []);

  useImperativeHandle(ref, () => ({
    setValue(value: string) {
      editorRef.current?.getModel()?.setValue(value);
    },
  }));

  return <div className="code-editor" ref={host} data-testid="item-editor" />;
});

export default CodeEditor;
