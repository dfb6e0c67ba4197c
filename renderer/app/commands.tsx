import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

/** Something the user can do from the palette, a shortcut or a native menu. */
export interface Command {
  id: string;
  title: string;
  group: string;
  /** Shown in the palette, e.g. "Ctrl+K" or "N". */
  shortcut?: string;
  run(): void;
}

interface Registry {
  register(owner: string, commands: Command[]): () => void;
  list(): Command[];
  run(id: string): boolean;
  version: number;
}

const RegistryContext = createContext<Registry | null>(null);

/** Views register the commands they can run now; the palette and shortcuts find them here. */
export function CommandProvider({ children }: { children: ReactNode }) {
  const owners = useRef(new Map<string, Command[]>());
  const [version, setVersion] = useState(0);
  const registry = useRef<Registry>(null as unknown as Registry);
  registry.current = {
    version,
    register(owner, commands) {
      owners.current.set(owner, commands);
      setVersion((v) => v + 1);
      return () => {
        if (owners.current.get(owner) === commands) {
          owners.current.delete(owner);
          setVersion((v) => v + 1);
        }
      };
    },
    list() {
      return [...owners.current.values()].flat();
    },
    run(id) {
      // Later registrations (the focused view) win over earlier ones (the shell).
      const match = [...owners.current.values()].flat().reverse().find((c) => c.id === id);
      if (!match) return false;
      match.run();
      return true;
    },
  };
  return <RegistryContext.Provider value={registry.current}>{children}</RegistryContext.Provider>;
}

export function useCommandRegistry(): Registry {
  const registry = useContext(RegistryContext);
  if (!registry) throw new Error('useCommandRegistry outside CommandProvider');
  return registry;
}

/** Registers commands for as long as the calling component is mounted; re-registers when deps change. */
export function useCommands(owner: string, commands: Command[], deps: unknown[]): void {
  const registry = useCommandRegistry();
  const latest = useRef(commands);
  latest.current = commands;
  useEffect(
    () =>
      registry.register(
        owner,
        commands.map((c) => ({ ...c, run: () => latest.current.find((l) => l.id === c.id)?.run() })),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [owner, ...deps],
  );
}
