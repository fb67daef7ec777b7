#include "state/append_file.hpp"

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork::state {
namespace {

using ::testing::HasSubstr;

TEST(AppendFile, CreatesThenAppends) {
  testing::TempDir dir;
  ASSERT_TRUE(append_to_file(dir / "f.jsonl", "one\n").ok());
  ASSERT_TRUE(append_to_file(dir / "f.jsonl", "two\n").ok());
  EXPECT_EQ(testing::read_text(dir / "f.jsonl"), "one\ntwo\n");
}

TEST(AppendFile, ConcurrentAppendersNeverInterleaveARecord) {
  testing::TempDir dir;
  constexpr int kPerWriter = 300;
  auto write = [&](char fill) {
    std::string record(4000, fill);
    record += '\n';
    for (int i = 0; i < kPerWriter; ++i)
      ASSERT_TRUE(append_to_file(dir / "f.jsonl", record).ok());
  };
  std::thread a([&] { write('a'); });
  std::thread b([&] { write('b'); });
  a.join();
  b.join();
  auto text = testing::read_text(dir / "f.jsonl");
  ASSERT_EQ(text.size(), 2u * kPerWriter * 4001);
  for (std::size_t start = 0; start < text.size(); start += 4001) {
    auto record = std::string_view(text).substr(start, 4001);
    ASSERT_EQ(record.back(), '\n') << "record at " << start;
    ASSERT_EQ(record.find_first_not_of(record.front()), 4000u) << "mixed record at " << start;
  }
}

TEST(AppendFile, UnopenablePathNamesTheFileAndCause) {
  testing::TempDir dir;
  auto appended = append_to_file(dir / "missing/f.jsonl", "x\n");
  ASSERT_FALSE(appended.ok());
  EXPECT_THAT(appended.error().message, HasSubstr((dir / "missing/f.jsonl").string()));
  EXPECT_THAT(appended.error().message, HasSubstr("No such file or directory"));
}

}  // namespace
}  // namespace stork::state
