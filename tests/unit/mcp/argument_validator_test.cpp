#include "mcp/argument_validator.hpp"

#include <string>

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace stork::mcp {
namespace {

namespace json = boost::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

json::object schema(std::string_view text) {
  return json::parse(text).as_object();
}

std::vector<std::string> check(std::string_view schema_text, std::string_view args) {
  return validate_arguments(schema(schema_text), json::parse(args));
}

constexpr std::string_view kStorySchema = R"({
  "type": "object",
  "properties": {
    "story_id": {"type": "string", "description": "the item id"},
    "labels": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3},
    "stage": {"enum": ["backlog", "current", "qa"]},
    "count": {"type": "integer", "minimum": 1, "maximum": 10},
    "note": {"type": ["string", "null"]},
    "options": {"type": "object",
                "properties": {"depth": {"type": "integer"}},
                "required": ["depth"], "additionalProperties": false}
  },
  "required": ["story_id"],
  "additionalProperties": false
})";

TEST(ArgumentValidator, AcceptsArgumentsThatMatch) {
  EXPECT_THAT(check(kStorySchema, R"({"story_id": "42_story_x", "labels": ["a"], "stage": "qa",
                                      "count": 3, "note": null, "options": {"depth": 2}})"),
              IsEmpty());
}

TEST(ArgumentValidator, NamesTheArgumentWithTheWrongType) {
  EXPECT_THAT(check(kStorySchema, R"({"story_id": 42})"),
              ElementsAre("argument 'story_id': expected string, got number"));
}

TEST(ArgumentValidator, ReportsAMissingRequiredArgumentWithItsType) {
  EXPECT_THAT(check(kStorySchema, R"({})"),
              ElementsAre("argument 'story_id' is required (string)"));
}

TEST(ArgumentValidator, RefusesUnknownArgumentsWhenAdditionalPropertiesIsFalse) {
  auto errors = check(kStorySchema, R"({"story_id": "1", "storyId": "1"})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("argument 'storyId' is not allowed"));
  EXPECT_THAT(errors[0], HasSubstr("allowed: story_id, labels, stage"));
}

TEST(ArgumentValidator, AllowsUnknownArgumentsWhenAdditionalPropertiesIsAbsent) {
  EXPECT_THAT(check(R"({"type": "object", "properties": {"a": {"type": "string"}}})",
                    R"({"a": "x", "b": 1})"),
              IsEmpty());
}

TEST(ArgumentValidator, ReportsEveryProblemAtOnce) {
  auto errors = check(kStorySchema, R"({"story_id": true, "count": 0, "extra": 1})");
  EXPECT_EQ(errors.size(), 3u);
}

TEST(ArgumentValidator, NamesArrayItemsByIndex) {
  EXPECT_THAT(check(kStorySchema, R"({"story_id": "1", "labels": ["a", 2]})"),
              ElementsAre("argument 'labels[1]': expected string, got number"));
}

TEST(ArgumentValidator, ChecksArrayLengthLimits) {
  EXPECT_THAT(check(kStorySchema, R"({"story_id": "1", "labels": []})"),
              ElementsAre("argument 'labels': needs at least 1 item(s), got 0"));
  EXPECT_THAT(check(kStorySchema, R"({"story_id": "1", "labels": ["a", "b", "c", "d"]})"),
              ElementsAre("argument 'labels': takes at most 3 item(s), got 4"));
}

TEST(ArgumentValidator, NamesNestedMembersWithADottedPath) {
  EXPECT_THAT(check(kStorySchema, R"({"story_id": "1", "options": {}})"),
              ElementsAre("argument 'options.depth' is required (integer)"));
  EXPECT_THAT(check(kStorySchema, R"({"story_id": "1", "options": {"depth": 1, "x": 2}})"),
              ElementsAre(HasSubstr("argument 'options.x' is not allowed")));
}

TEST(ArgumentValidator, ChecksEnumMembership) {
  EXPECT_THAT(
      check(kStorySchema, R"({"story_id": "1", "stage": "done"})"),
      ElementsAre(R"(argument 'stage': must be one of "backlog", "current", "qa", got "done")"));
}

TEST(ArgumentValidator, ChecksConst) {
  EXPECT_THAT(check(R"({"properties": {"v": {"const": 2}}})", R"({"v": 2.0})"), IsEmpty());
  EXPECT_THAT(check(R"({"properties": {"v": {"const": 2}}})", R"({"v": 3})"),
              ElementsAre("argument 'v': must be 2, got 3"));
}

TEST(ArgumentValidator, IntegerAcceptsWholeNumbersOnly) {
  EXPECT_THAT(check(kStorySchema, R"({"story_id": "1", "count": 2.0})"), IsEmpty());
  EXPECT_THAT(check(kStorySchema, R"({"story_id": "1", "count": 2.5})"),
              ElementsAre("argument 'count': expected integer, got number"));
}

TEST(ArgumentValidator, ChecksNumericBounds) {
  EXPECT_THAT(check(kStorySchema, R"({"story_id": "1", "count": 0})"),
              ElementsAre("argument 'count': must be >= 1, got 0"));
  EXPECT_THAT(check(kStorySchema, R"({"story_id": "1", "count": 11})"),
              ElementsAre("argument 'count': must be <= 10, got 11"));
}

TEST(ArgumentValidator, AcceptsAnyTypeOfATypeArray) {
  EXPECT_THAT(check(kStorySchema, R"({"story_id": "1", "note": "x"})"), IsEmpty());
  EXPECT_THAT(check(kStorySchema, R"({"story_id": "1", "note": 1})"),
              ElementsAre("argument 'note': expected string or null, got number"));
}

TEST(ArgumentValidator, CountsStringLengthInCodePoints) {
  constexpr std::string_view kName = R"({"properties": {"n": {"minLength": 2, "maxLength": 3}}})";
  EXPECT_THAT(check(kName, R"({"n": "äöü"})"), IsEmpty());  // 6 bytes, 3 code points
  EXPECT_THAT(check(kName, R"({"n": "a"})"),
              ElementsAre("argument 'n': needs at least 2 character(s), got 1"));
  EXPECT_THAT(check(kName, R"({"n": "abcd"})"),
              ElementsAre("argument 'n': takes at most 3 character(s), got 4"));
}

TEST(ArgumentValidator, SearchesThePatternAnywhereInTheString) {
  constexpr std::string_view kId = R"({"properties": {"id": {"pattern": "^[0-9]+_[a-z]+"}}})";
  EXPECT_THAT(check(kId, R"({"id": "42_story_x"})"), IsEmpty());
  EXPECT_THAT(check(kId, R"({"id": "story"})"),
              ElementsAre(R"(argument 'id': must match the pattern ^[0-9]+_[a-z]+, got "story")"));
  EXPECT_THAT(check(R"({"properties": {"id": {"pattern": "b"}}})", R"({"id": "abc"})"), IsEmpty());
}

TEST(ArgumentValidator, RefusesOverlongSubjectsOfAPatternInsteadOfRecursingDeeply) {
  std::string args = R"({"id": ")" + std::string(5000, 'a') + R"("})";
  auto errors = check(R"({"properties": {"id": {"pattern": "^a+$"}}})", args);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("too long"));
}

TEST(ArgumentValidator, ReportsAnInvalidPatternInTheSchema) {
  EXPECT_THAT(check(R"({"properties": {"id": {"pattern": "(["}}})", R"({"id": "x"})"),
              ElementsAre(HasSubstr("invalid pattern")));
}

TEST(ArgumentValidator, NamesTheWholeArgumentsValueAtTheRoot) {
  EXPECT_THAT(check(kStorySchema, R"([1, 2])"),
              ElementsAre("arguments: expected object, got array"));
}

TEST(ArgumentValidator, IgnoresUnknownKeywordsAndTypes) {
  EXPECT_THAT(check(R"({"type": "object", "properties": {"a": {"type": "uuid", "format": "x"}},
                       "$schema": "whatever"})",
                    R"({"a": 1})"),
              IsEmpty());
}

}  // namespace
}  // namespace stork::mcp
