import { useState, type ReactNode } from 'react';
import { copyText } from '../../shared/clipboard.ts';
import { Icon } from '../../shared/icons.tsx';
import type { CodeLanguage } from './codegen.ts';

const LANGUAGES: { id: CodeLanguage; label: string }[] = [
  { id: 'javascript', label: 'JavaScript' },
  { id: 'python', label: 'Python' },
  { id: 'cli', label: 'AWS CLI' },
];

/** Generated code beside a builder: a language switch, a copy button and the code itself. */
export function CodePanel({
  language,
  onLanguage,
  code,
  placeholder,
  note,
  options,
}: {
  language: CodeLanguage;
  onLanguage(language: CodeLanguage): void;
  code: string | null;
  /** Shown instead of code while the builder has a problem. */
  placeholder: string;
  note: ReactNode;
  /** Controls beside the language switch (e.g. the query builder's "All pages"). */
  options?: ReactNode;
}) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (!code) return;
    await copyText(code);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <section className="code-panel" aria-label="Generated code">
      <header className="code-header">
        <div className="segmented" role="radiogroup" aria-label="Code language">
          {LANGUAGES.map((l) => (
            <button key={l.id} type="button" role="radio" aria-checked={language === l.id} className={language === l.id ? 'on' : ''} onClick={() => onLanguage(l.id)}>
              {l.label}
            </button>
          ))}
        </div>
        {options}
        <span className="toolbar-spacer" />
        <button type="button" className="button small" onClick={() => void copy()} disabled={!code}>
          <Icon name="copy" size={12} /> {copied ? 'Copied' : 'Copy'}
        </button>
      </header>
      {code ? (
        <pre className="code-block" aria-label={`${LANGUAGES.find((l) => l.id === language)!.label} code`} tabIndex={0}>
          <code>{code}</code>
        </pre>
      ) : (
        <p className="code-placeholder">{placeholder}</p>
      )}
      <p className="code-note">{note}</p>
    </section>
  );
}
