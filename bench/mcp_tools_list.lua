-- wrk script: every request is the MCP JSON-RPC tools/list POST of an initialized session.
-- The session id comes from the environment (MCP_SESSION_ID), set by bench/serve_load.sh after
-- it has initialized the session with curl.
--
-- Accept names both JSON and SSE: the official TypeScript SDK's server answers 406 unless the
-- client accepts both (the spec's MUST); stork still replies with JSON for a tools/list.
local session = os.getenv("MCP_SESSION_ID")
if session == nil or session == "" then
  error("mcp_tools_list.lua: set MCP_SESSION_ID to an initialized session's id")
end

wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["Mcp-Session-Id"] = session
wrk.headers["MCP-Protocol-Version"] = "2025-06-18"
