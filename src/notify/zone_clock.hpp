// ZoneClock: UTC offsets of an IANA time zone (`timezone` in project.toml), read from the
// system's compiled zone files (/usr/share/zoneinfo, TZif as in RFC 8536; $TZDIR overrides).
// libstdc++ 12 has no std::chrono::tzdb, and setenv("TZ") + localtime_r would change the whole
// process's zone from a worker thread; this reads one file into a value and never touches the
// process's zone. Past the file's last transition the last offset stays in force (Debian's
// files list transitions to 2037).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace stork::notify {

class ZoneClock {
 public:
  // `name` such as "Europe/Paris"; none: the server's zone (/etc/localtime), or UTC.
  static Result<ZoneClock, std::string> load(const std::optional<std::string>& name);
  static ZoneClock utc() { return ZoneClock(); }

  // Seconds east of UTC at the UTC instant `utc_seconds`.
  std::int32_t offset_at(std::int64_t utc_seconds) const;

  // The next UTC instant (ms) after `now_ms` at which local time is `hour`:`minute`.
  std::int64_t next_local_time_ms(std::int64_t now_ms, int hour, int minute) const;
  // The local calendar date at `utc_ms`, as YYYY-MM-DD.
  std::string local_date(std::int64_t utc_ms) const;

 private:
  ZoneClock() = default;
  std::vector<std::int64_t> transitions_;   // UTC seconds, ascending
  std::vector<std::int32_t> offset_after_;  // the offset from each transition on
  std::int32_t initial_offset_ = 0;         // before the first transition
};

}  // namespace stork::notify
