// A reference MCP server built with the official TypeScript SDK, for bench/serve_load.sh to
// measure stork's /mcp against: Streamable HTTP with sessions and JSON responses
// (StreamableHTTPServerTransport, enableJsonResponse), one low-level Server per session, as the
// SDK's own session example does. It exposes exactly the tool list it is given (stork's own
// tools/list result, saved by the script), so both servers serialise the same payload.
//
// Usage: node bench/ts_mcp_server.mjs TOOLS_JSON [PORT]
//   TOOLS_JSON: a file holding {"tools":[...]} (a tools/list result); PORT 0 (default) picks
//   a free one. Prints "listening on http://127.0.0.1:PORT" once ready. Loopback only.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const sdk = path.join(here, '..', 'tests', 'e2e', 'node_modules', '@modelcontextprotocol', 'sdk',
                      'dist', 'esm');
const load = (file) => import(pathToFileURL(path.join(sdk, file)).href);
const { Server } = await load('server/index.js');
const { StreamableHTTPServerTransport } = await load('server/streamableHttp.js');
const { ListToolsRequestSchema, isInitializeRequest } = await load('types.js');

const [toolsFile, portArg = '0'] = process.argv.slice(2);
if (!toolsFile) {
  console.error('usage: node ts_mcp_server.mjs TOOLS_JSON [PORT]');
  process.exit(2);
}
const { tools } = JSON.parse(readFileSync(toolsFile, 'utf8'));
if (!Array.isArray(tools) || tools.length === 0) {
  console.error(`ts_mcp_server: ${toolsFile} has no "tools" array`);
  process.exit(1);
}

function newSessionServer() {
  const server = new Server({ name: 'ts-reference', version: '1.0.0' },
                            { capabilities: { tools: {} } });
  // The exact list, name/description/inputSchema and every other field as stork sent them.
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  return server;
}

const transports = new Map();  // Mcp-Session-Id → transport

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function jsonError(res, status, message) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

const httpServer = http.createServer(async (req, res) => {
  try {
    if (req.url !== '/mcp') return jsonError(res, 404, 'not found');
    let body;
    if (req.method === 'POST') {
      const text = await readBody(req);
      try {
        body = JSON.parse(text);
      } catch {
        return jsonError(res, 400, 'Parse error');
      }
    }
    const sessionId = req.headers['mcp-session-id'];
    let transport = sessionId ? transports.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId || req.method !== 'POST' || !isInitializeRequest(body)) {
        return jsonError(res, sessionId ? 404 : 400, 'no valid session');
      }
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (id) => transports.set(id, transport),
      });
      transport.onclose = () => {
        if (transport.sessionId) transports.delete(transport.sessionId);
      };
      await newSessionServer().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  } catch (err) {
    console.error('ts_mcp_server:', err);
    if (!res.headersSent) jsonError(res, 500, String(err));
  }
});

httpServer.listen(Number(portArg), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${httpServer.address().port}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => httpServer.close(() => process.exit(0)).closeAllConnections());
}
