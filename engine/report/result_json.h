#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/events/events.h"
#include "engine/report/method_result.h"
#include "engine/report/run_result.h"

namespace bt::report {

// The JSON codec of each result type: toJson and its inverse ...FromJson. result.json, the run
// store's events and results (store/event_json.h), the exports and the readers of stored runs
// (UI, CLI) all go through these. Keys are the fields' names in snake_case; numbers follow
// json_fields.h (a non-finite number is null, null reads back as NaN).
//
// Every decoder takes a JSON object (std::invalid_argument otherwise), gives a missing key the
// field's default, and throws std::invalid_argument naming the key path of a value of the wrong
// JSON type ("samples[2].metrics.val_loss: expected a number, not string"). For each type T,
// TFromJson(toJson(t)) equals t field by field (NaN for a non-finite number), except where a
// function says otherwise.

/// val_loss, val_accuracy, test_loss, test_accuracy, train_loss, objective; an absent accuracy
/// is null.
nlohmann::json toJson(const events::Metrics& metrics);
events::Metrics metricsFromJson(const nlohmann::json& json);

/// lower_level_trainings, epochs, wall_seconds, gp_seconds.
nlohmann::json toJson(const events::Cost& cost);
events::Cost costFromJson(const nlohmann::json& json);

/// method, phase, index, total, lambda, epochs_trained, status, message, metrics, cost.
nlohmann::json toJson(const events::SampleEvent& sample);
events::SampleEvent sampleFromJson(const nlohmann::json& json);

/// iteration, total, lambda, h_sampled, h_surrogate, mu, r, F, f, phi_sampled, phi_hat,
/// inner_steps, metrics, cost.
nlohmann::json toJson(const events::OuterIterationEvent& iteration);
events::OuterIterationEvent iterationFromJson(const nlohmann::json& json);

/// epochs, seconds, best_val_loss, test_loss_of_best, test_accuracy_of_best.
nlohmann::json toJson(const AnytimePoint& point);
AnytimePoint anytimePointFromJson(const nlohmann::json& json);

/// One method of result.json: status, message (when not empty), lambda, metrics,
/// retrained_metrics and refit_metrics (null when absent), cost, samples, trace (the outer
/// iterations, or the samples for a method without any) and anytime. The method's name is its
/// key in result.json, not a field; the samples leave out "method" and "total", the outer
/// iterations "total" and "inner_steps" (result.json has never held them).
nlohmann::json toJson(const MethodResult& result);

/// What a decoder reads of a method: everything, or its figures alone (status, message, λ,
/// the three models' metrics, cost, al_weights_iteration; no samples, trace or anytime curve),
/// which is what a list of runs shows and report::recommend needs.
enum class ResultParts { Whole, Figures };

/// The inverse of toJson(MethodResult) for the method `method`: the samples take its name, and
/// the sample total and the iterations' total and inner steps are 0. The status defaults to
/// "completed".
MethodResult methodResultFromJson(const nlohmann::json& json, const std::string& method,
                                  ResultParts parts = ResultParts::Whole);

/// result.json: run_id, status, message (when not empty), config, environment, data (when
/// known) and methods, an object keyed by method name.
nlohmann::json toJson(const RunResult& result);

/// One split's fingerprint of result.json's "data" in words: "600 rows (CRC-32 1a2b3c4d)", with
/// "?" for a field it lacks.
std::string splitFingerprintText(const nlohmann::json& split);

/// result.json's "data" in one line, for the report and `show`: "train 600 rows (CRC-32
/// 1a2b3c4d), validation 400 rows (CRC-32 …), test 9000 rows (CRC-32 …)". Empty where `data`
/// holds no split (null: a run from before fingerprints were kept).
std::string dataFingerprintText(const nlohmann::json& data);

/// The inverse of toJson(RunResult). The methods come in the order of `methodOrder`, then any
/// others by name (a JSON object keeps no order); config defaults to null, environment to {}.
RunResult runResultFromJson(const nlohmann::json& json,
                            const std::vector<std::string>& methodOrder = {},
                            ResultParts parts = ResultParts::Whole);

/// Writes `result` as JSON to `path` atomically (a temporary file in the same folder, then a
/// rename), creating the folder. Throws core::InputError naming the path when it cannot.
void writeResultJson(const RunResult& result, const std::filesystem::path& path);

} // namespace bt::report
