#include "proc/process_tree.hpp"

#include <charconv>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>

#include <unistd.h>

namespace stork::proc {
namespace {

// The whitespace-separated fields after the command name's closing parenthesis.
std::vector<std::string_view> fields_after_name(std::string_view line) {
  std::vector<std::string_view> fields;
  const auto close = line.rfind(')');
  if (close == std::string_view::npos) return fields;
  std::string_view rest = line.substr(close + 1);
  std::size_t i = 0;
  while (i < rest.size()) {
    while (i < rest.size() && rest[i] == ' ')
      ++i;
    const std::size_t start = i;
    while (i < rest.size() && rest[i] != ' ' && rest[i] != '\n')
      ++i;
    if (i > start) fields.push_back(rest.substr(start, i - start));
    if (i < rest.size() && rest[i] == '\n') break;
  }
  return fields;
}

template <class T>
std::optional<T> number(std::string_view text) {
  T value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<ProcessSample> parse_stat(std::string_view line, long ticks_per_second,
                                        long page_size) {
  // proc(5): after "(comm)": state(3) ppid(4) pgrp(5) ... utime(14) stime(15) ... rss(24).
  const auto fields = fields_after_name(line);
  if (fields.size() < 22) return std::nullopt;
  auto pid = number<pid_t>(line.substr(0, line.find(' ')));
  auto ppid = number<pid_t>(fields[1]);
  auto pgid = number<pid_t>(fields[2]);
  auto utime = number<unsigned long long>(fields[11]);
  auto stime = number<unsigned long long>(fields[12]);
  auto rss = number<long long>(fields[21]);
  if (!pid || !ppid || !pgid || !utime || !stime || !rss || ticks_per_second <= 0)
    return std::nullopt;
  ProcessSample sample;
  sample.pid = *pid;
  sample.ppid = *ppid;
  sample.pgid = *pgid;
  sample.cpu_seconds = static_cast<double>(*utime + *stime) / static_cast<double>(ticks_per_second);
  sample.rss_bytes = *rss * page_size;
  return sample;
}

std::vector<ProcessSample> read_processes(const std::filesystem::path& proc_root) {
  std::vector<ProcessSample> out;
  const long ticks = ::sysconf(_SC_CLK_TCK);
  const long page = ::sysconf(_SC_PAGESIZE);
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(proc_root, error)) {
    const std::string name = entry.path().filename().string();
    if (!number<pid_t>(name)) continue;
    std::ifstream file(entry.path() / "stat");
    if (!file) continue;  // it exited meanwhile
    std::string line((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (auto sample = parse_stat(line, ticks, page)) out.push_back(*sample);
  }
  return out;
}

TreeLoad tree_load(const std::vector<ProcessSample>& processes, pid_t root) {
  std::multimap<pid_t, const ProcessSample*> children;
  std::map<pid_t, const ProcessSample*> by_pid;
  for (const auto& process : processes) {
    children.emplace(process.ppid, &process);
    by_pid.emplace(process.pid, &process);
  }
  std::set<pid_t> seen;
  std::vector<pid_t> todo{root};
  for (const auto& process : processes) {
    if (process.pgid == root) todo.push_back(process.pid);
  }
  TreeLoad load;
  while (!todo.empty()) {
    const pid_t pid = todo.back();
    todo.pop_back();
    auto found = by_pid.find(pid);
    if (found == by_pid.end() || !seen.insert(pid).second) continue;
    load.processes += 1;
    load.cpu_seconds += found->second->cpu_seconds;
    load.rss_bytes += found->second->rss_bytes;
    auto [begin, end] = children.equal_range(pid);
    for (auto it = begin; it != end; ++it)
      todo.push_back(it->second->pid);
  }
  return load;
}

}  // namespace stork::proc
