// ZoneClock reads the system's zone files: offsets across DST, the next local HH:MM.
#include "notify/zone_clock.hpp"

#include <gtest/gtest.h>

namespace stork::notify {
namespace {

// 2026-01-15 12:00:00 UTC and 2026-07-15 12:00:00 UTC.
constexpr std::int64_t kWinter = 1768478400;
constexpr std::int64_t kSummer = 1784116800;

TEST(ZoneClock, ParisIsOneHourAheadInWinterAndTwoInSummer) {
  auto paris = ZoneClock::load(std::string("Europe/Paris"));
  ASSERT_TRUE(paris.ok()) << paris.error();
  EXPECT_EQ(paris.value().offset_at(kWinter), 3600);
  EXPECT_EQ(paris.value().offset_at(kSummer), 7200);
}

TEST(ZoneClock, NextLocalTimeIsTodayOrTomorrowInThatZone) {
  auto paris = ZoneClock::load(std::string("Europe/Paris"));
  ASSERT_TRUE(paris.ok()) << paris.error();
  // 12:00 UTC = 13:00 Paris in winter: 09:00 is tomorrow at 08:00 UTC, 18:30 today at 17:30.
  EXPECT_EQ(paris.value().next_local_time_ms(kWinter * 1000, 9, 0), (kWinter + 20 * 3600) * 1000);
  EXPECT_EQ(paris.value().next_local_time_ms(kWinter * 1000, 18, 30),
            (kWinter + 5 * 3600 + 1800) * 1000);
  // Summer: 14:00 local now; 15:00 local is 13:00 UTC.
  EXPECT_EQ(paris.value().next_local_time_ms(kSummer * 1000, 15, 0), (kSummer + 3600) * 1000);
  EXPECT_EQ(paris.value().local_date(kWinter * 1000), "2026-01-15");
  EXPECT_EQ(paris.value().local_date((kWinter + 11 * 3600 + 30 * 60) * 1000), "2026-01-16");
}

TEST(ZoneClock, UnknownOrUnsafeNamesAreErrors) {
  EXPECT_FALSE(ZoneClock::load(std::string("Mars/Olympus")).ok());
  EXPECT_FALSE(ZoneClock::load(std::string("../../etc/passwd")).ok());
  EXPECT_FALSE(ZoneClock::load(std::string("/etc/localtime")).ok());
}

}  // namespace
}  // namespace stork::notify
