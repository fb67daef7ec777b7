#include "cli/story_commands.hpp"

#include <functional>
#include <memory>

#include <boost/json.hpp>

#include "cli/project_locator.hpp"
#include "cli/server_call.hpp"
#include "cli/story_remote.hpp"
#include "cli/story_text.hpp"
#include "config/config_loader.hpp"
#include "git/work_commits.hpp"
#include "ops/item_edits.hpp"
#include "ops/item_json.hpp"
#include "ops/item_lookup.hpp"
#include "pipeline/transitions.hpp"

namespace stork::cli {
namespace {

// Arguments of all story subcommands; CLI11 binds options to these fields.
struct StoryArgs {
  std::string id;
  std::string name;
  std::string type = "story";
  std::string description;
  std::vector<std::string> criteria;
  std::vector<std::string> depends_on;
  std::string agent;
  std::string qa;
  std::string stage;
  std::string reason;
  bool json = false;
  bool uncheck = false;
  bool local = false;
  int index = 0;
};

std::optional<StageStore> open_store(CliContext& context) {
  auto root = locate_project(context.cwd, context.project_flag);
  if (!root) {
    context.fail(kExitUsage, root.error().message);
    return std::nullopt;
  }
  return StageStore(*root);
}

int exit_code_for(const WorkError& error) {
  return error.kind == WorkErrorKind::InvalidId ? kExitUsage : kExitFailure;
}

int exit_code_for(const ops::OpError& error) {
  return error.kind == ops::OpError::Kind::InvalidId ? kExitUsage : kExitFailure;
}

// Records a create/done/archive in git. Failing to commit loses nothing (the file is written),
// so it is a warning that says what git said.
void record_in_git(CliContext& context, const StageStore& store, const StoryId& id,
                   WorkEvent event) {
  auto repo = GitRepo::open(store.project_root());
  if (!repo) {
    context.warn("not committed (" + store.project_root().string() + " is not a git repository)");
    return;
  }
  if (auto committed = commit_work_event(*repo, store, id, event); !committed) {
    context.warn(id.str() + " was saved but not committed: " + committed.error().message());
  }
}

// Checks a front-matter agent name against project.toml when it can be read.
bool agent_is_configured(CliContext& context, const StageStore& store, const std::string& agent) {
  auto config = load_project_config(store.project_root() / ".storkit" / "project.toml");
  if (!config) return true;  // `stork config check` reports config problems; don't block here
  auto known = ops::check_agent(&config->config, "agent", agent);
  if (known.ok()) return true;
  context.fail(kExitFailure, "--agent: " + known.error().message);
  return false;
}

void run_new(CliContext& context, const StoryArgs& args) {
  auto store = open_store(context);
  if (!store) return;
  NewItem item;
  auto type = parse_item_type(args.type);
  if (!type) {
    context.fail(kExitUsage, "--type: unknown type '" + args.type +
                                 "' (expected story, bug, spike or refactor)");
    return;
  }
  item.type = *type;
  if (auto named = ops::check_item_name(args.name); !named.ok()) {
    context.fail(kExitUsage, "--name: " + named.error().message);
    return;
  }
  item.name = args.name;
  item.description = args.description;
  item.criteria = args.criteria;
  item.depends_on = args.depends_on;
  if (!args.agent.empty()) {
    if (!agent_is_configured(context, *store, args.agent)) return;
    item.agent = args.agent;
  }
  if (!args.qa.empty()) {
    item.qa = parse_qa_mode(args.qa);
    if (!item.qa) {
      context.fail(kExitUsage,
                   "--qa: unknown mode '" + args.qa + "' (expected server, agent or human)");
      return;
    }
  }
  if (auto refusal = refuse_item_before_first_commit(store->project_root())) {
    context.fail(kExitFailure, *refusal);
    return;
  }
  auto created = store->create(std::move(item));
  if (!created) {
    context.fail(exit_code_for(created.error()), created.error().render());
    return;
  }
  record_in_git(context, *store, created->id, WorkEvent::Create);
  context.out << created->id.str() << "\n";
}

void run_list(CliContext& context, const StoryArgs& args) {
  auto store = open_store(context);
  if (!store) return;
  std::optional<Stage> only;
  if (!args.stage.empty()) {
    only = parse_stage(args.stage);
    if (!only) {
      context.fail(kExitUsage, "--stage: unknown stage '" + args.stage +
                                   "' (expected backlog, current, qa, merge, done or archived)");
      return;
    }
  }
  auto listing = store->load_all(only);
  if (args.json) {
    boost::json::array items, problems;
    items.reserve(listing.items.size());
    for (const auto& item : listing.items) {
      items.push_back(ops::item_summary_json(
          ops::view_of(item, store->project_root(), ops::ViewDepth::Summary)));
    }
    for (const auto& problem : listing.problems)
      problems.push_back(ops::problem_json(problem));
    context.out << boost::json::serialize(boost::json::object{{"items", std::move(items)},
                                                              {"problems", std::move(problems)}})
                << "\n";
  } else {
    print_item_table(context.out, listing.items);
  }
  for (const auto& problem : listing.problems)
    context.warn(problem.render());
}

void run_show(CliContext& context, const StoryArgs& args) {
  auto store = open_store(context);
  if (!store) return;
  auto item = ops::load_item(store->project_root(), args.id);
  if (!item) {
    context.fail(exit_code_for(item.error()), item.error().message);
    return;
  }
  if (args.json) {
    const auto view = ops::view_of(*item, store->project_root());
    context.out << boost::json::serialize(ops::item_detail_json(view)) << "\n";
  } else {
    print_item_detail(context.out, *item, store->project_root());
  }
}

// A move through the project's running server (unless --local): its rules, its agents stopped
// on the item, its commit queue and its board. False when no server runs.
bool moved_through_server(CliContext& context, const StageStore& store, const StoryArgs& args,
                          Stage to) {
  if (args.local) return false;
  const auto target = "/api/items/" + url_component(args.id) + "/move";
  const auto body = boost::json::serialize(boost::json::object{{"stage", stage_name(to)}});
  auto posted = post_to_server(context, store.project_root(), target, body);
  if (posted.outcome != ServerEdit::Done) return posted.outcome == ServerEdit::Failed;
  const auto* reply = posted.body.if_object();
  auto field = [reply](const char* name) {
    const auto* value = reply != nullptr ? reply->if_contains(name) : nullptr;
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
  };
  const auto id = field("id");
  if (field("from") == field("stage")) {
    context.out << id << " is already in " << field("stage") << "\n";
  } else {
    context.out << id << ": " << field("from") << " -> " << field("stage") << "\n";
  }
  return true;
}

void run_move(CliContext& context, const StoryArgs& args) {
  auto store = open_store(context);
  if (!store) return;
  auto to = parse_stage(args.stage);
  if (!to) {
    context.fail(kExitUsage, "unknown stage '" + args.stage +
                                 "' (expected backlog, current, qa, merge, done or archived)");
    return;
  }
  if (moved_through_server(context, *store, args, *to)) return;
  auto entry = store->locate(args.id);
  if (!entry) {
    context.fail(exit_code_for(entry.error()), entry.error().render());
    return;
  }
  if (auto legal = pipeline::check_item_move(entry->id.type, entry->stage, *to); !legal) {
    context.fail(kExitFailure, entry->id.str() + ": " + legal.error().message());
    return;
  }
  auto moved = store->move(entry->id.str(), *to);
  if (!moved) {
    context.fail(kExitFailure, moved.error().render());
    return;
  }
  if (!moved->changed()) {
    context.out << moved->id.str() << " is already in " << stage_name(*to) << "\n";
    return;
  }
  if (auto event = event_for_move(moved->from, moved->to))
    record_in_git(context, *store, moved->id, *event);
  context.out << moved->id.str() << ": " << stage_name(moved->from) << " -> "
              << stage_name(moved->to) << "\n";
}

// One edit of an item: through the project's server when one is running (`remote_target` and
// `remote_body`, unless --local), else on the file under the store's lock from read to write
// (StageStore::update), so neither way loses another writer's change. `edit` answers the
// message to print, or nothing when it failed (the context then says why).
struct CliEdit {
  std::string remote_target;  // e.g. "/block"
  std::string remote_body = "{}";
  std::function<std::optional<std::string>(WorkItem&)> edit;
  std::string done_message;
};

void edit_item(CliContext& context, const StoryArgs& args, const CliEdit& change) {
  auto store = open_store(context);
  if (!store) return;
  if (!args.local) {
    const auto target = "/api/items/" + url_component(args.id) + change.remote_target;
    auto remote = edit_through_server(context, store->project_root(), target, change.remote_body,
                                      change.done_message);
    if (remote != ServerEdit::NoServer) return;
  }
  std::optional<std::string> message;
  auto updated = store->update(args.id, [&](WorkItem& item) -> WorkResult<void> {
    message = change.edit(item);
    if (!message) return fail(WorkError{WorkErrorKind::InvalidInput, "refused"});
    return {};
  });
  if (!message && context.exit_code != 0) return;  // the edit said why
  if (!updated) {
    context.fail(exit_code_for(updated.error()), updated.error().render());
    return;
  }
  context.out << updated->id.str() << ": " << *message << "\n";
}

CLI::App* add_json_flag(CLI::App* command, StoryArgs& args) {
  command->add_flag("--json", args.json, "Print JSON (schema in docs/cli-json.md)");
  return command;
}

// `stork story new`.
void add_new_command(CLI::App* story, CliContext& context, const std::shared_ptr<StoryArgs>& args) {
  auto* create = story->add_subcommand("new", "Create a work item in the backlog and print its id");
  create->add_option("--name", args->name, "One-line name; the slug is made from it")->required();
  create->add_option("--type", args->type, "story, bug, spike or refactor")->capture_default_str();
  create->add_option("--description", args->description,
                     "User story, bug description, spike question or motivation");
  create->add_option("--criterion", args->criteria, "An acceptance criterion (repeatable)");
  create->add_option("--depends-on", args->depends_on,
                     "Id or number of an item this one waits for (repeatable)");
  create->add_option("--agent", args->agent, "Preferred agent (front matter `agent`)");
  create->add_option("--qa", args->qa, "QA mode for this item: server, agent or human");
  create->callback([&context, args] { run_new(context, *args); });
}

// `stork story list|show|move`: reading and moving.
void add_read_and_move_commands(CLI::App* story, CliContext& context,
                                const std::shared_ptr<StoryArgs>& args) {
  auto* list = story->add_subcommand("list", "List work items, oldest first");
  list->add_option("--stage", args->stage,
                   "Only this stage (backlog, current, qa, merge, done, archived)");
  add_json_flag(list, *args)->callback([&context, args] { run_list(context, *args); });

  auto* show = story->add_subcommand("show", "Show one work item");
  show->add_option("ID", args->id, "Id (42_story_login) or number (42)")->required();
  add_json_flag(show, *args)->callback([&context, args] { run_show(context, *args); });

  auto* move = story->add_subcommand("move", "Move an item to another stage (legal moves only)");
  move->add_option("ID", args->id, "Id or number")->required();
  move->add_option("STAGE", args->stage, "backlog, current, qa, merge, done or archived")
      ->required();
  move->add_flag("--local", args->local,
                 "Move the file directly even when the project's server is running");
  move->callback([&context, args] { run_move(context, *args); });
}

void run_check(CliContext& context, const StoryArgs& args) {
  const std::string done =
      (args.uncheck ? "unchecked criterion " : "checked criterion ") + std::to_string(args.index);
  CliEdit change{"/criteria/" + std::to_string(args.index),
                 boost::json::serialize(boost::json::object{{"checked", !args.uncheck}}),
                 [&](WorkItem& item) -> std::optional<std::string> {
                   auto set =
                       ops::set_criterion(item, static_cast<size_t>(args.index), !args.uncheck);
                   if (!set.ok()) {
                     context.fail(kExitFailure, set.error().message);
                     return std::nullopt;
                   }
                   return done;
                 },
                 done};
  edit_item(context, args, change);
}

void add_local_flag(CLI::App* command, StoryArgs& args) {
  command->add_flag("--local", args.local,
                    "Edit the file directly even when the project's server is running");
}

// `stork story block|unblock|check`: the edits of ops/item_edits.hpp, through the server or
// on the file.
void add_edit_commands(CLI::App* story, CliContext& context,
                       const std::shared_ptr<StoryArgs>& args) {
  auto* block = story->add_subcommand("block", "Mark an item blocked so no agent picks it up");
  block->add_option("ID", args->id, "Id or number")->required();
  block->add_option("--reason", args->reason, "Why it is blocked (saved as blocked_reason)");
  add_local_flag(block, *args);
  block->callback([&context, args] {
    CliEdit change{"/block", boost::json::serialize(boost::json::object{{"reason", args->reason}}),
                   [&](WorkItem& item) -> std::optional<std::string> {
                     ops::block(item, args->reason);
                     return "blocked";
                   },
                   "blocked"};
    edit_item(context, *args, change);
  });

  auto* unblock =
      story->add_subcommand("unblock", "Clear blocked, merge_failure and the retry count");
  unblock->add_option("ID", args->id, "Id or number")->required();
  add_local_flag(unblock, *args);
  unblock->callback([&context, args] {
    CliEdit change{"/unblock", "{}",
                   [](WorkItem& item) -> std::optional<std::string> {
                     ops::clear_block(item);
                     return "unblocked";
                   },
                   "unblocked"};
    edit_item(context, *args, change);
  });

  auto* check = story->add_subcommand(
      "check", "Tick acceptance criterion INDEX (0-based, as `show` lists them)");
  check->add_option("ID", args->id, "Id or number")->required();
  check->add_option("INDEX", args->index, "Criterion index from `stork story show`")
      ->required()
      ->check(CLI::NonNegativeNumber);
  check->add_flag("--uncheck", args->uncheck, "Clear the box instead");
  add_local_flag(check, *args);
  check->callback([&context, args] { run_check(context, *args); });
}

}  // namespace

void add_story_commands(CLI::App& app, CliContext& context) {
  auto args = std::make_shared<StoryArgs>();
  auto* story = app.add_subcommand("story", "Create, list, show and change work items");
  story->require_subcommand(1);
  add_new_command(story, context, args);
  add_read_and_move_commands(story, context, args);
  add_edit_commands(story, context, args);
}

}  // namespace stork::cli
