#include "proc/supervisor_arguments.hpp"

#include <charconv>
#include <cstddef>
#include <iterator>
#include <string_view>

namespace stork::proc {
namespace {

constexpr std::string_view kPty = "pty", kPipe = "pipe";
constexpr std::string_view kStdin = "stdin", kNoStdin = "no-stdin";
constexpr std::string_view kEndOfCandidates = "--";

}  // namespace

std::vector<std::string> encode_supervisor_arguments(const SupervisorArguments& arguments) {
  std::vector<std::string> out{"stork-supervise"};
  out.emplace_back(arguments.use_pty ? kPty : kPipe);
  out.emplace_back(arguments.agent_stdin ? kStdin : kNoStdin);
  out.push_back(arguments.cwd);
  out.push_back(std::to_string(arguments.candidates.size()));
  out.insert(out.end(), arguments.candidates.begin(), arguments.candidates.end());
  out.emplace_back(kEndOfCandidates);
  out.insert(out.end(), arguments.argv.begin(), arguments.argv.end());
  return out;
}

std::optional<SupervisorArguments> decode_supervisor_arguments(int argc, const char* const* argv) {
  constexpr int kFixed = 5;  // program, pty, stdin, cwd, count
  if (argc < kFixed) return std::nullopt;
  SupervisorArguments arguments;
  const std::string_view mode = argv[1], input = argv[2], count = argv[4];
  if (mode != kPty && mode != kPipe) return std::nullopt;
  if (input != kStdin && input != kNoStdin) return std::nullopt;
  arguments.use_pty = mode == kPty;
  arguments.agent_stdin = input == kStdin;
  arguments.cwd = argv[3];
  int candidates = 0;
  const auto parsed = std::from_chars(count.data(), count.data() + count.size(), candidates);
  if (parsed.ec != std::errc() || parsed.ptr != count.data() + count.size() || candidates < 0 ||
      candidates > argc - kFixed - 2)
    return std::nullopt;
  int next = kFixed;
  for (int i = 0; i < candidates; ++i)
    arguments.candidates.emplace_back(argv[next++]);
  if (std::string_view(argv[next++]) != kEndOfCandidates) return std::nullopt;
  for (; next < argc; ++next)
    arguments.argv.emplace_back(argv[next]);
  if (arguments.argv.empty()) return std::nullopt;
  return arguments;
}

std::string encode_standby_plan(const std::vector<std::string>& command_line,
                                const std::vector<std::string>& environment) {
  std::string out = std::to_string(command_line.size());
  out.push_back('\0');
  for (const auto* strings : {&command_line, &environment}) {
    for (const auto& text : *strings) {
      out.append(text, 0, text.find('\0'));  // up to its first NUL, as execve reads it
      out.push_back('\0');
    }
  }
  return out;
}

std::optional<StandbyPlan> decode_standby_plan(std::string_view bytes) {
  std::vector<std::string> strings;
  while (!bytes.empty()) {
    const auto end = bytes.find('\0');
    if (end == std::string_view::npos) return std::nullopt;  // the last string is cut off
    strings.emplace_back(bytes.substr(0, end));
    bytes.remove_prefix(end + 1);
  }
  if (strings.empty()) return std::nullopt;
  const std::string& count = strings.front();
  std::size_t arguments = 0;
  const auto parsed = std::from_chars(count.data(), count.data() + count.size(), arguments);
  if (parsed.ec != std::errc() || parsed.ptr != count.data() + count.size() ||
      arguments > strings.size() - 1)
    return std::nullopt;
  StandbyPlan plan;
  const auto first = strings.begin() + 1;
  const auto environment = first + static_cast<std::ptrdiff_t>(arguments);
  plan.command_line.assign(std::make_move_iterator(first), std::make_move_iterator(environment));
  plan.environment.assign(std::make_move_iterator(environment),
                          std::make_move_iterator(strings.end()));
  return plan;
}

}  // namespace stork::proc
