// ReplayGate: replayed events first, live ones held meanwhile, then each seq once, in order.
#include "api/replay_gate.hpp"

#include <gtest/gtest.h>

namespace stork::api {
namespace {

TEST(ReplayGate, WithoutAfterSeqLiveEventsPassAtOnceInOrderOnlyOnce) {
  ReplayGate gate(std::nullopt);
  EXPECT_FALSE(gate.replaying());
  EXPECT_TRUE(gate.pass_live(5, "e5"));
  EXPECT_TRUE(gate.pass_live(6, "e6"));
  EXPECT_FALSE(gate.pass_live(6, "e6 again"));
  EXPECT_FALSE(gate.pass_live(4, "late"));
  EXPECT_EQ(gate.last_seq(), 6);
}

TEST(ReplayGate, LiveEventsDuringTheReplayAreHeldAndOnlyTheUncoveredOnesReleased) {
  ReplayGate gate(3);
  EXPECT_TRUE(gate.replaying());
  // Events 6..9 happen while the replay reads; it reads up to 7 of them itself.
  EXPECT_FALSE(gate.pass_live(6, "e6"));
  EXPECT_FALSE(gate.pass_live(7, "e7"));
  for (std::int64_t seq = 4; seq <= 7; ++seq)
    EXPECT_TRUE(gate.pass_replayed(seq)) << seq;
  EXPECT_FALSE(gate.pass_live(8, "e8"));
  EXPECT_FALSE(gate.pass_live(9, "e9"));
  EXPECT_EQ(gate.finish_replay(), (std::vector<std::string>{"e8", "e9"}));
  EXPECT_FALSE(gate.replaying());
  EXPECT_EQ(gate.last_seq(), 9);
  EXPECT_FALSE(gate.pass_live(9, "e9 again"));
  EXPECT_TRUE(gate.pass_live(10, "e10"));
}

TEST(ReplayGate, ReplayedEventsAtOrBelowAfterSeqAreNotSentAgain) {
  ReplayGate gate(5);
  EXPECT_FALSE(gate.pass_replayed(5));
  EXPECT_TRUE(gate.pass_replayed(6));
  EXPECT_TRUE(gate.finish_replay().empty());
  EXPECT_EQ(gate.last_seq(), 6);
}

TEST(ReplayGate, NothingMissedKeepsAfterSeqAsTheLastSeq) {
  ReplayGate gate(12);
  EXPECT_TRUE(gate.finish_replay().empty());
  EXPECT_EQ(gate.last_seq(), 12);
  EXPECT_FALSE(gate.pass_live(12, "seen"));
  EXPECT_TRUE(gate.pass_live(13, "new"));
}

}  // namespace
}  // namespace stork::api
