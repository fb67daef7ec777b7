import { useCallback, useEffect, useState } from "react";

export interface AsyncState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

/** Which request an answer belongs to: the loader, the refresh key and the reload count. */
interface Settled<T> {
  load: (() => Promise<T>) | null;
  refreshKey: unknown;
  tick: number;
  data: T | null;
  error: Error | null;
}

/**
 * Runs `load` again whenever it is a new function, `refreshKey` changes or reload() is
 * called; keeps the last data while reloading. `load` must keep its identity between renders
 * unless what it loads changes: a module-level function, or useCallback with its real
 * dependencies (a new function at each render would load at each render). `refreshKey` is
 * for changes the loader does not read, e.g. the board's sequence number.
 */
export function useAsync<T>(load: () => Promise<T>, refreshKey?: unknown): AsyncState<T> {
  const [tick, setTick] = useState(0);
  const [settled, setSettled] = useState<Settled<T>>({
    load: null,
    refreshKey: undefined,
    tick: 0,
    data: null,
    error: null,
  });
  useEffect(() => {
    let cancelled = false;
    load().then(
      (data) => {
        if (!cancelled) setSettled({ load, refreshKey, tick, data, error: null });
      },
      (error: unknown) => {
        if (cancelled) return;
        const asError = error instanceof Error ? error : new Error(String(error));
        setSettled((last) => ({ ...last, load, refreshKey, tick, error: asError }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load, refreshKey, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  // Loading until the answer to the current request has come (the last data stays meanwhile).
  const loading = settled.load !== load || !Object.is(settled.refreshKey, refreshKey) || settled.tick !== tick;
  return { data: settled.data, error: settled.error, loading, reload };
}
