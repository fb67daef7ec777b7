// Holds the live board: one /ws connection for the whole page (pipeline events, agent
// statuses, run streams), the REST snapshot, and the refetches the reducer asks for.
// Messages are applied in batches, once per frame, so a burst of events costs one render.
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef } from "react";
import type { ReactNode } from "react";
import { api } from "../api/client";
import type { RunEvent, RunEventMessage, ServerMessage } from "../api/types";
import { defaultSocketUrl, EventSocket } from "../ws/socket";
import { publishNotification } from "./notificationBus";
import type { SubscribeMessage } from "../ws/socket";
import { boardReducer, initialBoard } from "./boardReducer";
import type { BoardAction, BoardState } from "./boardReducer";

type RunListener = (events: RunEvent[]) => void;

export interface BoardContextValue {
  state: BoardState;
  dispatch: (action: BoardAction) => void;
  /** Reload the pipeline and the roster now (after an action of ours). */
  refresh: () => void;
  /** Streams run `run`'s events from `afterSeq()` (asked again at each reconnect). */
  subscribeRun: (run: number, afterSeq: () => number, listener: RunListener) => () => void;
}

const BoardContext = createContext<BoardContextValue | null>(null);

export function useBoard(): BoardContextValue {
  const value = useContext(BoardContext);
  if (!value) throw new Error("useBoard outside BoardProvider");
  return value;
}

export function BoardProvider({ children, url }: { children: ReactNode; url?: string }) {
  const [state, dispatch] = useReducer(boardReducer, initialBoard);
  // The last seq the board applied, for the pipeline subscription's after_seq at a reconnect.
  const lastSeq = useRef<number | null>(null);
  useEffect(() => {
    lastSeq.current = state.lastSeq;
  }, [state.lastSeq]);
  const runListeners = useRef(new Map<number, Set<RunListener>>());
  // Each run's subscribe message builder: kept here too, because a view's effect can subscribe
  // before this provider's effect has made the socket (children's effects run first).
  const runSubscriptions = useRef(new Map<number, () => SubscribeMessage>());
  const socketRef = useRef<EventSocket | null>(null);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const loading = useRef(false);
  const again = useRef(false);

  const load = useMemo(() => {
    const run = async () => {
      if (loading.current) {
        again.current = true;
        return;
      }
      loading.current = true;
      try {
        const [pipeline, agents] = await Promise.allSettled([api.pipeline(), api.agents()]);
        if (pipeline.status === "fulfilled") dispatch({ type: "snapshot", pipeline: pipeline.value });
        if (agents.status === "fulfilled") dispatch({ type: "agents", agents: agents.value.agents });
      } finally {
        loading.current = false;
        if (again.current) {
          again.current = false;
          void run();
        }
      }
    };
    return run;
  }, []);

  const scheduleLoad = useMemo(
    () => (delayMs: number) => {
      if (refetchTimer.current) return;
      refetchTimer.current = setTimeout(() => {
        refetchTimer.current = null;
        void load();
      }, delayMs);
    },
    [load],
  );

  useEffect(() => {
    let queue: ServerMessage[] = [];
    let frame: number | null = null;
    let fallback: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      if (frame !== null) cancelAnimationFrame(frame);
      if (fallback !== null) clearTimeout(fallback);
      frame = null;
      fallback = null;
      const messages = queue;
      queue = [];
      const board: ServerMessage[] = [];
      const runs = new Map<number, RunEvent[]>();
      for (const message of messages) {
        if (message.type === "run_event") {
          const list = runs.get(message.run_id) ?? [];
          list.push(toRunEvent(message));
          runs.set(message.run_id, list);
        } else if (message.type === "notification") {
          publishNotification(message.notification);
        } else if (message.type === "error") {
          console.warn("stork /ws:", message.message);
        } else {
          board.push(message);
        }
      }
      if (board.length) dispatch({ type: "messages", messages: board });
      for (const [run, events] of runs)
        for (const listener of runListeners.current.get(run) ?? []) listener(events);
    };
    const socket = new EventSocket({
      url: url ?? defaultSocketUrl(),
      onMessage: (message) => {
        queue.push(message);
        // A frame when the page is visible; the timer covers a hidden page.
        if (frame === null) frame = requestAnimationFrame(flush);
        if (fallback === null) fallback = setTimeout(flush, 50);
      },
      onState: (connection) => dispatch({ type: "connection", state: connection }),
      onOpen: () => void load(),
    });
    socket.subscribe("pipeline", () =>
      lastSeq.current === null
        ? { type: "subscribe", pipeline: true }
        : { type: "subscribe", pipeline: true, after_seq: lastSeq.current },
    );
    socket.subscribe("agents", () => ({ type: "subscribe", agents: true }));
    for (const [run, build] of runSubscriptions.current) socket.subscribe(`run:${run}`, build);
    socketRef.current = socket;
    socket.start();
    return () => {
      socket.close();
      if (frame !== null) cancelAnimationFrame(frame);
      if (fallback !== null) clearTimeout(fallback);
    };
  }, [url, load]);

  useEffect(() => {
    if (state.refetch > 0) scheduleLoad(150);
  }, [state.refetch, scheduleLoad]);

  useEffect(() => {
    if (state.resubscribe === 0) return;
    const socket = socketRef.current;
    if (!socket) return;
    socket.resubscribe("pipeline");
    socket.resubscribe("agents");
    for (const run of runListeners.current.keys()) socket.resubscribe(`run:${run}`);
  }, [state.resubscribe]);

  // Stable across renders: a run's subscription must not be torn down by board updates.
  const subscribeRun = useCallback<BoardContextValue["subscribeRun"]>((run, afterSeq, listener) => {
    const listeners = runListeners.current;
    if (!listeners.has(run)) listeners.set(run, new Set());
    listeners.get(run)!.add(listener);
    const build = () => ({ type: "subscribe", run, after_seq: afterSeq() });
    runSubscriptions.current.set(run, build);
    socketRef.current?.subscribe(`run:${run}`, build);
    return () => {
      const set = listeners.get(run);
      set?.delete(listener);
      if (set && set.size === 0) {
        listeners.delete(run);
        runSubscriptions.current.delete(run);
        socketRef.current?.unsubscribe(`run:${run}`, { type: "unsubscribe", run });
      }
    };
  }, []);
  const refresh = useCallback(() => void load(), [load]);

  const value = useMemo<BoardContextValue>(
    () => ({ state, dispatch, refresh, subscribeRun }),
    [state, refresh, subscribeRun],
  );

  return <BoardContext.Provider value={value}>{children}</BoardContext.Provider>;
}

function toRunEvent(message: RunEventMessage): RunEvent {
  return {
    seq: message.seq,
    time_ms: message.time_ms,
    type: message.event_type,
    payload: message.payload ?? {},
  };
}
