// The official MCP TypeScript SDK's client against the real `stork serve`: connect with
// StreamableHTTPClientTransport, list tools, call get_story_todos on an item made with the
// stork CLI, call it with a wrong argument type, and check which response mode each request
// got (tools/list as JSON, tools/call as SSE) through a fetch wrapper that records the
// responses' content types. Then SIGTERM the server: it must exit 0.
//
// Usage: node mcp_sdk_client.mjs /path/to/stork   (ctest: mcp_sdk_client_e2e, label e2e)
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!existsSync(path.join(here, 'node_modules', '@modelcontextprotocol', 'sdk'))) {
  console.error('mcp_sdk_client: @modelcontextprotocol/sdk is not installed; run scripts/setup');
  process.exit(1);
}
const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = await import(
  '@modelcontextprotocol/sdk/client/streamableHttp.js'
);

const stork = process.argv[2];
assert.ok(stork && existsSync(stork), `usage: node mcp_sdk_client.mjs STORK_BINARY (got ${stork})`);

function run(cwd, program, args) {
  return execFileSync(program, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// A fresh repository with a stork project and one item with two criteria.
function makeProject() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stork-mcp-sdk-'));
  run(dir, 'git', ['init', '-q', '-b', 'main']);
  run(dir, 'git', ['config', 'user.email', 'e2e@example.invalid']);
  run(dir, 'git', ['config', 'user.name', 'e2e']);
  run(dir, 'git', ['commit', '-q', '--allow-empty', '-m', 'start']);
  run(dir, stork, ['init']);
  const id = run(dir, stork, [
    'story', 'new', '--name', 'Say hello', '--criterion', 'prints hello', '--criterion',
    'exits zero',
  ]).trim();
  return { dir, id };
}

// Starts `stork serve --port 0` and resolves with its URL once it says it is listening. The
// project is a bare `stork init` (a Claude Code roster, nothing committed): only the MCP
// endpoint is under test, so the setup checks of `stork doctor` are skipped.
function startServer(dir) {
  const child = spawn(stork, ['serve', '--port', '0', '--project', dir, '--skip-doctor'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const listening = new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = stdout.match(/listening on (http:\/\/\S+)/);
      if (match) resolve(match[1]);
    });
    exited.then(({ code }) => reject(new Error(`stork serve exited with ${code}:\n${stderr}`)));
    const timer = setTimeout(
      () => reject(new Error(`stork serve did not listen within 20 s:\n${stderr}`)),
      20000,
    );
    timer.unref();  // must not keep node alive once the test is done
  });
  return { child, exited, listening, stderr: () => stderr };
}

// What each response to a JSON-RPC request came back as.
const responses = [];
async function recordingFetch(url, init) {
  const response = await fetch(url, init);
  let rpcMethod;
  if (typeof init?.body === 'string') {
    try {
      rpcMethod = JSON.parse(init.body).method;
    } catch {
      rpcMethod = undefined;
    }
  }
  responses.push({
    httpMethod: init?.method ?? 'GET',
    rpcMethod,
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
  });
  return response;
}

function modeOf(rpcMethod) {
  const seen = responses.filter((r) => r.rpcMethod === rpcMethod);
  assert.ok(seen.length > 0, `no response recorded for ${rpcMethod}`);
  return seen.map((r) => (r.contentType.startsWith('text/event-stream') ? 'sse' : 'json'));
}

const { dir, id } = makeProject();
const server = startServer(dir);
let passed = 0;
try {
  const url = await server.listening;
  const client = new Client({ name: 'stork-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
    fetch: recordingFetch,
  });
  await client.connect(transport);
  assert.equal(client.getServerVersion()?.name, 'storkit');
  passed++;

  const { tools } = await client.listTools();
  const names = tools.map((tool) => tool.name);
  for (const expected of ['get_story_todos', 'list_agents']) {
    assert.ok(names.includes(expected), `tools/list lacks ${expected}: ${names.join(', ')}`);
  }
  passed++;

  const todos = await client.callTool({ name: 'get_story_todos', arguments: { story_id: id } });
  assert.notEqual(todos.isError, true, JSON.stringify(todos));
  const listed = JSON.parse(todos.content[0].text);
  assert.equal(listed.story_id, id);
  assert.deepEqual(
    listed.criteria.map((c) => [c.text, c.checked]),
    [['prints hello', false], ['exits zero', false]],
  );
  passed++;

  const wrong = await client.callTool({ name: 'get_story_todos', arguments: { story_id: 42 } });
  assert.equal(wrong.isError, true, JSON.stringify(wrong));
  assert.match(wrong.content[0].text, /story_id/);
  passed++;

  assert.deepEqual(modeOf('tools/list'), ['json']);
  assert.deepEqual(modeOf('tools/call'), ['sse', 'sse']);
  assert.deepEqual(modeOf('initialize'), ['json']);
  passed++;

  await transport.terminateSession();
  await client.close();
} catch (error) {
  console.error(error);
  console.error(`stork serve stderr:\n${server.stderr()}`);
  console.log(`${passed} passed, 1 failed`);
  server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}

server.child.kill('SIGTERM');
const timer = setTimeout(() => server.child.kill('SIGKILL'), 10000);
const { code, signal } = await server.exited;
clearTimeout(timer);
rmSync(dir, { recursive: true, force: true });
if (code !== 0) {
  console.error(`stork serve exited with ${code ?? signal} after SIGTERM:\n${server.stderr()}`);
  console.log(`${passed} passed, 1 failed`);
  process.exit(1);
}
passed++;
console.log(`${passed} passed, 0 failed`);
