// CompletionCheck: the server's verdict on a coder's finished work (its process ended, or it
// called report_completion). The worktree must be clean and the branch must have a commit ahead
// of the base (zero-commit work never passes), then the gate runs; a pass goes where the QA
// mode says, a failure restarts the coder with the gate's output until max_retries, then
// blocks the item. Owned by Pipeline::Impl, on the pipeline's strand; the agent never decides.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "agents/agent_pool.hpp"
#include "engine/pipeline.hpp"

namespace stork::engine {

class PipelineContext;
class MergeQueue;

class CompletionCheck {
 public:
  enum class Trigger { ProcessExit, Reported, Recovery };

  CompletionCheck(PipelineContext& context, MergeQueue& merges)
      : context_(context), merges_(merges) {}

  boost::asio::awaitable<PipelineResult<CompletionOutcome>> complete(const std::string& story_arg,
                                                                     const std::string& agent,
                                                                     Trigger trigger);
  // complete(), detached: for a run that ended and for a check a restart cut short.
  void start(const std::string& story, const std::string& agent, Trigger trigger);
  // A run of the pool ended: a coder's is checked; a QA agent's that did not decide holds the
  // item for a person.
  void on_run_finished(const agents::AgentInfo& info);

  bool checking(const std::string& story) const { return completing_.contains(story); }
  // Whether the completion of this finished coder run has started (auto-assign waits for it).
  bool processed(std::int64_t run_id) const { return processed_runs_.contains(run_id); }
  bool idle() const { return completing_.empty(); }

 private:
  struct Check {
    std::int64_t job = 0;
    std::string story;
    std::string agent;
    Trigger trigger = Trigger::ProcessExit;
  };
  // The item, if a check of it may start now.
  PipelineResult<WorkItem> admit(const std::string& story_arg);
  // Why the work cannot pass before the gate (no worktree, uncommitted changes, no commit).
  boost::asio::awaitable<std::optional<std::string>> rejection(const WorkItem& item);
  boost::asio::awaitable<CompletionOutcome> run_gate_and_decide(const Check& check,
                                                                const WorkItem& item);
  boost::asio::awaitable<CompletionOutcome> advance_passed(const std::string& story,
                                                           const std::string& gate_tail);
  boost::asio::awaitable<CompletionOutcome> handle_failure(const Check& check,
                                                           const std::string& reason,
                                                           const std::string& gate_tail);
  boost::asio::awaitable<void> restart_coder(const Check& check, const std::string& reason,
                                             const std::string& gate_tail);
  void hold_for_review(const agents::AgentInfo& info);
  // A setup problem (the agent never ran, the gate could not run): retrying cannot help and
  // the work is not at fault, so the item is blocked at once and no retry is consumed.
  void block_for_setup(const std::string& story, const std::string& reason);

  PipelineContext& context_;
  MergeQueue& merges_;
  std::set<std::string> completing_;       // stories whose completion check runs now
  std::set<std::int64_t> processed_runs_;  // finished coder runs whose completion started
};

}  // namespace stork::engine
