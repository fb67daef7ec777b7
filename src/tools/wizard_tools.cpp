// The setup wizard's tools, with storkit's names, so a person's own Claude Code session can
// drive it: wizard_status, wizard_generate, wizard_confirm, wizard_skip, wizard_retry. Each
// calls ops::WizardOps and answers with the whole wizard's state (ops/wizard_json.hpp) and a
// sentence saying what happened and what comes next.
#include "ops/wizard_json.hpp"
#include "ops/wizard_ops.hpp"
#include "tools/tool_groups.hpp"
#include "tools/tool_support.hpp"

namespace stork::tools {
namespace asio = boost::asio;
namespace {

using Handler = asio::awaitable<mcp::ToolResult>;
using Wizard = std::shared_ptr<ops::WizardOps>;

Param step_param() {
  return {"step",
          choice_schema("The step (default: the current one, the first not confirmed or skipped)",
                        {"context", "stack", "gate", "components", "agents"})};
}

std::string next_hint(const ops::WizardStatus& status) {
  if (!status.current) {
    if (!status.setup_commit) return "Every step is settled.";
    return status.setup_commit->empty()
               ? "The wizard is finished; nothing was written."
               : "The wizard is finished: committed " + *status.setup_commit + " (storkit: setup).";
  }
  const auto& step = status.steps[static_cast<std::size_t>(*status.current)];
  const std::string name(ops::to_string(step.step));
  if (step.state == ops::WizardStepState::Pending)
    return "Next: wizard_generate drafts '" + name + "'.";
  std::string hint = "Step '" + name + "' is drafted (" + step.source + "): show the draft";
  if (step.gate) hint += " and the gate's result (" + step.gate->outcome + ")";
  return hint +
         " to the person, then wizard_confirm, wizard_retry with their feedback, or "
         "wizard_skip.";
}

mcp::ToolResult answer(const ops::OpResult<ops::WizardStatus>& result) {
  if (!result.ok()) return op_error(result.error());
  auto out = ops::wizard_status_json(result.value());
  out["message"] = next_hint(result.value());
  return mcp::ToolResult::ok_json(std::move(out));
}

mcp::Tool wizard_status(const Wizard& wizard) {
  mcp::Tool tool;
  tool.name = "wizard_status";
  tool.title = "Setup wizard: status";
  tool.description =
      "The setup wizard's steps in order (context, stack, gate, components, agents), each "
      "pending, drafted, confirmed or skipped, with its draft and, for the gate, the result of "
      "running the draft; `current` is the step to work on.";
  tool.input_schema = input_schema();
  tool.read_only = true;
  tool.idempotent = true;
  tool.handler = [wizard](const json::object&, mcp::ToolContext&) -> Handler {
    auto status = co_await wizard->status();
    co_return answer(status);
  };
  return tool;
}

mcp::Tool wizard_generate(const Wizard& wizard) {
  mcp::Tool tool;
  tool.name = "wizard_generate";
  tool.title = "Setup wizard: draft a step";
  tool.description =
      "Drafts the current step (by the [wizard] agent, read-only, or from templates); the gate's "
      "draft is run and its result returned. Nothing is written until wizard_confirm.";
  tool.input_schema = input_schema({step_param()});
  tool.handler = [wizard](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto step = optional_text(args, "step").value_or("");
    auto status = co_await wizard->generate(step);
    co_return answer(status);
  };
  return tool;
}

mcp::Tool wizard_confirm(const Wizard& wizard) {
  mcp::Tool tool;
  tool.name = "wizard_confirm";
  tool.title = "Setup wizard: confirm a step";
  tool.description =
      "Writes the step's draft (or `content`, the person's version) into its file. A file "
      "changed since the draft is replaced only with overwrite=true. A changed gate script is "
      "run first and must be confirmed again. After the last step the files are committed "
      "(storkit: setup).";
  tool.input_schema = input_schema(
      {step_param(),
       {"content", text_schema("The person's version of the draft", std::size_t{256} << 10)},
       {"overwrite", boolean_schema("Replace the file even if it changed since the draft")}});
  tool.destructive = true;
  tool.handler = [wizard](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto step = optional_text(args, "step").value_or("");
    const auto content = optional_text(args, "content");
    auto status =
        co_await wizard->confirm(step, optional_bool(args, "overwrite").value_or(false), content);
    co_return answer(status);
  };
  return tool;
}

mcp::Tool wizard_skip(const Wizard& wizard) {
  mcp::Tool tool;
  tool.name = "wizard_skip";
  tool.title = "Setup wizard: skip a step";
  tool.description = "Skips the current step: its file is left as it is.";
  tool.input_schema = input_schema({step_param()});
  tool.handler = [wizard](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto step = optional_text(args, "step").value_or("");
    auto status = co_await wizard->skip(step);
    co_return answer(status);
  };
  return tool;
}

mcp::Tool wizard_retry(const Wizard& wizard) {
  mcp::Tool tool;
  tool.name = "wizard_retry";
  tool.title = "Setup wizard: draft again with feedback";
  tool.description =
      "Drafts a drafted step again; the drafter gets its previous draft and the person's "
      "feedback.";
  tool.input_schema = input_schema(
      {step_param(), {"feedback", text_schema("What to change in the draft", 20000), true}});
  tool.handler = [wizard](const json::object& args, mcp::ToolContext&) -> Handler {
    const auto step = optional_text(args, "step").value_or("");
    const auto feedback = text_arg(args, "feedback");
    auto status = co_await wizard->retry(step, feedback);
    co_return answer(status);
  };
  return tool;
}

}  // namespace

void register_wizard_tools(mcp::ToolRegistry& registry, const ToolServices& services) {
  registry.add(wizard_status(services.wizard));
  registry.add(wizard_generate(services.wizard));
  registry.add(wizard_confirm(services.wizard));
  registry.add(wizard_skip(services.wizard));
  registry.add(wizard_retry(services.wizard));
}

}  // namespace stork::tools
