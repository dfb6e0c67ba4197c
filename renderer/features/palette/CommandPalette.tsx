import { useEffect, useMemo, useRef, useState } from 'react';
import { useCommandRegistry, type Command } from '../../app/commands.tsx';
import { Kbd } from '../../shared/ui.tsx';

/** Scores a command against the query: every word must appear; earlier and word-start matches rank higher. */
export function matchScore(command: Command, query: string): number {
  const text = `${command.group} ${command.title}`.toLowerCase();
  let score = 0;
  for (const word of query.toLowerCase().split(/\s+/).filter(Boolean)) {
    const at = text.indexOf(word);
    if (at < 0) return -1;
    score += at === 0 || text[at - 1] === ' ' ? 10 : 1;
  }
  return score;
}

export function CommandPalette({ onClose }: { onClose(): void }) {
  const registry = useCommandRegistry();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const dialog = useRef<HTMLDialogElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const commands = useMemo(() => {
    const all = registry.list().filter((c) => c.id !== 'palette');
    if (!query.trim()) return all;
    return all
      .map((c) => ({ c, s: matchScore(c, query) }))
      .filter((x) => x.s >= 0)
      .sort((a, b) => b.s - a.s)
      .map((x) => x.c);
    // registry.version changes whenever views register commands.
  }, [registry, registry.version, query]);

  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const run = (command: Command | undefined) => {
    if (!command) return;
    onClose();
    // Let the palette close first so the command's own dialog gets focus.
    setTimeout(() => command.run(), 0);
  };

  return (
    <dialog
      ref={dialog}
      className="palette"
      aria-label="Command palette"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => e.target === dialog.current && onClose()}
    >
      <input
        className="palette-input"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={commands[active] ? `palette-option-${active}` : undefined}
        aria-label="Type a command or table name"
        placeholder="Type a command or table name…"
        autoFocus
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((a) => Math.min(commands.length - 1, a + 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((a) => Math.max(0, a - 1));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            run(commands[active]);
          }
        }}
      />
      <ul id="palette-list" className="palette-list" role="listbox" aria-label="Commands" ref={listRef}>
        {commands.map((command, index) => (
          <li
            key={`${command.group}:${command.id}:${command.title}`}
            id={`palette-option-${index}`}
            data-index={index}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'active' : ''}
            onMouseMove={() => setActive(index)}
            onClick={() => run(command)}
          >
            <span className="palette-group">{command.group}</span>
            <span className="palette-title">{command.title}</span>
            {command.shortcut ? <Kbd keys={command.shortcut} /> : null}
          </li>
        ))}
        {commands.length === 0 ? <li className="palette-empty">No matching commands</li> : null}
      </ul>
    </dialog>
  );
}
