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

namespace stork {
namespace {

void expect_refused(const std::string& text, int line, const std::string& words) {
  auto doc = ItemDocument::parse(text);
  ASSERT_FALSE(doc.ok()) << "should be refused:\n" << text;
  EXPECT_EQ(doc.error().line, line);
  EXPECT_THAT(doc.error().message, HasSubstr(words));
}

TEST(ItemDocumentHazards, BrokenTextAfterTheFirstValueIsRefused) {
  expect_refused("---\n{name: x}\nb: [\n---\nbody\n", 4, "not YAML");
}

TEST(ItemDocumentHazards, ControlCharactersInTheFrontMatterAreRefused) {
  expect_refused("---\nq: \x11\n? c\n: v\n---\nbody\n", 2, "control character");
}

TEST(ItemDocumentHazards, InvalidUtf8InTheFrontMatterIsRefused) {
  expect_refused("---\nname: ok\nnote: caf\xe9\n---\nbody\n", 3, "not valid UTF-8");
}

TEST(ItemDocumentHazards, InvalidUtf8ValuesAreRepairedOnWrite) {
  auto doc = ItemDocument::parse("---\nname: x\n---\n");
  doc->set_string("merge_failure", "CONFLICT in caf\xe9.txt");
  doc->set_string_list("depends_on", {"ok", "bad\xff", "ctl\x01"});
  auto reread = ItemDocument::parse(doc->text());
  ASSERT_TRUE(reread.ok()) << reread.error().message;
  EXPECT_EQ(reread->get_string("merge_failure"), "CONFLICT in caf\xEF\xBF\xBD.txt");
  EXPECT_EQ(reread->get_string_list("depends_on")->at(1), "bad\xEF\xBF\xBD");
  EXPECT_EQ(reread->get_string_list("depends_on")->at(2), "ctl\xEF\xBF\xBD");
}

TEST(ItemDocumentHazards, ControlCharactersInValuesBecomeReplacementCharacters) {
  auto doc = ItemDocument::parse("---\nname: x\n---\n");
  doc->set_string("merge_failure", std::string("\x1b[31mred\x01\x7f\tok\r\n"));
  auto reread = ItemDocument::parse(doc->text());
  ASSERT_TRUE(reread.ok()) << reread.error().message;
  EXPECT_EQ(reread->get_string("merge_failure"),
            "\xEF\xBF\xBD[31mred\xEF\xBF\xBD\xEF\xBF\xBD\tok\r\n");
}

TEST(ItemDocumentHazards, TabInAPlainValueSurvivesAWholeBlockRewrite) {
  expect_edit_keeps_others("---\nname: Fix\tthe thing\n? c\n: v\n---\nbody\n", "blocked",
                           [](ItemDocument& d) { d.set_bool("blocked", true); });
}

TEST(ItemDocumentHazards, NullKeyInANestedMapping) {
  expect_edit_keeps_others("---\nname: a\ndepends_on:\n  : x\n---\nbody\n", "name",
                           [](ItemDocument& d) { d.set_string("name", "b"); });
}

TEST(ItemDocumentHazards, SelfReferringAliasIsRefused) {
  expect_refused("---\ndefaults: &d\n  s: *d\nname: x\n---\nbody\n", 2, "refers to itself");
}

TEST(ItemDocumentHazards, AliasBombIsRefused) {
  std::string text = "---\na: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char previous = 'a';
  for (char name = 'b'; name <= 'g'; ++name, ++previous) {
    text += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 10; ++i)
      text += std::string(i ? ", *" : "*") + previous;
    text += "]\n";
  }
  auto doc = ItemDocument::parse(text + "---\n");
  ASSERT_FALSE(doc.ok());
  EXPECT_THAT(doc.error().message, HasSubstr("too many values"));
}

TEST(ItemDocumentHazards, DuplicateKeysAreRefusedAtAnyDepth) {
  expect_refused("---\nf:\n  qa: t\n  qa\n---\n", 4, "appears twice");
  expect_refused("---\nname: a\nname: b\n---\n", 3, "appears twice");
}

TEST(ItemDocumentHazards, CustomTagsSurviveAWholeBlockRewrite) {
  expect_edit_keeps_others("---\nname: a\n? c\n: v\nx: !custom u\n---\nbody\n", "name",
                           [](ItemDocument& d) { d.set_string("name", "b"); });
}

}  // namespace
}  // namespace stork
