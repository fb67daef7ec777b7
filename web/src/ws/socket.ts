// The /ws connection: reconnects with exponential backoff and re-sends every subscription
// after each (re)connect. A subscription is a function building its subscribe message, so it
// can name the last seq seen at the moment of reconnecting (the server then replays what was
// missed, docs/api.md "WebSocket").
import type { ServerMessage } from "../api/types";

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

export interface SocketOptions {
  url: string;
  onMessage: (message: ServerMessage) => void;
  onState?: (state: ConnectionState) => void;
  /** Called after each successful (re)connect, once every subscription has been re-sent. */
  onOpen?: (reconnected: boolean) => void;
  minDelayMs?: number;
  maxDelayMs?: number;
  createSocket?: (url: string) => WebSocket;
}

export type SubscribeMessage = Record<string, unknown>;

export function backoffDelay(attempt: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.max(0, attempt));
}

export class EventSocket {
  private socket: WebSocket | null = null;
  private readonly subscriptions = new Map<string, () => SubscribeMessage>();
  private attempt = 0;
  private everOpened = false;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: SocketOptions) {}

  start(): void {
    this.closed = false;
    this.connect();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.socket?.close();
    this.socket = null;
    this.options.onState?.("closed");
  }

  /** Adds or replaces the subscription `key`; sent now when connected, and after each reconnect. */
  subscribe(key: string, build: () => SubscribeMessage): void {
    this.subscriptions.set(key, build);
    this.send(build());
  }

  unsubscribe(key: string, message: SubscribeMessage): void {
    if (this.subscriptions.delete(key)) this.send(message);
  }

  /** Re-sends one subscription (after a resync or a gap), building its message anew. */
  resubscribe(key: string): void {
    const build = this.subscriptions.get(key);
    if (build) this.send(build());
  }

  private send(message: SubscribeMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private connect(): void {
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url));
    this.options.onState?.(this.everOpened ? "reconnecting" : "connecting");
    const socket = create(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.options.onState?.("open");
      for (const build of this.subscriptions.values()) socket.send(JSON.stringify(build()));
      this.options.onOpen?.(reconnected);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket) return;
      let message: ServerMessage;
      try {
        message = JSON.parse(String(event.data)) as ServerMessage;
      } catch {
        return; // the server only sends JSON; anything else is not ours to act on
      }
      this.options.onMessage(message);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closed) return;
      this.options.onState?.("reconnecting");
      const delay = backoffDelay(
        this.attempt++,
        this.options.minDelayMs ?? 200,
        this.options.maxDelayMs ?? 3000,
      );
      this.timer = setTimeout(() => {
        this.timer = null;
        if (!this.closed) this.connect();
      }, delay);
    };
    socket.onerror = () => {
      // onclose follows and schedules the reconnect.
    };
  }
}

export function defaultSocketUrl(): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws`;
}
