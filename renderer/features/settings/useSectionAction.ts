import { useState } from 'react';

/**
 * What a settings section that runs one action at a time keeps: whether one is running, its
 * error or its outcome, and a version bumped after each success so the section reads its state again.
 */
export function useSectionAction() {
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);

  /** Runs `work`; the sentence it returns becomes the notice. */
  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await work());
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { version, busy, error, setError, notice, act };
}
