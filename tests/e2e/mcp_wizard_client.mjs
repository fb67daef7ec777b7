// The setup wizard through the official MCP TypeScript SDK client against the real `stork
// serve`, on a fresh `stork init` project with no agent configured (templates): wizard_status
// throughout, the refusals (confirm with no draft, a step out of order, retry of a confirmed
// step), generate / retry with feedback / confirm of the context, a server restart in the middle
// (the state comes back from state.db), the gate's draft run before its confirm (an edited
// script runs first and is confirmed once its result is seen), components skipped, the roster
// confirmed, and the files and the `storkit: setup` commit in git.
//
// Usage: node mcp_wizard_client.mjs /path/to/stork   (ctest: mcp_wizard_client_e2e, label e2e)
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!existsSync(path.join(here, 'node_modules', '@modelcontextprotocol', 'sdk'))) {
  console.error('mcp_wizard_client: @modelcontextprotocol/sdk is not installed; run scripts/setup');
  process.exit(1);
}
const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = await import(
  '@modelcontextprotocol/sdk/client/streamableHttp.js'
);

const stork = process.argv[2];
assert.ok(stork && existsSync(stork), `usage: node mcp_wizard_client.mjs STORK_BINARY (got ${stork})`);

function run(cwd, program, args) {
  return execFileSync(program, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function makeProject() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stork-wizard-'));
  run(dir, 'git', ['init', '-q', '-b', 'main']);
  run(dir, 'git', ['config', 'user.email', 'e2e@example.invalid']);
  run(dir, 'git', ['config', 'user.name', 'e2e']);
  writeFileSync(path.join(dir, 'README.md'), '# Tern\n\nTern counts seabirds from drone photographs.\n');
  run(dir, 'git', ['add', 'README.md']);
  run(dir, 'git', ['commit', '-q', '-m', 'start']);
  run(dir, stork, ['init']);
  return dir;
}

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
    const timer = setTimeout(() => reject(new Error(`stork serve did not listen within 20 s:\n${stderr}`)), 20000);
    timer.unref();
  });
  return { child, exited, listening, stderr: () => stderr };
}

async function connect(url) {
  const client = new Client({ name: 'stork-wizard-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`));
  await client.connect(transport);
  return { client, transport };
}

async function stop(server) {
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10000);
  const { code, signal } = await server.exited;
  clearTimeout(timer);
  assert.equal(code, 0, `stork serve exited with ${code ?? signal}:\n${server.stderr()}`);
}

// One tool call; the state it answers with, or the error text when `refused`.
async function call(client, name, args = {}, refused = false) {
  const result = await client.callTool({ name, arguments: args });
  const text = result.content[0].text;
  if (refused) {
    assert.equal(result.isError, true, `${name} should be refused: ${text}`);
    return text;
  }
  assert.notEqual(result.isError, true, `${name}: ${text}`);
  return JSON.parse(text);
}
const stepOf = (state, name) => state.steps.find((s) => s.step === name);

const dir = makeProject();
let server = startServer(dir);
let passed = 0;
try {
  let { client, transport } = await connect(await server.listening);
  const { tools } = await client.listTools();
  for (const name of ['wizard_status', 'wizard_generate', 'wizard_confirm', 'wizard_skip', 'wizard_retry'])
    assert.ok(tools.some((t) => t.name === name), `tools/list lacks ${name}`);
  let state = await call(client, 'wizard_status');
  assert.equal(state.current, 'context');
  assert.equal(state.specs_missing, true);
  passed++;

  // Refusals: nothing drafted, a step out of order. Nothing is written.
  const before = readFileSync(path.join(dir, '.storkit/specs/00_CONTEXT.md'), 'utf8');
  assert.match(await call(client, 'wizard_confirm', { step: 'context' }, true), /no draft/);
  assert.match(await call(client, 'wizard_generate', { step: 'gate' }, true), /comes after 'context'/);
  assert.equal(readFileSync(path.join(dir, '.storkit/specs/00_CONTEXT.md'), 'utf8'), before);
  passed++;

  state = await call(client, 'wizard_generate');
  assert.match(stepOf(state, 'context').draft, /Tern counts seabirds from drone photographs\./);
  state = await call(client, 'wizard_retry', { feedback: 'say who flies the drones' });
  assert.equal(stepOf(state, 'context').feedback, 'say who flies the drones');
  assert.match(stepOf(state, 'context').draft, /say who flies the drones/);
  state = await call(client, 'wizard_confirm');
  assert.equal(stepOf(state, 'context').state, 'confirmed');
  assert.equal(readFileSync(path.join(dir, '.storkit/specs/00_CONTEXT.md'), 'utf8'), stepOf(state, 'context').draft);
  assert.match(await call(client, 'wizard_retry', { step: 'context', feedback: 'again' }, true), /already confirmed/);
  state = await call(client, 'wizard_generate', { step: 'stack' });
  const stackDraft = stepOf(state, 'stack').draft;
  passed++;

  // A restart in the middle: the drafted stack step is still there.
  await transport.terminateSession();
  await client.close();
  await stop(server);
  server = startServer(dir);
  ({ client, transport } = await connect(await server.listening));
  state = await call(client, 'wizard_status');
  assert.equal(state.current, 'stack');
  assert.equal(stepOf(state, 'context').state, 'confirmed');
  assert.equal(stepOf(state, 'stack').draft, stackDraft);
  await call(client, 'wizard_confirm', { step: 'stack' });
  passed++;

  // The gate: its draft ran; a changed script runs first, then is confirmed.
  state = await call(client, 'wizard_generate');
  assert.ok(stepOf(state, 'gate').gate, 'the gate draft has a result');
  const script = '#!/bin/sh\necho wizard-gate-ok\n';
  assert.match(await call(client, 'wizard_confirm', { content: script }, true), /ran first/);
  state = await call(client, 'wizard_status');
  const gate = stepOf(state, 'gate').gate;
  assert.equal(gate.passed, true, JSON.stringify(gate));
  assert.match(gate.output, /wizard-gate-ok/);
  await call(client, 'wizard_confirm');
  assert.equal(readFileSync(path.join(dir, 'script/test'), 'utf8'), script);
  assert.ok(statSync(path.join(dir, 'script/test')).mode & 0o100);
  passed++;

  await call(client, 'wizard_skip', { step: 'components' });
  state = await call(client, 'wizard_generate', { step: 'agents' });
  assert.match(stepOf(state, 'agents').draft, /\[\[agent\]\]/);
  state = await call(client, 'wizard_confirm');
  assert.equal(state.finished, true);
  assert.ok(state.setup_commit, JSON.stringify(state));
  assert.equal(run(dir, 'git', ['log', '-1', '--format=%s']).trim(), 'storkit: setup');
  const files = run(dir, 'git', ['show', '--name-only', '--format=', 'HEAD']);
  for (const file of ['.storkit/specs/00_CONTEXT.md', '.storkit/specs/tech/STACK.md', 'script/test', '.storkit/project.toml'])
    assert.ok(files.includes(file), `${file} not in the setup commit:\n${files}`);
  passed++;

  await transport.terminateSession();
  await client.close();
  await stop(server);
} catch (error) {
  console.error(error);
  console.error(`stork serve stderr:\n${server.stderr()}`);
  console.log(`${passed} passed, 1 failed`);
  server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}
rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, 0 failed`);
