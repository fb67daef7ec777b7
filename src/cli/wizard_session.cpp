#include "cli/wizard_session.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

namespace stork::cli {
namespace json = boost::json;

namespace {

std::string text(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

const json::object* current_step(const json::object& status) {
  const auto current = text(status, "current");
  if (current.empty()) return nullptr;
  for (const auto& step : status.at("steps").as_array()) {
    if (text(step.as_object(), "step") == current) return &step.as_object();
  }
  return nullptr;
}

void show(CliContext& context, const json::object& step) {
  context.out << "\n== " << text(step, "title") << " (" << text(step, "file") << "), drafted from "
              << text(step, "source") << " ==\n"
              << text(step, "draft");
  if (const auto* gate = step.if_contains("gate"); gate != nullptr && gate->is_object()) {
    const auto& run = gate->as_object();
    context.out << "-- the gate ran: " << (run.at("passed").as_bool() ? "passed" : "failed") << " ("
                << text(run, "outcome") << ")\n"
                << text(run, "output") << "\n";
  }
}

// $EDITOR (else vi) on a temporary copy of `draft`, with the terminal; the text as saved.
std::optional<std::string> edit_in_editor(CliContext& context, const std::string& draft) {
  std::string path = (std::filesystem::temp_directory_path() / "stork-wizard-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0) return std::nullopt;
  ::close(fd);
  std::ofstream(path) << draft;
  const char* editor = std::getenv("EDITOR");
  // The editor command may carry arguments ("code -w"): the shell splits it, the file name
  // travels as "$1" and is never parsed by the shell.
  const std::string script = std::string(editor != nullptr && *editor ? editor : "vi") + " \"$1\"";
  std::vector<std::string> argv_text{"sh", "-c", script, "sh", path};
  std::vector<char*> argv;
  argv.reserve(argv_text.size() + 1);
  for (auto& arg : argv_text)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int status = 0;
  if (::posix_spawnp(&pid, "sh", nullptr, nullptr, argv.data(), environ) != 0 ||
      ::waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    context.warn("the editor did not exit cleanly; the draft is unchanged");
    std::filesystem::remove(path);
    return std::nullopt;
  }
  std::stringstream saved;
  saved << std::ifstream(path).rdbuf();
  std::filesystem::remove(path);
  return saved.str();
}

std::string ask(CliContext& context, std::istream& in, const std::string& question) {
  context.out << question << std::flush;
  std::string line;
  if (!std::getline(in, line)) return "q";
  return line;
}

// One answer to the current step's draft; the reply to carry on with, or none to stop.
std::optional<WizardReply> decide(CliContext& context, std::istream& in, WizardDriver& driver,
                                  const std::string& step, const std::string& draft) {
  const auto answer =
      ask(context, in, "[c]onfirm, [e]dit in $EDITOR, [r]etry with feedback, [s]kip, [q]uit? ");
  const char key = answer.empty() ? ' ' : answer[0];
  if (key == 'c') {
    auto reply = driver.act(step, "confirm", {});
    if (reply.conflict && reply.error.find("changed since") != std::string::npos) {
      context.out << reply.error << "\n";
      if (ask(context, in, "Overwrite it? [y/N] ") == "y")
        reply = driver.act(step, "confirm", {{"overwrite", true}});
    }
    return reply;
  }
  if (key == 'e') {
    auto edited = edit_in_editor(context, draft);
    if (!edited) return driver.status();
    return driver.act(step, "edit", {{"content", *edited}});
  }
  if (key == 'r') {
    const auto feedback = ask(context, in, "What should change? ");
    return driver.act(step, "retry", {{"feedback", feedback}});
  }
  if (key == 's') return driver.act(step, "skip", {});
  if (key == 'q') return std::nullopt;
  return driver.status();
}

}  // namespace

int run_wizard_session(CliContext& context, std::istream& in, WizardDriver& driver) {
  context.out << "stork: setup wizard, through " << driver.where() << "\n";
  auto reply = driver.status();
  for (;;) {
    if (!reply.status) {
      context.out << "stork: " << reply.error << "\n";
      reply = driver.status();
      if (!reply.status) {
        context.fail(kExitFailure, reply.error);
        return kExitFailure;
      }
    }
    const auto& status = *reply.status;
    const auto* step = current_step(status);
    if (step == nullptr) {
      const auto commit = text(status, "setup_commit");
      context.out << "stork: the wizard is finished"
                  << (commit.empty() ? " (nothing written)"
                                     : "; committed " + commit + " (storkit: setup)")
                  << "\n";
      if (!text(status, "commit_error").empty())
        context.warn("the setup commit failed: " + text(status, "commit_error"));
      return kExitOk;
    }
    const auto name = text(*step, "step");
    if (text(*step, "state") == "pending") {
      context.out << "stork: drafting " << text(*step, "title") << "...\n";
      reply = driver.act(name, "generate", {});
      continue;
    }
    show(context, *step);
    auto next = decide(context, in, driver, name, text(*step, "draft"));
    if (!next) {
      context.out << "stork: left the wizard; run `stork init --wizard` again to resume\n";
      return kExitOk;
    }
    reply = std::move(*next);
  }
}

}  // namespace stork::cli
