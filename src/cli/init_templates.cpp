#include "cli/init_templates.hpp"

namespace stork::cli {

std::string_view project_toml_template() {
  return R"toml(# stork / storkit project settings. `stork config check` validates this file and prints
# every value with its default filled in.

# What happens when a coder's work passes the tests (script/test):
#   "server" - straight to the merge stage; "agent" - a QA agent reviews it first;
#   "human"  - it waits in QA for you to approve (review_hold). Spikes always wait for a human.
default_qa = "server"

# At most this many coder agents run at once (a work-in-progress limit).
max_coders = 3

# A coder whose work fails the tests is restarted with the failure output this many times;
# then the item is marked blocked.
max_retries = 2

# The branch agents start from and merges land on. Unset: the branch HEAD points at.
# base_branch = "main"

# default_coder_model = "claude-sonnet-4-5"
# rate_limit_notifications = true
# timezone = "Europe/London"

# run_command and the gate run under bubblewrap (apt-get install bubblewrap): only the item's
# worktree and what a commit in it needs are writable, HOME is empty, no network unless
# sandbox_network = true. "none" runs them as storkit did. docs/sandbox.md; `stork doctor`
# checks that bwrap works.
sandbox = "bwrap"
# sandbox_network = false

# Setup steps run in every new worktree (and teardown when it is removed), in `path`.
# [[component]]
# name = "web"
# path = "web"
# setup = ["npm ci"]
# teardown = []

# The agents. `stage` says where in the pipeline each one works: coder (2_current),
# qa (3_qa), mergemaster (4_merge) or other (anywhere). Prompts may use {{story_id}},
# {{agent_name}}, {{worktree_path}} and {{base_branch}}.
# permission_mode = "allow": Claude Code asks stork (its prompt_permission tool) before a tool
# it would ask a person about; stork allows all but its deny-list (pushes, history rewrites),
# so the agents work unattended. "ask" holds each question for you (board, `stork permission`);
# docs/permissions.md. sandbox = "bwrap": the agent runs under bubblewrap too, with the network
# (it must reach its model) but with an empty HOME: give Claude Code its credentials through
# ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN (`claude setup-token`).

[[agent]]
name = "coder-1"
stage = "coder"
role = "Implements one work item in its own worktree"
runtime = "claude-code"
permission_mode = "allow"
sandbox = "bwrap"
prompt = """You are {{agent_name}}. Implement work item {{story_id}} in this git worktree \
({{worktree_path}}, branched from {{base_branch}}). Read .storkit/README.md and the item in \
.storkit/work/. Make the acceptance criteria true, run script/test, and commit your work. \
When you are done, stop: stork runs the tests and moves the item on."""
max_turns = 200
inactivity_timeout_secs = 300

[[agent]]
name = "coder-2"
stage = "coder"
role = "Implements one work item in its own worktree"
runtime = "claude-code"
permission_mode = "allow"
sandbox = "bwrap"
prompt = """You are {{agent_name}}. Implement work item {{story_id}} in this git worktree \
({{worktree_path}}, branched from {{base_branch}}). Read .storkit/README.md and the item in \
.storkit/work/. Make the acceptance criteria true, run script/test, and commit your work. \
When you are done, stop: stork runs the tests and moves the item on."""
max_turns = 200
inactivity_timeout_secs = 300

[[agent]]
name = "coder-3"
stage = "coder"
role = "Implements one work item in its own worktree"
runtime = "claude-code"
permission_mode = "allow"
sandbox = "bwrap"
prompt = """You are {{agent_name}}. Implement work item {{story_id}} in this git worktree \
({{worktree_path}}, branched from {{base_branch}}). Read .storkit/README.md and the item in \
.storkit/work/. Make the acceptance criteria true, run script/test, and commit your work. \
When you are done, stop: stork runs the tests and moves the item on."""
max_turns = 200
inactivity_timeout_secs = 300

[[agent]]
name = "qa"
stage = "qa"
role = "Reviews finished work against the acceptance criteria"
runtime = "claude-code"
permission_mode = "allow"
sandbox = "bwrap"
prompt = """You are the QA agent. Review work item {{story_id}} in {{worktree_path}} against its \
acceptance criteria and the diff from {{base_branch}}. Call approve_qa if it is right, or \
reject_qa with precise notes if it is not."""
max_turns = 100

[[agent]]
name = "mergemaster"
stage = "mergemaster"
role = "Resolves merge conflicts and failed merges"
runtime = "claude-code"
permission_mode = "allow"
sandbox = "bwrap"
prompt = """You are the mergemaster. Work item {{story_id}} failed to merge onto {{base_branch}}. \
Read the merge_failure in its front matter, resolve it on the feature branch in \
{{worktree_path}}, commit, and call merge_agent_work again."""
max_turns = 100

[[agent]]
name = "supervisor"
stage = "other"
role = "Watches the pipeline and unsticks it; may attach to any stage"
runtime = "claude-code"
permission_mode = "allow"
sandbox = "bwrap"
prompt = """You are the supervisor of this project's pipeline. Use get_pipeline_status and the \
other stork tools to find stuck work and get it moving. Do not write product code yourself."""
max_turns = 100
)toml";
}

std::string_view agents_readme_template() {
  return R"md(# How work flows in this project

This repository is run by **stork** (compatible with storkit). Work items are markdown files in
`.storkit/work/`; each stage is a directory:

| directory      | meaning                                                     |
|----------------|-------------------------------------------------------------|
| `1_backlog/`   | not started                                                 |
| `2_current/`   | a coder agent is working on it, in its own git worktree     |
| `3_qa/`        | the work passed the tests and waits for review              |
| `4_merge/`     | approved; being squash-merged onto the base branch          |
| `5_done/`      | merged                                                      |
| `6_archived/`  | done for a while                                            |

## Rules for agents
- You work in your own worktree on branch `feature/story-<id>`. Commit your work there; do not
  push, do not switch branches, do not touch other worktrees.
- Never move, rename or delete files in `.storkit/work/` yourself. Use the MCP tools of the
  `storkit` server (configured in `.mcp.json`): `status`, `get_story_todos`, `check_criterion`,
  `report_completion`, `request_qa`, `approve_qa`, `reject_qa`, `merge_agent_work`, ...
- `script/test` is the gate: when you stop, the server refuses work with uncommitted changes
  or no commits, runs `script/test`, and restarts you with the failure output if it fails.
- Tick an acceptance criterion (`check_criterion`) only when it is really met.

## Work item files
`<N>_<type>_<slug>.md` (type: story, bug, spike or refactor) with YAML front matter:
`name`, `agent` (preferred agent), `qa` (server | agent | human), `depends_on` (ids),
and flags the server sets: `blocked`, `review_hold`, `merge_failure`, `retry_count`.
)md";
}

std::string_view context_spec_template() {
  return R"md(# Project context

What this project is for, who uses it, and what matters most. Agents read this before they
start; keep it short and true.
)md";
}

std::string_view stack_spec_template() {
  return R"md(# Stack and conventions

Languages, frameworks, how to build and test (script/test), and the conventions code must
follow here.
)md";
}

std::string_view storkit_gitignore_template() {
  return R"(# Stages that change too often to track (storkit convention)
work/2_current/
work/3_qa/
work/4_merge/
# Per-run state of the server
worktrees/
merge_workspace/
logs/
token_usage.jsonl
# the running server's lock (pid and port)
serve.lock
# state.db and its WAL files
*.db
*.db-wal
*.db-shm
)";
}

std::string_view script_test_template() {
  return R"sh(#!/usr/bin/env bash
# The gate: stork runs this in an agent's worktree when the agent finishes, and again on the
# merged tree before anything lands. Exit 0 means the work passes. Written by `stork init`:
# replace the guesses below with your project's real test command.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f Cargo.toml ]; then exec cargo test; fi
if [ -f package.json ]; then exec npm test; fi
if [ -f pyproject.toml ] || [ -f setup.py ]; then exec python3 -m pytest; fi
if [ -f go.mod ]; then exec go test ./...; fi
if [ -f Makefile ] && grep -q '^test:' Makefile; then exec make test; fi

echo "script/test: no test command configured; edit script/test to run this project's tests" >&2
exit 1
)sh";
}

std::string mcp_url(int port) {
  return "http://127.0.0.1:" + std::to_string(port) + "/mcp";
}

std::string mcp_json(int port) {
  return "{\n  \"mcpServers\": {\n    \"storkit\": {\n      \"type\": \"http\",\n      \"url\": "
         "\"" +
         mcp_url(port) + "\"\n    }\n  }\n}\n";
}

}  // namespace stork::cli
