// Metrics: counters, gauges and histograms rendered in the Prometheus text format 0.0.4. The
// server records its request metrics here; the app adds its own. Thread-safe: series are
// created under one mutex; counters and gauges update atomically; a histogram has its own lock.
// Misuse (an invalid name, one name used with two types) throws std::logic_error: that is a
// programming error, found the first time the code runs.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace stork::http {

// Label name/value pairs; the order given is the order rendered.
using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(double amount = 1);
  double value() const { return value_.load(); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double value) { value_.store(value); }
  void add(double amount);
  double value() const { return value_.load(); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value, const Labels& labels = {});

  struct Series {
    std::vector<std::uint64_t> bucket_counts;  // per bound, not cumulative; last is +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };
  const std::vector<double>& upper_bounds() const { return upper_bounds_; }
  std::map<Labels, Series> snapshot() const;

 private:
  std::vector<double> upper_bounds_;  // ascending, without +Inf
  mutable std::mutex mutex_;
  std::map<Labels, Series> series_;
};

class Metrics {
 public:
  // Prometheus' default buckets, in seconds: 5 ms to 10 s.
  static std::vector<double> default_buckets();

  // The series `name{labels}`, created on first use; the same reference every time after.
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  // A gauge read when rendered (queue lengths, runs by status). `read` runs outside any lock
  // of ours; it must be thread-safe. Registering the same series again replaces `read`.
  void gauge_callback(const std::string& name, const std::string& help,
                      std::function<double()> read, const Labels& labels = {});
  // `buckets`: upper bounds; sorted and deduplicated here; +Inf is implicit.
  Histogram& histogram(const std::string& name, const std::string& help,
                       std::vector<double> buckets = default_buckets());

  std::string render() const;

 private:
  enum class Type { Counter, Gauge, Histogram };
  struct Family {
    Type type;
    std::string help;
    std::map<Labels, std::unique_ptr<Counter>> counters;
    std::map<Labels, std::unique_ptr<Gauge>> gauges;
    std::map<Labels, std::function<double()>> callbacks;
    std::unique_ptr<Histogram> histogram;
  };
  Family& family(const std::string& name, const std::string& help, Type type);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

}  // namespace stork::http
