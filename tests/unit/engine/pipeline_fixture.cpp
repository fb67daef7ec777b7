#include "pipeline_fixture.hpp"

#include <fstream>
#include <sstream>

#include "agents/agent_status.hpp"
#include "base/subprocess.hpp"
#include "config/config_loader.hpp"
#include "support/git_fixture.hpp"
#include "work/stage_store.hpp"

namespace stork::testing {

std::string coder_script(const std::filesystem::path& attempts_dir) {
  const auto dir = attempts_dir.string();
  return R"(set -e
id="$STORK_STORY_ID"
n=$(cat ")" +
         dir + R"(/$id" 2>/dev/null || echo 0); n=$((n+1)); echo $n > ")" + dir + R"(/$id"
printf '%s' "$STORK_PROMPT" > ")" +
         dir + R"(/$id.prompt"
slug=${id#*_*_}
case "$slug" in
  ok*) echo "work of $id" > "$id.txt" ;;
  slow*) sleep 0.4; echo "work of $id" > "$id.txt" ;;
  flaky*) if [ $n -eq 1 ]; then echo BROKEN > "$id.txt"; else echo "fixed $id" > "$id.txt"; fi ;;
  broken*) echo "BROKEN $n" > "$id.txt" ;;
  lazy*) exit 0 ;;
  messy*) echo wip > "$id.txt"; exit 0 ;;
  conflict*) sed -i "1s/.*/$id/" shared.txt ;;
esac
git add -A .
git commit -qm "work on $id"
)";
}

PipelineTest::~PipelineTest() {
  if (pipeline_) run(pipeline_->stop(std::chrono::seconds(2)));
  pipeline_.reset();
}

bool PipelineTest::wait_until_idle(std::chrono::milliseconds timeout) {
  return eventually([&] { return run(pipeline_->idle()); }, timeout);
}

int PipelineTest::active_runs(const std::string& story) {
  int active = 0;
  for (const auto& info : run(pool_->list_agents())) {
    if (info.story_id == story && agents::is_active(info.status)) ++active;
  }
  return active;
}

TestAgent PipelineTest::coder(const std::string& name) const {
  return TestAgent{name, "coder", coder_script(dir_ / "attempts")};
}

void PipelineTest::open_pipeline(std::vector<TestAgent> agents, const std::string& extra) {
  std::filesystem::create_directories(dir_ / "attempts");
  write_text(dir_ / "shared.txt", "line one\nline two\n");
  write_project_files(
      dir_.path(),
      "#!/bin/sh\n"
      "if grep -l BROKEN *.txt 2>/dev/null; then echo 'gate: broken files'; exit 1; fi\n"
      "echo 'gate: all good'\n",
      "attempts/\n");
  git(dir_.path(), {"add", "-A"});
  git(dir_.path(), {"commit", "-qm", "gate and shared file"});
  if (agents.empty()) agents.push_back(coder());
  open_pool(agents, extra, 2);
  auto config = load_project_config(dir_ / ".storkit/project.toml");
  ASSERT_TRUE(config.ok());
  engine::PipelineOptions options;
  options.project_root = dir_.path();
  options.watch_debounce = std::chrono::milliseconds(50);
  options.sweep_interval = sweep_interval_;
  if (shared_workers_) options.workers = shared_workers_->get_executor();
  auto pipeline = engine::Pipeline::open(
      io_.get_executor(), std::make_shared<const ProjectConfig>(config.value().config), *pool_,
      options);
  ASSERT_TRUE(pipeline.ok()) << pipeline.error();
  pipeline_ = std::move(pipeline.value());
  run(pipeline_->start());
}

int PipelineTest::attempts(const std::string& id) const {
  auto path = dir_ / "attempts" / id;
  if (!std::filesystem::exists(path)) return 0;
  // The coder rewrites the file (`echo $n > file`): it can be seen empty in between.
  const auto text = read_text(path);
  if (text.empty() || text.front() < '0' || text.front() > '9') return 0;
  return std::stoi(text);
}

std::string PipelineTest::prompt(const std::string& id) const {
  auto path = dir_ / "attempts" / (id + ".prompt");
  return std::filesystem::exists(path) ? read_text(path) : "";
}

std::string PipelineTest::front_matter(const std::string& id) const {
  // The pipeline may move the file between locating and reading it: look again then.
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto located = StageStore(dir_.path()).locate(id);
    if (!located.ok()) continue;
    std::ifstream in(located.value().path, std::ios::binary);
    if (!in) continue;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  return "";
}

bool PipelineTest::wait_for_stage(const std::string& id, Stage stage,
                                  std::chrono::milliseconds timeout) {
  return eventually([&] { return stage_of(id) == stage; }, timeout);
}

std::vector<std::string> PipelineTest::event_types(const std::string& story) {
  std::vector<std::string> types;
  for (const auto& event : run(pipeline_->events_after(0))) {
    if (event.story == story) types.push_back(event.type);
  }
  return types;
}

bool PipelineTest::has_event(const std::string& story, const std::string& type) {
  auto types = event_types(story);
  return std::find(types.begin(), types.end(), type) != types.end();
}

std::string PipelineTest::base_file(const std::string& path) const {
  Command command;
  command.argv = {"git", "show", "main:" + path};
  command.cwd = dir_.path();
  auto shown = run_command(command);
  if (!shown.ok() || !shown.value().succeeded()) return "";
  return shown.value().out;
}

}  // namespace stork::testing
