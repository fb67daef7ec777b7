// AgentPool::run_once: an agent run outside the pipeline (the setup wizard's drafts). It uses
// the same runtimes and launch context as a pipeline run, minus what belongs to an item (the
// worktree, the run record, the session, the MCP configuration), and is read-only: the agent
// gets only reading tools.
#include <boost/json/parse.hpp>

#include "agents/agent_pool.hpp"
#include "agents/pool_impl.hpp"
#include "base/strand_call.hpp"

namespace stork::agents {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

using Answer = Result<std::string, std::string>;

// What the one-shot run needs while it runs; the observer owns it.
struct OneShot {
  AgentConfig agent;  // the roster's, made read-only
  std::shared_ptr<const ProjectConfig> project;
  std::shared_ptr<RuntimeRun> run;
  std::string result_text;
  std::string last_text;
  std::string output;  // plain output lines (a `command` agent's answer)
  bool failed_result = false;
  std::string error;
  Done<Answer> done;
};

std::string text_of(const std::string& payload) {
  boost::system::error_code ec;
  auto value = json::parse(payload, ec);
  if (ec || !value.is_object()) return {};
  const auto* text = value.as_object().if_contains("text");
  return text != nullptr && text->is_string() ? std::string(text->as_string()) : std::string();
}

class OneShotObserver final : public RunObserver {
 public:
  OneShotObserver(std::weak_ptr<AgentPool::Impl> pool, std::shared_ptr<OneShot> shot)
      : pool_(std::move(pool)), shot_(std::move(shot)) {}
  void on_started(std::optional<pid_t>) override {}
  void on_output(std::vector<std::string>&, std::vector<RuntimeEvent>& events) override {
    for (const auto& event : events) {
      if (event.type == event_type::kResult) {
        shot_->result_text = text_of(event.payload);
        shot_->failed_result = shot_->failed_result || event.failed_result;
      } else if (event.type == event_type::kAssistantText) {
        if (auto text = text_of(event.payload); !text.empty()) shot_->last_text = text;
      } else if (event.type == event_type::kOutput) {
        shot_->output += text_of(event.payload) + "\n";
      } else if (event.type == event_type::kError) {
        shot_->error = event.payload;
      }
    }
  }
  void on_exit(const RunExit& exit) override {
    if (auto pool = pool_.lock()) pool->end_one_shot(shot_->run);
    auto shot = std::move(shot_);
    const std::string& text = !shot->result_text.empty() ? shot->result_text
                              : !shot->last_text.empty() ? shot->last_text
                                                         : shot->output;
    if (!exit.succeeded || shot->failed_result) {
      std::string why = "the run of '" + shot->agent.name + "' failed (" + exit.reason + ")";
      if (!shot->error.empty()) why += ": " + shot->error;
      shot->done(fail(why));
    } else if (text.empty()) {
      shot->done(fail("the run of '" + shot->agent.name + "' ended without a final message"));
    } else {
      shot->done(text);
    }
  }

 private:
  std::weak_ptr<AgentPool::Impl> pool_;
  std::shared_ptr<OneShot> shot_;
};

// The roster's agent, made read-only for a run in someone's checkout: Claude Code gets only
// its reading tools. (The API runtimes get no tools at all: no tool_host below; a `command`
// agent is a program of the project's own and runs as configured.)
AgentConfig read_only(AgentConfig agent) {
  if (agent.runtime != "claude-code") return agent;
  agent.allowed_tools = {"Read", "Glob", "Grep", "LS"};
  std::vector<std::string> args;
  for (const auto& arg : agent.args) {
    if (arg != "--dangerously-skip-permissions") args.push_back(arg);
  }
  args.insert(args.end(), {"--disallowedTools", "Bash,Edit,Write,MultiEdit,NotebookEdit"});
  agent.args = std::move(args);
  agent.permission_mode.reset();  // no MCP server to ask: anything else is refused
  return agent;
}

}  // namespace

void AgentPool::Impl::start_one_shot(const OneShotRequest& request, Done<Answer> done) {
  const AgentConfig* agent = config_->find_agent(request.agent);
  if (agent == nullptr) return done(fail("no agent '" + request.agent + "' in the roster"));
  if (shutting_down_) return done(fail("stork is shutting down"));
  auto runtime = make_runtime(agent->runtime);
  if (!runtime.ok()) return done(fail(runtime.error().message));
  auto shot = std::make_shared<OneShot>();
  shot->agent = read_only(*agent);
  shot->project = config_;
  shot->done = std::move(done);
  LaunchContext context;
  context.agent = &shot->agent;
  context.project = shot->project.get();
  context.story_id = "setup";
  context.worktree = request.cwd;
  context.prompt = request.prompt;
  context.stop_grace = stop_grace();
  context.project_root = options_.project_root;
  context.api = options_.api;  // no tool_host: the API runtimes' model gets no tools
  context.workers = workers_;
  auto observer = std::make_shared<OneShotObserver>(weak_from_this(), shot);
  auto run = runtime.value()->start(context, strand, observer);
  if (!run.ok()) {
    auto answer = std::move(shot->done);
    return answer(fail("'" + request.agent + "' could not be started: " + run.error().message));
  }
  shot->run = run.value();
  one_shots_.insert(run.value());
}

asio::awaitable<Answer> AgentPool::run_once(OneShotRequest request) {
  return call_on<Answer>(impl_->strand,
                         [impl = impl_, request = std::move(request)](Done<Answer> done) {
                           impl->start_one_shot(request, std::move(done));
                         });
}

}  // namespace stork::agents
