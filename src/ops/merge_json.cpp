#include "ops/merge_json.hpp"

#include <boost/json/array.hpp>

namespace stork::ops {
namespace json = boost::json;

json::object merge_job_json(const engine::MergeJobView& job) {
  return json::object{{"id", job.id},
                      {"story", job.story},
                      {"story_id", job.story},
                      {"step", job.step},
                      {"detail", job.detail},
                      {"commit", job.commit ? json::value(*job.commit) : json::value(nullptr)},
                      {"updated_at_ms", job.updated_at_ms}};
}

json::object merge_status_json(const engine::MergeStatus& status) {
  json::array queued;
  for (const auto& story : status.queued)
    queued.emplace_back(story);
  json::array recent;
  for (const auto& job : status.recent)
    recent.push_back(merge_job_json(job));
  return json::object{
      {"running", status.running ? json::value(merge_job_json(*status.running)) : nullptr},
      {"queued", std::move(queued)},
      {"recent", std::move(recent)}};
}

}  // namespace stork::ops
