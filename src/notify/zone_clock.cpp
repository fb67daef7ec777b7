#include "notify/zone_clock.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "base/file_io.hpp"

namespace stork::notify {
namespace {

std::int64_t big_endian(const std::string& data, std::size_t at, std::size_t bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < bytes; ++i)
    value = (value << 8U) | static_cast<unsigned char>(data[at + i]);
  if (bytes == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
  return static_cast<std::int64_t>(value);
}

bool is_zone_name(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '/' || c == '_' || c == '-' || c == '+';
  });
}

struct Counts {
  std::int64_t isut, isstd, leap, time, type, chars;
};

Counts read_counts(const std::string& data, std::size_t at) {
  return Counts{big_endian(data, at + 20, 4), big_endian(data, at + 24, 4),
                big_endian(data, at + 28, 4), big_endian(data, at + 32, 4),
                big_endian(data, at + 36, 4), big_endian(data, at + 40, 4)};
}

std::size_t block_size(const Counts& c, std::size_t time_bytes) {
  return static_cast<std::size_t>(
      c.time * static_cast<std::int64_t>(time_bytes) + c.time + c.type * 6 + c.chars +
      c.leap * static_cast<std::int64_t>(time_bytes + 4) + c.isstd + c.isut);
}

}  // namespace

Result<ZoneClock, std::string> ZoneClock::load(const std::optional<std::string>& name) {
  std::filesystem::path file = "/etc/localtime";
  if (name) {
    if (!is_zone_name(*name)) return fail("'" + *name + "' is not a time zone name");
    const char* dir = std::getenv("TZDIR");
    file = std::filesystem::path(dir != nullptr ? dir : "/usr/share/zoneinfo") / *name;
  }
  auto text = read_file(file);
  if (!text.ok()) {
    if (!name) return ZoneClock::utc();
    return fail("unknown time zone '" + *name + "' (" + text.error().message + ")");
  }
  const std::string& data = text.value();
  const std::string what = name ? *name : file.string();
  if (data.size() < 44 || data.compare(0, 4, "TZif") != 0)
    return fail(what + " is not a compiled time zone file");
  Counts counts = read_counts(data, 0);
  std::size_t at = 44;
  std::size_t time_bytes = 4;
  if (data[4] >= '2') {  // skip the 32-bit block; use the 64-bit one
    at += block_size(counts, 4);
    if (data.size() < at + 44) return fail(what + ": truncated time zone file");
    counts = read_counts(data, at);
    at += 44;
    time_bytes = 8;
  }
  if (counts.type < 1 || data.size() < at + block_size(counts, time_bytes))
    return fail(what + ": truncated time zone file");
  const std::size_t types_at = at + static_cast<std::size_t>(counts.time) * (time_bytes + 1);
  auto offset_of_type = [&](std::int64_t type) {
    return static_cast<std::int32_t>(
        big_endian(data, types_at + static_cast<std::size_t>(type) * 6, 4));
  };
  ZoneClock clock;
  clock.initial_offset_ = offset_of_type(0);
  for (std::int64_t i = 0; i < counts.time; ++i) {
    const auto index = static_cast<std::size_t>(i);
    const auto type = static_cast<unsigned char>(
        data[at + static_cast<std::size_t>(counts.time) * time_bytes + index]);
    if (type >= counts.type) return fail(what + ": bad time zone file");
    clock.transitions_.push_back(big_endian(data, at + index * time_bytes, time_bytes));
    clock.offset_after_.push_back(offset_of_type(type));
  }
  return clock;
}

std::int32_t ZoneClock::offset_at(std::int64_t utc_seconds) const {
  auto after = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds);
  if (after == transitions_.begin()) return initial_offset_;
  return offset_after_[static_cast<std::size_t>(after - transitions_.begin() - 1)];
}

std::int64_t ZoneClock::next_local_time_ms(std::int64_t now_ms, int hour, int minute) const {
  constexpr std::int64_t kDay = 86400;
  const std::int64_t now_s = now_ms / 1000;
  const std::int64_t local_now = now_s + offset_at(now_s);
  const std::int64_t day_start = local_now - (((local_now % kDay) + kDay) % kDay);
  std::int64_t target_local = day_start + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60;
  for (int day = 0; day < 3; ++day, target_local += kDay) {
    // The offset at the target itself (a DST change between now and then moves it).
    std::int64_t utc = target_local - offset_at(target_local - offset_at(now_s));
    utc = target_local - offset_at(utc);
    if (utc > now_s) return utc * 1000;
  }
  return (now_s + kDay) * 1000;
}

std::string ZoneClock::local_date(std::int64_t utc_ms) const {
  const std::int64_t seconds = utc_ms / 1000;
  const std::chrono::sys_seconds local{std::chrono::seconds(seconds + offset_at(seconds))};
  const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(local)};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

}  // namespace stork::notify
