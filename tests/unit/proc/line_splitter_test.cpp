#include "proc/line_splitter.hpp"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stork::proc {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Feeds `chunks` one after the other and returns every line, the finish() tail included.
std::vector<std::string> split(const std::vector<std::string>& chunks,
                               std::size_t max_line_bytes = 1 << 20) {
  LineSplitter splitter(max_line_bytes);
  std::vector<std::string> lines;
  for (const auto& chunk : chunks)
    splitter.feed(chunk, lines);
  if (auto tail = splitter.finish()) lines.push_back(*tail);
  return lines;
}

TEST(LineSplitter, ReturnsCompleteLinesWithoutTheNewline) {
  LineSplitter splitter;
  std::vector<std::string> lines;
  splitter.feed("one\ntwo\n\nthree\n", lines);
  EXPECT_THAT(lines, ElementsAre("one", "two", "", "three"));
  EXPECT_EQ(splitter.finish(), std::nullopt);
}

TEST(LineSplitter, KeepsAPartialLineUntilItsNewlineArrives) {
  LineSplitter splitter;
  std::vector<std::string> lines;
  splitter.feed("par", lines);
  EXPECT_THAT(lines, IsEmpty());
  splitter.feed("tial\nnext", lines);
  EXPECT_THAT(lines, ElementsAre("partial"));
  splitter.feed("-line\n", lines);
  EXPECT_THAT(lines, ElementsAre("partial", "next-line"));
}

TEST(LineSplitter, StripsCrLfEvenWhenSplitBetweenCrAndLf) {
  EXPECT_THAT(split({"a\r\nb\r", "\nc\r\n"}), ElementsAre("a", "b", "c"));
  EXPECT_THAT(split({"progress\r50%\r\n"}), ElementsAre("progress\r50%"));  // inner \r kept
}

TEST(LineSplitter, ReassemblesAUtf8SequenceSplitAcrossFeeds) {
  // "✓" is E2 9C 93; "🚀" is F0 9F 9A 80.
  EXPECT_THAT(split({"ok \xE2", "\x9C", "\x93 done\n"}), ElementsAre("ok ✓ done"));
  EXPECT_THAT(split({"\xF0\x9F", "\x9A\x80\n"}), ElementsAre("🚀"));
}

TEST(LineSplitter, ReplacesInvalidBytes) {
  EXPECT_THAT(split({"caf\xE9\n\xFF\xFEok\n"}),
              ElementsAre("caf\xEF\xBF\xBD", "\xEF\xBF\xBD\xEF\xBF\xBDok"));
}

TEST(LineSplitter, TruncatedSequenceAtEndOfLineIsReplaced) {
  EXPECT_THAT(split({"ab\xE2\x9C\nnext\n"}), ElementsAre("ab\xEF\xBF\xBD\xEF\xBF\xBD", "next"));
}

TEST(LineSplitter, FinishReturnsTheTrailingPartialLineOnce) {
  LineSplitter splitter;
  std::vector<std::string> lines;
  splitter.feed("first\nlast without newline", lines);
  EXPECT_THAT(lines, ElementsAre("first"));
  EXPECT_EQ(splitter.finish(), "last without newline");
  EXPECT_EQ(splitter.finish(), std::nullopt);
}

TEST(LineSplitter, FinishRepairsAnIncompleteSequence) {
  EXPECT_THAT(split({"end\xF0\x9F"}), ElementsAre("end\xEF\xBF\xBD\xEF\xBF\xBD"));
}

TEST(LineSplitter, SplitsALongLineIntoPiecesOfAtMostTheLimit) {
  EXPECT_THAT(split({"abcdefghij\n"}, 4), ElementsAre("abcd", "efgh", "ij"));
  // The same when the long line arrives in small chunks, without its newline yet.
  EXPECT_THAT(split({"abc", "def", "ghi", "j\n"}, 4), ElementsAre("abcd", "efgh", "ij"));
}

TEST(LineSplitter, NeverCutsInsideAUtf8Sequence) {
  // "aa✓✓": a cut at 4 bytes would fall inside the first ✓.
  EXPECT_THAT(split({"aa✓✓\n"}, 4), ElementsAre("aa", "✓", "✓"));
  EXPECT_THAT(split({"aa\xE2", "\x9C\x93\xE2\x9C\x93\n"}, 4), ElementsAre("aa", "✓", "✓"));
  EXPECT_THAT(split({"abc🚀x\n"}, 5), ElementsAre("abc", "🚀x"));
}

TEST(LineSplitter, LineOfExactlyTheLimitStaysWholeWithItsCrLf) {
  EXPECT_THAT(split({"abcd\r", "\nef\n"}, 4), ElementsAre("abcd", "ef"));
}

TEST(LineSplitter, PendingBytesStayBoundedForAnEndlessLine) {
  LineSplitter splitter(16);
  std::vector<std::string> lines;
  for (int i = 0; i < 1000; ++i)
    splitter.feed("0123456789", lines);
  // 10000 bytes: 624 full pieces out already, the last 16 bytes wait for more.
  EXPECT_EQ(lines.size(), 624u);
  for (const auto& line : lines)
    EXPECT_EQ(line.size(), 16u);
  EXPECT_EQ(splitter.finish(), "4567890123456789");
}

TEST(LineSplitter, ManyLinesInOneChunkAllComeOutInOrder) {
  std::string chunk;
  for (int i = 0; i < 5000; ++i)
    chunk += "line " + std::to_string(i) + "\n";
  auto lines = split({chunk.substr(0, 7777), chunk.substr(7777)});
  ASSERT_EQ(lines.size(), 5000u);
  EXPECT_EQ(lines[0], "line 0");
  EXPECT_EQ(lines[4999], "line 4999");
}

}  // namespace
}  // namespace stork::proc
