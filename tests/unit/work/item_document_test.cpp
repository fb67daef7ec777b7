#include "work/item_document.hpp"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace stork {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

ItemDocument parse_ok(std::string text) {
  auto doc = ItemDocument::parse(std::move(text));
  EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.error().message);
  return doc.ok() ? std::move(*doc) : ItemDocument::from_body("");
}

std::vector<std::filesystem::path> corpus() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(STORK_TEST_DATA_DIR) / "items")) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ItemDocument, CorpusRoundTripsByteForByte) {
  auto files = corpus();
  ASSERT_GE(files.size(), 10u);
  for (const auto& file : files) {
    const std::string original = testing::read_text(file);
    auto doc = ItemDocument::parse(original);
    ASSERT_TRUE(doc.ok()) << file << ": " << doc.error().message;
    EXPECT_EQ(doc->text(), original) << file;
    ItemDocument copy = *doc;  // copies are independent and equal
    EXPECT_EQ(copy.text(), original) << file;
  }
}

TEST(ItemDocument, CorpusSurvivesAnEditElsewhere) {
  // Setting a new field adds lines for it and changes nothing else: removing it again gives
  // back the original bytes (for block-style front matter; flow_mapping.md is normalised).
  for (const auto& file : corpus()) {
    if (file.filename() == "flow_mapping.md") continue;
    const std::string original = testing::read_text(file);
    ItemDocument doc = parse_ok(original);
    if (!doc.has_front_matter()) continue;
    doc.set_bool("stork_probe", true);
    EXPECT_EQ(doc.get_bool("stork_probe"), true) << file;
    EXPECT_EQ(doc.body(), parse_ok(original).body()) << file;
    doc.remove("stork_probe");
    EXPECT_EQ(doc.text(), original) << file;
  }
}

TEST(ItemDocument, ReadsTypedValues) {
  ItemDocument doc = parse_ok(
      testing::read_text(std::filesystem::path(STORK_TEST_DATA_DIR) / "items/plain_story.md"));
  EXPECT_EQ(doc.get_string("name"), "Login page");
  EXPECT_EQ(doc.get_int("retry_count"), 1);
  EXPECT_THAT(*doc.get_string_list("depends_on"), ElementsAre("3_story_session_store", "4"));
  EXPECT_THAT(doc.keys(), ElementsAre("name", "agent", "qa", "depends_on", "retry_count"));
  EXPECT_EQ(doc.line_of("agent"), 3);
  EXPECT_EQ(doc.body_first_line(), 10);
  EXPECT_FALSE(doc.get_string("missing"));
}

TEST(ItemDocument, QuotedTrueIsAStringNotABool) {
  ItemDocument doc = parse_ok("---\na: \"true\"\nb: true\nc: 12\nd: '12'\n---\n");
  EXPECT_FALSE(doc.get_bool("a"));
  EXPECT_EQ(doc.get_string("a"), "true");
  EXPECT_EQ(doc.get_bool("b"), true);
  EXPECT_EQ(doc.get_int("c"), 12);
  EXPECT_FALSE(doc.get_int("d"));
}

TEST(ItemDocument, SetReplacesOnlyThatEntry) {
  ItemDocument doc =
      parse_ok("---\nname: A   # keep me\nretry_count: 1\nextra:  {odd: spacing}\n---\nbody\n");
  doc.set_int("retry_count", 2);
  EXPECT_EQ(doc.text(),
            "---\nname: A   # keep me\nretry_count: 2\nextra:  {odd: spacing}\n---\nbody\n");
}

TEST(ItemDocument, SetReplacesAMultiLineEntryWholly) {
  ItemDocument doc =
      parse_ok("---\nmerge_failure: |\n  line one\n  line two\n# about next\nnext: 1\n---\n");
  doc.set_string("merge_failure", "short");
  EXPECT_EQ(doc.text(), "---\nmerge_failure: short\n# about next\nnext: 1\n---\n");
}

TEST(ItemDocument, RemoveDeletesAllLinesOfTheEntry) {
  ItemDocument doc = parse_ok("---\na: 1\ndepends_on:\n- x\n- y\n\nb: 2\n---\nbody");
  doc.remove("depends_on");
  EXPECT_EQ(doc.text(), "---\na: 1\n\nb: 2\n---\nbody");
  doc.remove("not_there");
  EXPECT_EQ(doc.text(), "---\na: 1\n\nb: 2\n---\nbody");
}

TEST(ItemDocument, NewKeysAreAppendedInOrder) {
  ItemDocument doc = parse_ok("---\nname: A\n---\n");
  doc.set_bool("blocked", true);
  doc.set_string("blocked_reason", "waiting");
  EXPECT_EQ(doc.text(), "---\nname: A\nblocked: true\nblocked_reason: waiting\n---\n");
}

TEST(ItemDocument, AddingToDocumentWithoutFrontMatterKeepsBody) {
  const std::string body = "# Story 9: Plain\n\n- [ ] x\n";
  ItemDocument doc = parse_ok(body);
  EXPECT_FALSE(doc.has_front_matter());
  doc.set_bool("blocked", true);
  EXPECT_EQ(doc.text(), "---\nblocked: true\n---\n" + body);
  EXPECT_EQ(parse_ok(doc.text()).get_bool("blocked"), true);
}

TEST(ItemDocument, EditsKeepCrlfLineEndings) {
  ItemDocument doc = parse_ok("---\r\nname: A\r\n---\r\nbody\r\n");
  doc.set_int("retry_count", 3);
  doc.set_string("name", "B");
  EXPECT_EQ(doc.text(), "---\r\nname: B\r\nretry_count: 3\r\n---\r\nbody\r\n");
}

TEST(ItemDocument, StringsThatLookLikeOtherTypesAreQuoted) {
  ItemDocument doc = parse_ok("---\n---\n");
  doc.set_string("a", "yes");
  doc.set_string("b", "");
  doc.set_string("c", "123");
  doc.set_string("d", "key: value # not a comment");
  doc.set_string("e", "two\nlines");
  ItemDocument reread = parse_ok(doc.text());
  EXPECT_EQ(reread.get_string("a"), "yes");
  EXPECT_FALSE(reread.get_bool("a"));
  EXPECT_EQ(reread.get_string("b"), "");
  EXPECT_EQ(reread.get_string("c"), "123");
  EXPECT_FALSE(reread.get_int("c"));
  EXPECT_EQ(reread.get_string("d"), "key: value # not a comment");
  EXPECT_EQ(reread.get_string("e"), "two\nlines");
}

TEST(ItemDocument, SetsAFlowList) {
  ItemDocument doc = parse_ok("---\ndepends_on:\n  - a\n---\n");
  doc.set_string_list("depends_on", {"1_story_a", "2"});
  EXPECT_EQ(doc.text(), "---\ndepends_on: [1_story_a, \"2\"]\n---\n");
  EXPECT_THAT(*doc.get_string_list("depends_on"), ElementsAre("1_story_a", "2"));
}

TEST(ItemDocument, FlowMappingIsNormalisedOnEditWithValuesKept) {
  ItemDocument doc = parse_ok("---\n{name: Flow, agent: coder-3, extra: 1}\n---\nbody\n");
  doc.set_bool("blocked", true);
  ItemDocument reread = parse_ok(doc.text());
  EXPECT_EQ(reread.get_string("name"), "Flow");
  EXPECT_EQ(reread.get_string("agent"), "coder-3");
  EXPECT_EQ(reread.get_int("extra"), 1);
  EXPECT_EQ(reread.get_bool("blocked"), true);
  EXPECT_EQ(reread.body(), "body\n");
}

TEST(ItemDocument, UnclosedFrontMatterIsAnErrorAtLineOne) {
  auto doc = ItemDocument::parse("---\nname: A\nbody without closing\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().line, 1);
  EXPECT_THAT(doc.error().message, HasSubstr("never closed"));
}

TEST(ItemDocument, InvalidYamlReportsTheFileLine) {
  auto doc = ItemDocument::parse("---\nname: A\ndepends_on: [a, b\nother: 1\n---\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_GE(doc.error().line, 3);
  EXPECT_THAT(doc.error().message, HasSubstr("invalid YAML"));
}

TEST(ItemDocument, NonMappingFrontMatterIsAnError) {
  auto doc = ItemDocument::parse("---\n- just\n- a list\n---\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().line, 2);
  EXPECT_THAT(doc.error().message, HasSubstr("key: value"));
}

TEST(ItemDocument, DashesLaterInTheFileAreNotFrontMatter) {
  ItemDocument doc = parse_ok("# Title\n---\nname: x\n---\n");
  EXPECT_FALSE(doc.has_front_matter());
  EXPECT_FALSE(doc.has("name"));
}

TEST(ItemDocument, DotsCloseFrontMatterToo) {
  ItemDocument doc = parse_ok("---\nname: A\n...\nbody\n");
  EXPECT_EQ(doc.get_string("name"), "A");
  EXPECT_EQ(doc.body(), "body\n");
}

TEST(ItemDocument, ReplaceInBodyEditsOnlyThoseBytes) {
  ItemDocument doc = parse_ok("---\nname: A\n---\n- [ ] x\n");
  doc.replace_in_body(3, 1, "x");
  EXPECT_EQ(doc.text(), "---\nname: A\n---\n- [x] x\n");
}

}  // namespace
}  // namespace stork
