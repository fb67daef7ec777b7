#include "http/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace stork::http {

namespace {

bool valid_name(const std::string& name, bool allow_colon) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (allow_colon && c == ':');
  });
}

void check_labels(const std::string& metric, const Labels& labels) {
  for (const auto& [label, value] : labels) {
    if (!valid_name(label, false) || label.starts_with("__") || label == "le") {
      std::string message = "metric " + metric;
      message.append(": invalid label name '").append(label).append("'");
      throw std::logic_error(message);
    }
  }
}

void add_atomic(std::atomic<double>& target, double amount) {
  double current = target.load();
  while (!target.compare_exchange_weak(current, current + amount)) {
  }
}

std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

std::string escape(const std::string& text, bool quote) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::string label_text(const Labels& labels, const std::string& le = {}) {
  if (labels.empty() && le.empty()) return {};
  std::string out = "{";
  for (const auto& [label, value] : labels) {
    if (out.size() > 1) out += ',';
    out += label + "=\"" + escape(value, true) + "\"";
  }
  if (!le.empty()) {
    if (out.size() > 1) out += ',';
    out += "le=\"" + le + "\"";
  }
  return out + "}";
}

void render_histogram(std::string& out, const std::string& name, const Histogram& histogram) {
  const auto& bounds = histogram.upper_bounds();
  for (const auto& [labels, series] : histogram.snapshot()) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bounds.size(); ++i) {
      cumulative += series.bucket_counts[i];
      std::string le = i < bounds.size() ? format_number(bounds[i]) : "+Inf";
      out += name + "_bucket" + label_text(labels, le) + " " + std::to_string(cumulative) + "\n";
    }
    out += name + "_sum" + label_text(labels) + " " + format_number(series.sum) + "\n";
    out += name + "_count" + label_text(labels) + " " + std::to_string(series.count) + "\n";
  }
}

}  // namespace

void Counter::inc(double amount) {
  add_atomic(value_, amount);
}

void Gauge::add(double amount) {
  add_atomic(value_, amount);
}

Histogram::Histogram(std::vector<double> upper_bounds) : upper_bounds_(std::move(upper_bounds)) {
  std::erase_if(upper_bounds_, [](double bound) { return std::isnan(bound) || std::isinf(bound); });
  std::sort(upper_bounds_.begin(), upper_bounds_.end());
  upper_bounds_.erase(std::unique(upper_bounds_.begin(), upper_bounds_.end()), upper_bounds_.end());
}

void Histogram::observe(double value, const Labels& labels) {
  std::size_t bucket =
      std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) - upper_bounds_.begin();
  std::lock_guard lock(mutex_);
  Series& series = series_[labels];
  if (series.bucket_counts.empty()) series.bucket_counts.resize(upper_bounds_.size() + 1);
  ++series.bucket_counts[bucket];
  series.sum += value;
  ++series.count;
}

std::map<Labels, Histogram::Series> Histogram::snapshot() const {
  std::lock_guard lock(mutex_);
  return series_;
}

std::vector<double> Metrics::default_buckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Metrics::Family& Metrics::family(const std::string& name, const std::string& help, Type type) {
  if (!valid_name(name, true)) throw std::logic_error("invalid metric name '" + name + "'");
  auto [it, inserted] = families_.try_emplace(name, Family{type, help, {}, {}, {}, {}});
  if (it->second.type != type) {
    throw std::logic_error("metric " + name + " is already registered with another type");
  }
  return it->second;
}

Counter& Metrics::counter(const std::string& name, const std::string& help, const Labels& labels) {
  check_labels(name, labels);
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::Counter).counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Metrics::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  check_labels(name, labels);
  std::lock_guard lock(mutex_);
  auto& slot = family(name, help, Type::Gauge).gauges[labels];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

void Metrics::gauge_callback(const std::string& name, const std::string& help,
                             std::function<double()> read, const Labels& labels) {
  check_labels(name, labels);
  std::lock_guard lock(mutex_);
  family(name, help, Type::Gauge).callbacks[labels] = std::move(read);
}

Histogram& Metrics::histogram(const std::string& name, const std::string& help,
                              std::vector<double> buckets) {
  std::lock_guard lock(mutex_);
  Family& found = family(name, help, Type::Histogram);
  if (!found.histogram) found.histogram = std::make_unique<Histogram>(std::move(buckets));
  return *found.histogram;
}

std::string Metrics::render() const {
  // Copy what is needed under the lock; gauge callbacks run after it is released, so one that
  // takes a lock of its own cannot deadlock against a thread registering a metric.
  struct Snapshot {
    std::string name;
    const Family* family;
    std::map<Labels, double> values;
    std::map<Labels, std::function<double()>> callbacks;
  };
  std::vector<Snapshot> snapshots;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [name, family] : families_) {
      Snapshot snapshot{name, &family, {}, family.callbacks};
      for (const auto& [labels, counter] : family.counters)
        snapshot.values[labels] = counter->value();
      for (const auto& [labels, gauge] : family.gauges)
        snapshot.values[labels] = gauge->value();
      snapshots.push_back(std::move(snapshot));
    }
  }
  std::string out;
  for (Snapshot& snapshot : snapshots) {
    for (const auto& [labels, read] : snapshot.callbacks)
      snapshot.values[labels] = read();
    const Family& family = *snapshot.family;  // families are never removed
    static constexpr const char* type_names[] = {"counter", "gauge", "histogram"};
    out += "# HELP " + snapshot.name + " " + escape(family.help, false) + "\n";
    out += "# TYPE " + snapshot.name + " " + type_names[static_cast<int>(family.type)] + "\n";
    if (family.type == Type::Histogram) {
      render_histogram(out, snapshot.name, *family.histogram);
      continue;
    }
    for (const auto& [labels, value] : snapshot.values) {
      out += snapshot.name + label_text(labels) + " " + format_number(value) + "\n";
    }
  }
  return out;
}

}  // namespace stork::http
