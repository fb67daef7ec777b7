// Front-matter layouts on which a naive line edit loses or corrupts other fields. Each was found
// by tests/fuzz/front_matter_fuzz; an edit must either keep every other field exactly or the
// document must be refused when read.
#include <functional>
#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "work/item_document.hpp"

namespace stork {
namespace {

using ::testing::HasSubstr;

std::map<std::string, std::string> fields(const ItemDocument& doc) {
  std::map<std::string, std::string> values;
  for (const auto& key : doc.keys())
    values[key] = doc.describe_value(key);
  return values;
}

// Applies `edit` and checks: the new text parses, the body is untouched and every field other
// than `key` reads exactly as before.
void expect_edit_keeps_others(const std::string& text, const std::string& key,
                              const std::function<void(ItemDocument&)>& edit) {
  auto doc = ItemDocument::parse(text);
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  auto before = fields(*doc);
  before.erase(key);
  edit(*doc);
  auto reread = ItemDocument::parse(doc->text());
  ASSERT_TRUE(reread.ok()) << "edited text no longer parses: " << reread.error().message << "\n"
                           << doc->text();
  auto after = fields(*reread);
  after.erase(key);
  EXPECT_EQ(after, before) << doc->text();
  EXPECT_EQ(reread->body(), ItemDocument::parse(text)->body());
}

TEST(ItemDocumentHazards, TrailingSecondDocumentIsRefusedNotHalfRead) {
  auto doc = ItemDocument::parse("---\n{name: Login, agent: coder-1}\nblocked: true\n---\nbody\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().line, 3);
  EXPECT_THAT(doc.error().message, HasSubstr("more than one YAML document"));
}

TEST(ItemDocumentHazards, UnreadableFrontMatterIsRefusedNotReadAsEmpty) {
  auto doc = ItemDocument::parse("---\n,name: Login\nagent: coder-1\n---\nbody\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.error().line, 2);
}

TEST(ItemDocumentHazards, MultiLineFlowMappingAtColumnZero) {
  const std::string text = "---\n{\nname: x,\nagent: y\n}\n---\nbody\n";
  expect_edit_keeps_others(text, "blocked", [](ItemDocument& d) { d.set_bool("blocked", true); });
  expect_edit_keeps_others(text, "name", [](ItemDocument& d) { d.set_string("name", "z"); });
}

TEST(ItemDocumentHazards, RemovingAnAnchoredValueKeepsItsAliases) {
  const std::string text = "---\nagent: &who coder-2\nreviewer: *who\n---\nbody 2\n";
  expect_edit_keeps_others(text, "agent", [](ItemDocument& d) { d.remove("agent"); });
  expect_edit_keeps_others(text, "agent",
                           [](ItemDocument& d) { d.set_string("agent", "coder-9"); });
}

TEST(ItemDocumentHazards, KeyWithoutColonOnTheLastLine) {
  expect_edit_keeps_others("---\nname: Login\nstray line\n---\nbody\n", "blocked",
                           [](ItemDocument& d) { d.set_bool("blocked", true); });
}

TEST(ItemDocumentHazards, UnterminatedQuoteDoesNotSwallowANewKey) {
  const std::string text = "---\nname: \"Login page\n---\n";
  expect_edit_keeps_others(text, "blocked", [](ItemDocument& d) {
    d.set_bool("blocked", true);
    EXPECT_EQ(d.get_bool("blocked"), true);
  });
}

TEST(ItemDocumentHazards, ExplicitKeyOnItsOwnLine) {
  expect_edit_keeps_others("---\nname: first\n? \ncomplex\n: v\n---\nbody\n", "name",
                           [](ItemDocument& d) { d.set_string("name", "renamed"); });
}

TEST(ItemDocumentHazards, IndentedCommentDoesNotJoinABlockScalar) {
  const std::string text =
      "---\nmerge_failure: |\n  CONFLICT in src/app.cpp\ndepends_on:\n  - 3_story_first\n"
      "  # keep 4 until the API lands\nagent: coder-1\n---\nbody 7\n";
  expect_edit_keeps_others(text, "depends_on", [](ItemDocument& d) { d.remove("depends_on"); });
}

TEST(ItemDocumentHazards, ControlCharactersInValuesAreQuoted) {
  auto doc = ItemDocument::parse("---\nname: x\n---\n");
  doc->set_string("blocked_reason", "\r\r");
  doc->set_string("note", "tab\tinside");
  doc->set_string("padded", " leading and trailing ");
  auto reread = ItemDocument::parse(doc->text());
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread->get_string("blocked_reason"), "\r\r");
  EXPECT_EQ(reread->get_string("note"), "tab\tinside");
  EXPECT_EQ(reread->get_string("padded"), " leading and trailing ");
}

TEST(ItemDocumentHazards, QuotedNumbersStayStringsWhenTheWholeBlockIsRewritten) {
  // A flow mapping forces the whole-block rewrite; "12" must not turn into the number 12.
  const std::string text = "---\n{id: \"12\", count: 12}\n---\n";
  expect_edit_keeps_others(text, "blocked", [](ItemDocument& d) { d.set_bool("blocked", true); });
}

}  // namespace
}  // namespace stork

namespace stork {
namespace {

TEST(ItemDocumentHazards, ExplicitTagsSurviveAWholeBlockRewrite) {
  // A key line without a colon forces the rewrite; `!!str` must stay on `fame`.
  const std::string text = "---\ndefaults: &d\n  qa7 a-\nfame: !!str CRLFystory\n--\n---\nbody\n";
  expect_edit_keeps_others(text, "merge_failure", [](ItemDocument& d) {
    d.set_string("merge_failure", "F\n\n## X\n\n- ");
    EXPECT_EQ(d.get_string("merge_failure"), "F\n\n## X\n\n- ");
  });
}

}  // namespace
}  // namespace stork
