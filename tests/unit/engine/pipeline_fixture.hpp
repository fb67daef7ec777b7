// A real project for pipeline tests: the pool fixture's git repository plus a gate
// (script/test fails when any *.txt file says BROKEN), a scripted coder that acts by the
// item's slug (see kCoderScript), and a Pipeline on the same io_context. Every run of a coder
// on an item is counted in attempts/<id>, and the prompt it got is kept in prompts/<id>.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "../agents/pool_fixture.hpp"
#include "engine/pipeline.hpp"
#include "support/git_fixture.hpp"

namespace stork::testing {

// What the coder does, by the item's slug:
//   ok*      writes <id>.txt and commits
//   flaky*   first attempt writes BROKEN (the gate fails), later ones pass
//   broken*  always BROKEN
//   lazy*    commits nothing
//   messy*   writes a file and does not commit it
//   conflict* edits line 1 of shared.txt with its own id, commits
//   slow*    like ok, after 0.4 s
std::string coder_script(const std::filesystem::path& attempts_dir);

class PipelineTest : public PoolTest {
 protected:
  ~PipelineTest() override;

  // Opens the pool with `agents` (default: coder-1, the scripted coder) and starts the pipeline.
  void open_pipeline(std::vector<TestAgent> agents = {}, const std::string& extra = "");
  TestAgent coder(const std::string& name = "coder-1") const;
  // Before open_pipeline: the pipeline runs its blocking work on this pool (as the app's
  // shared one) instead of making its own. The fixture stops the pipeline before the pool ends.
  // Once the pipeline is idle (nothing of its own under way, reconciles included).
  bool wait_until_idle(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Runs of `story` the pool has now that are pending or running.
  int active_runs(const std::string& story);

  int attempts(const std::string& id) const;
  std::string prompt(const std::string& id) const;
  std::string front_matter(const std::string& id) const;  // the item file's text
  bool wait_for_stage(const std::string& id, Stage stage,
                      std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::vector<std::string> event_types(const std::string& story);
  bool has_event(const std::string& story, const std::string& type);
  std::string base_file(const std::string& path) const;  // `git show main:<path>`, "" if absent

  // How often the archive sweep (a full scan) runs; set before open_pipeline.
  std::chrono::milliseconds sweep_interval_{200};
  std::unique_ptr<engine::Pipeline> pipeline_;
};

}  // namespace stork::testing
