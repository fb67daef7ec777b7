#include "http/metrics.hpp"

#include <stdexcept>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/metrics_response.hpp"

namespace stork::http {
namespace {

using ::testing::HasSubstr;

TEST(HttpMetrics, RendersCountersAndGaugesWithHelpTypeAndLabels) {
  Metrics metrics;
  metrics.counter("jobs_total", "Jobs done.", {{"kind", "merge"}}).inc();
  metrics.counter("jobs_total", "Jobs done.", {{"kind", "merge"}}).inc(2);
  metrics.counter("jobs_total", "Jobs done.", {{"kind", "gate"}}).inc();
  metrics.gauge("queue_length", "Waiting jobs.").set(4);
  double runs = 7;
  metrics.gauge_callback("runs", "Runs by status.", [&runs] { return runs; },
                         {{"status", "running"}});
  runs = 9;

  EXPECT_EQ(metrics.render(),
            "# HELP jobs_total Jobs done.\n"
            "# TYPE jobs_total counter\n"
            "jobs_total{kind=\"gate\"} 1\n"
            "jobs_total{kind=\"merge\"} 3\n"
            "# HELP queue_length Waiting jobs.\n"
            "# TYPE queue_length gauge\n"
            "queue_length 4\n"
            "# HELP runs Runs by status.\n"
            "# TYPE runs gauge\n"
            "runs{status=\"running\"} 9\n");
}

TEST(HttpMetrics, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Metrics metrics;
  Histogram& latency = metrics.histogram("latency_seconds", "Latency.", {1, 0.25, 0.5});
  latency.observe(0.125, {{"route", "a"}});
  latency.observe(0.25, {{"route", "a"}});  // on a bound: counts in that bucket (le)
  latency.observe(0.75, {{"route", "a"}});
  latency.observe(3, {{"route", "a"}});

  EXPECT_EQ(metrics.render(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{route=\"a\",le=\"0.25\"} 2\n"
            "latency_seconds_bucket{route=\"a\",le=\"0.5\"} 2\n"
            "latency_seconds_bucket{route=\"a\",le=\"1\"} 3\n"
            "latency_seconds_bucket{route=\"a\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{route=\"a\"} 4.125\n"
            "latency_seconds_count{route=\"a\"} 4\n");
}

TEST(HttpMetrics, EscapesLabelValuesAndHelp) {
  Metrics metrics;
  metrics.counter("c", "line\\one\nline two", {{"path", "a\"b\\c\nd"}}).inc();
  EXPECT_THAT(metrics.render(), HasSubstr("# HELP c line\\\\one\\nline two\n"));
  EXPECT_THAT(metrics.render(), HasSubstr("c{path=\"a\\\"b\\\\c\\nd\"} 1\n"));
}

TEST(HttpMetrics, MisuseIsAProgrammingErrorThatThrows) {
  Metrics metrics;
  metrics.counter("used", "x");
  EXPECT_THROW(metrics.gauge("used", "x"), std::logic_error);
  EXPECT_THROW(metrics.counter("bad name", "x"), std::logic_error);
  EXPECT_THROW(metrics.counter("ok", "x", {{"le", "1"}}), std::logic_error);
}

TEST(HttpMetrics, CountsExactlyUnderConcurrentIncrements) {
  Metrics metrics;
  Counter& counter = metrics.counter("hits_total", "Hits.");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i)
        counter.inc();
    });
  }
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(counter.value(), 40000);
}

TEST(HttpMetrics, ResponseUsesThePrometheusTextContentType) {
  Metrics metrics;
  metrics.gauge("up", "Up.").set(1);
  Response response = metrics_response(metrics);
  EXPECT_EQ(response.status, 200u);
  EXPECT_THAT(response.content_type, HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(response.body, HasSubstr("up 1\n"));
}

}  // namespace
}  // namespace stork::http
