#include "http/event_stream.hpp"

#include <gtest/gtest.h>

#include "http/event_stream_access.hpp"

namespace stork::http {
namespace {

using detail::EventStreamAccess;

TEST(HttpEventStream, FormatsEventsWithOneDataLinePerLine) {
  EventStream stream;
  EXPECT_TRUE(stream.send("{\"a\":1}\nsecond", "status\r\nx", "4\n2"));
  stream.comment("keep-alive");
  EXPECT_EQ(EventStreamAccess::take(stream).bytes,
            "id: 42\nevent: statusx\ndata: {\"a\":1}\ndata: second\n\n: keep-alive\n\n");
  EXPECT_EQ(EventStreamAccess::take(stream).bytes, "");
}

TEST(HttpEventStream, CloseEndsItOnceAndKeepsWhatIsPendingForTheClient) {
  EventStream stream;
  int closes = 0;
  stream.on_close([&] { ++closes; });
  stream.send("last");
  stream.close();
  stream.close();
  EXPECT_TRUE(stream.closed());
  EXPECT_FALSE(stream.send("late"));
  EXPECT_EQ(closes, 1);
  auto taken = EventStreamAccess::take(stream);
  EXPECT_EQ(taken.bytes, "data: last\n\n");
  EXPECT_TRUE(taken.closed);
  EXPECT_FALSE(taken.abandoned);

  bool late_callback = false;
  stream.on_close([&] { late_callback = true; });
  EXPECT_TRUE(late_callback);
}

TEST(HttpEventStream, OverflowingTheBoundEndsTheStreamAndDropsWhatIsPending) {
  EventStream stream(64);
  int closes = 0;
  stream.on_close([&] { ++closes; });
  EXPECT_TRUE(stream.send(std::string(30, 'a')));
  EXPECT_FALSE(stream.send(std::string(30, 'b')));
  EXPECT_TRUE(stream.closed());
  EXPECT_EQ(closes, 1);
  auto taken = EventStreamAccess::take(stream);
  EXPECT_TRUE(taken.abandoned);
  EXPECT_EQ(taken.bytes, "");
}

TEST(HttpEventStream, AbandonByTheConnectionFiresOnClose) {
  EventStream stream;
  int closes = 0;
  stream.on_close([&] { ++closes; });
  int wakes = 0;
  EventStreamAccess::attach(stream, [&] { ++wakes; });
  stream.send("x");
  EXPECT_EQ(wakes, 1);
  EventStreamAccess::abandon(stream);
  EXPECT_EQ(closes, 1);
  EXPECT_TRUE(stream.closed());
  EXPECT_FALSE(stream.send("y"));
  EXPECT_EQ(wakes, 1);  // the waker is gone with the connection
}

}  // namespace
}  // namespace stork::http
