// WebSocket fan-out benchmark of `stork serve`'s /ws (bench/ws_fanout.sh sets up the project
// and the server and calls this). CLIENTS WebSocket clients connect to /ws; then the clock
// starts, the run is started with POST /api/agents/start (a `command` coder printing many
// lines, each an `output` event) and every client subscribes to it with after_seq 0. The clock
// stops when every client holds every event of the run: seq 1..N in order, no gap, no
// duplicate, N being the seq of the run's `done` event (its last). A `resync` (the client's send
// queue overflowed) is counted and answered as docs/api.md says: subscribe again with the last
// seq seen; the run still has to arrive complete.
//
// Usage: node --experimental-websocket bench/ws_fanout.mjs BASE_URL STORY_ID [CLIENTS]
//   BASE_URL like http://127.0.0.1:PORT. Prints one JSON line with the figures.
const [base, storyId, clientsArg = '100'] = process.argv.slice(2);
if (!base || !storyId) {
  console.error('usage: node --experimental-websocket ws_fanout.mjs BASE_URL STORY_ID [CLIENTS]');
  process.exit(2);
}
const clientCount = Number(clientsArg);
const wsUrl = base.replace(/^http/, 'ws') + '/ws';
const deadlineMs = 120_000;
const fail = (message) => {
  console.error(`ws_fanout: ${message}`);
  process.exit(1);
};
setTimeout(() => fail(`not done after ${deadlineMs / 1000} s`), deadlineMs).unref();

class Client {
  constructor(index) {
    this.index = index;
    this.lastSeq = 0;
    this.doneSeq = null;
    this.resyncs = 0;
    this.finishedAt = null;
    this.ws = new WebSocket(wsUrl);
  }
  opened() {
    return new Promise((resolve, reject) => {
      this.ws.addEventListener('open', resolve, { once: true });
      this.ws.addEventListener('error', (e) => reject(new Error(`client ${this.index}: ${e.message ?? 'error'}`)), { once: true });
    });
  }
  subscribe(runId, onFinished) {
    this.runId = runId;
    this.onFinished = onFinished;
    this.ws.addEventListener('message', (message) => this.receive(JSON.parse(message.data)));
    this.ws.addEventListener('close', () => {
      if (this.finishedAt === null) fail(`client ${this.index} closed at seq ${this.lastSeq}`);
    });
    this.send();
  }
  send() {
    this.ws.send(JSON.stringify({ type: 'subscribe', run: this.runId, after_seq: this.lastSeq }));
  }
  receive(msg) {
    if (msg.type === 'run_event') {
      if (msg.run_id !== this.runId) fail(`client ${this.index}: event of run ${msg.run_id}`);
      if (msg.seq !== this.lastSeq + 1) {
        fail(`client ${this.index}: seq ${msg.seq} after ${this.lastSeq} (gap or out of order)`);
      }
      this.lastSeq = msg.seq;
      if (msg.event_type === 'done') {
        this.doneSeq = msg.seq;
        this.finishedAt = performance.now();
        this.ws.close();
        this.onFinished(this);
      }
    } else if (msg.type === 'resync') {
      this.resyncs += 1;
      this.send();
    } else if (msg.type === 'error') {
      fail(`client ${this.index}: server error: ${msg.message}`);
    }
  }
}

const clients = Array.from({ length: clientCount }, (_, i) => new Client(i));
await Promise.all(clients.map((c) => c.opened()));

const t0 = performance.now();
const response = await fetch(`${base}/api/agents/start`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ story_id: storyId }),
});
const run = await response.json();
if (response.status !== 201) fail(`start: HTTP ${response.status}: ${JSON.stringify(run)}`);
const runId = run.run_id;
const tStarted = performance.now();

let remaining = clientCount;
const allDone = new Promise((resolve) => {
  for (const client of clients) {
    client.subscribe(runId, () => {
      remaining -= 1;
      if (remaining === 0) resolve();
    });
  }
});
await allDone;
const tEnd = performance.now();

const events = clients[0].doneSeq;
for (const c of clients) {
  if (c.doneSeq !== events) fail(`client ${c.index} got ${c.doneSeq} events, client 0 ${events}`);
}
const outputEvents = await (async () => {
  // How many of the N events are `output` lines (the rest: status changes, done).
  let after = 0, count = 0;
  for (;;) {
    const page = await (await fetch(`${base}/api/runs/${runId}/events?after=${after}&limit=10000`)).json();
    count += page.events.filter((e) => e.type === 'output').length;
    if (page.events.length === 0 || page.last_seq === after) break;
    after = page.last_seq;
    if (page.complete && page.events.length < 10000) break;
  }
  return count;
})();
const seconds = (tEnd - t0) / 1000;
const firstDone = Math.min(...clients.map((c) => c.finishedAt));
console.log(JSON.stringify({
  clients: clientCount,
  run_id: runId,
  events_per_client: events,
  output_events: outputEvents,
  start_request_ms: +(tStarted - t0).toFixed(1),
  first_client_complete_ms: +(firstDone - t0).toFixed(1),
  delivery_ms: +(tEnd - t0).toFixed(1),
  events_per_s_per_client: Math.round(events / seconds),
  deliveries_per_s: Math.round((events * clientCount) / seconds),
  resyncs: clients.reduce((n, c) => n + c.resyncs, 0),
}));
process.exit(0);
