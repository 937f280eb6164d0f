#include <QtTest>

#include <cmath>
#include <limits>
#include <set>

#include "engine/report/json_fields.h"
#include "engine/report/result_json.h"

// The result codec (report/result_json.h): each type's toJson and ...FromJson are inverses field
// by field, NaN included; result.json keeps the form it has always had.

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// `back` (decoded) is `original`, or NaN where `original` is not finite: a non-finite number is
// written as null and comes back as NaN. Every same() takes the decoded value first.
bool same(double back, double original) {
    return back == original || (std::isnan(back) && !std::isfinite(original));
}

// A non-finite optional value is written as null, which is "absent".
bool same(const std::optional<double>& back, const std::optional<double>& original) {
    if (!back) {
        return !original || !std::isfinite(*original);
    }
    return original && same(*back, *original);
}

bool same(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) { return same(x, y); });
}

bool same(const bt::events::Metrics& a, const bt::events::Metrics& b) {
    return same(a.trainLoss, b.trainLoss) && same(a.objective, b.objective) &&
           same(a.valLoss, b.valLoss) && same(a.testLoss, b.testLoss) &&
           same(a.valAccuracy, b.valAccuracy) && same(a.testAccuracy, b.testAccuracy);
}

bool same(const std::optional<bt::events::Metrics>& a,
          const std::optional<bt::events::Metrics>& b) {
    return a.has_value() == b.has_value() && (!a || same(*a, *b));
}

bool same(const bt::events::Cost& a, const bt::events::Cost& b) {
    return a.lowerLevelTrainings == b.lowerLevelTrainings && same(a.epochs, b.epochs) &&
           same(a.wallSeconds, b.wallSeconds) && same(a.gpSeconds, b.gpSeconds);
}

bool same(const bt::events::SampleEvent& a, const bt::events::SampleEvent& b) {
    return a.method == b.method && a.phase == b.phase && a.index == b.index && a.total == b.total &&
           same(a.lambda, b.lambda) && same(a.epochsTrained, b.epochsTrained) &&
           a.status == b.status && a.message == b.message && same(a.metrics, b.metrics) &&
           same(a.cost, b.cost);
}

bool same(const bt::events::OuterIterationEvent& a, const bt::events::OuterIterationEvent& b) {
    return a.iteration == b.iteration && a.total == b.total && same(a.lambda, b.lambda) &&
           same(a.violationSampled, b.violationSampled) &&
           same(a.violationSurrogate, b.violationSurrogate) && same(a.mu, b.mu) && same(a.r, b.r) &&
           same(a.upperLoss, b.upperLoss) && same(a.lowerObjective, b.lowerObjective) &&
           same(a.phiSampled, b.phiSampled) && same(a.phiHat, b.phiHat) &&
           a.innerSteps == b.innerSteps && same(a.metrics, b.metrics) && same(a.cost, b.cost);
}

bool same(const bt::report::AnytimePoint& a, const bt::report::AnytimePoint& b) {
    return same(a.epochs, b.epochs) && same(a.seconds, b.seconds) &&
           same(a.bestValLoss, b.bestValLoss) && same(a.testLossOfBest, b.testLossOfBest) &&
           same(a.testAccuracyOfBest, b.testAccuracyOfBest);
}

bool same(const bt::report::MethodResult& a, const bt::report::MethodResult& b);

template <typename T>
bool sameAll(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](const T& x, const T& y) { return same(x, y); });
}

bool same(const bt::report::MethodResult& a, const bt::report::MethodResult& b) {
    return a.method == b.method && a.status == b.status && a.message == b.message &&
           same(a.lambda, b.lambda) && same(a.metrics, b.metrics) &&
           same(a.retrainedMetrics, b.retrainedMetrics) && same(a.refitMetrics, b.refitMetrics) &&
           same(a.cost, b.cost) && sameAll(a.samples, b.samples) &&
           sameAll(a.iterations, b.iterations) && sameAll(a.anytime, b.anytime) &&
           a.alWeightsIteration == b.alWeightsIteration;
}

bt::events::Metrics metrics(double base) {
    bt::events::Metrics m;
    m.trainLoss = base;
    m.objective = base + 0.125;
    m.valLoss = base + 0.25;
    m.testLoss = kNaN;
    m.valAccuracy = 0.8125;
    m.testAccuracy = std::nullopt;
    return m;
}

bt::events::Cost cost(int trainings) {
    return {trainings, 2.5 * trainings, 0.1 * trainings, kInf};
}

// result.json holds neither a sample's method and total nor an iteration's total and inner
// steps: these round-trip as the method's name and 0.
bt::events::SampleEvent sample(const std::string& method, int index) {
    bt::events::SampleEvent s;
    s.method = method;
    s.phase = method == "bilevel" ? "initial-design" : "trial";
    s.index = index;
    s.lambda = {-1.0 - index, 0.5 * index};
    s.epochsTrained = 3.0;
    s.status = index == 1 ? "diverged" : "ok";
    s.message = index == 1 ? "loss became inf, \"NaN\" after epoch 2" : "";
    s.metrics = metrics(0.5 + index);
    s.cost = cost(index + 1);
    return s;
}

bt::events::OuterIterationEvent iteration(int k) {
    bt::events::OuterIterationEvent it;
    it.iteration = k;
    it.lambda = {-2.0 * k, kNaN};
    it.violationSampled = 1e-3 * k;
    it.violationSurrogate = -2e-4;
    it.mu = 0.25;
    it.r = 4.0 * k;
    it.upperLoss = 0.75;
    it.lowerObjective = 0.5;
    it.phiSampled = 0.375;
    it.phiHat = -kInf;
    it.metrics = metrics(1.0);
    it.cost = cost(3 + k);
    return it;
}

bt::report::AnytimePoint point(double epochs, std::optional<double> accuracy) {
    return {epochs, epochs / 10.0, 1.0 / epochs, accuracy, 0.5 / epochs};
}

bt::report::MethodResult bilevelResult() {
    bt::report::MethodResult m;
    m.method = "bilevel";
    m.status = bt::events::RunStatus::Cancelled;
    m.message = "by the user";
    m.lambda = {-3.0, -4.5};
    m.metrics = metrics(0.25);
    m.retrainedMetrics = metrics(0.375);
    m.refitMetrics = std::nullopt;
    m.cost = cost(5);
    m.samples = {sample("bilevel", 0), sample("bilevel", 1)};
    m.iterations = {iteration(1), iteration(2)};
    m.anytime = {point(3.0, 0.5), point(6.0, std::nullopt)};
    m.alWeightsIteration = 2;
    return m;
}

bt::report::MethodResult gridResult() {
    bt::report::MethodResult m;
    m.method = "grid";
    m.lambda = {-7.0, -8.0};
    m.metrics = metrics(0.75);
    m.refitMetrics = metrics(0.625);
    m.cost = cost(3);
    m.samples = {sample("grid", 0), sample("grid", 1), sample("grid", 2)};
    m.anytime = {point(3.0, 0.25)};
    return m;
}

// The std::invalid_argument message of `decode()`, or "" when it threw none.
template <typename Decode>
std::string errorOf(Decode&& decode) {
    try {
        decode();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

} // namespace

class TestResultCodec : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nonFiniteNumbersAreNullAndNullIsNaN() {
        QVERIFY(bt::report::numberToJson(kNaN).is_null());
        QVERIFY(bt::report::numberToJson(kInf).is_null());
        QVERIFY(bt::report::numberToJson(-kInf).is_null());
        QVERIFY(bt::report::numberToJson(std::optional<double>()).is_null());
        QCOMPARE(bt::report::numberToJson(0.1).get<double>(), 0.1);
        const nlohmann::json j{{"x", nullptr}, {"xs", {1.5, nullptr}}};
        QVERIFY(std::isnan(bt::report::readNumber(j, "x")));
        QVERIFY(!bt::report::readOptionalNumber(j, "x"));
        QCOMPARE(bt::report::readNumber(j, "missing", -1.0), -1.0);
        const auto xs = bt::report::readNumbers(j, "xs");
        QCOMPARE(xs.size(), std::size_t{2});
        QCOMPARE(xs[0], 1.5);
        QVERIFY(std::isnan(xs[1]));
    }

    void metricsRoundTrip() {
        for (const auto& m : {metrics(0.5), bt::events::Metrics{}}) {
            QVERIFY(same(bt::report::metricsFromJson(bt::report::toJson(m)), m));
        }
        auto withAccuracy = metrics(0.5);
        withAccuracy.testAccuracy = 0.875;
        withAccuracy.testLoss = 1.0 / 3.0; // every digit survives
        QVERIFY(same(bt::report::metricsFromJson(bt::report::toJson(withAccuracy)), withAccuracy));
        const auto j = bt::report::toJson(metrics(0.5));
        QVERIFY(j.at("test_loss").is_null());
        QVERIFY(j.at("test_accuracy").is_null());
    }

    void costRoundTrips() {
        const auto c = cost(7);
        const auto back = bt::report::costFromJson(bt::report::toJson(c));
        QVERIFY(same(back, c));
        QVERIFY(std::isnan(back.gpSeconds)); // infinity comes back as NaN
        QVERIFY(bt::report::toJson(c).at("lower_level_trainings").is_number_integer());
    }

    void sampleRoundTrips() {
        auto s = sample("random", 1);
        s.total = 9;
        QVERIFY(same(bt::report::sampleFromJson(bt::report::toJson(s)), s));
    }

    void iterationRoundTrips() {
        auto it = iteration(2);
        it.total = 5;
        it.innerSteps = 40;
        QVERIFY(same(bt::report::iterationFromJson(bt::report::toJson(it)), it));
    }

    void anytimePointRoundTrips() {
        for (const auto& p : {point(3.0, 0.5), point(6.0, std::nullopt), point(0.0, kNaN)}) {
            const auto back = bt::report::anytimePointFromJson(bt::report::toJson(p));
            QVERIFY(same(back, p));
            // A NaN accuracy is written as null, which is "absent".
            QCOMPARE(back.testAccuracyOfBest.has_value(),
                     p.testAccuracyOfBest.has_value() && !std::isnan(*p.testAccuracyOfBest));
        }
    }

    void methodResultRoundTrips() {
        for (const auto& m : {bilevelResult(), gridResult()}) {
            const auto back = bt::report::methodResultFromJson(bt::report::toJson(m), m.method);
            QVERIFY2(same(back, m), m.method.c_str());
            // Its figures alone (a list of runs): everything but the samples, trace and curve.
            auto figures = m;
            QVERIFY(!figures.samples.empty() && !figures.anytime.empty());
            figures.samples.clear();
            figures.iterations.clear();
            figures.anytime.clear();
            QVERIFY2(same(bt::report::methodResultFromJson(bt::report::toJson(m), m.method,
                                                           bt::report::ResultParts::Figures),
                          figures),
                     m.method.c_str());
        }
        // The status defaults to "completed" and absent metrics to none.
        const auto bare = bt::report::methodResultFromJson(nlohmann::json::object(), "random");
        QVERIFY(bare.status == bt::events::RunStatus::Completed);
        QVERIFY(!bare.retrainedMetrics && !bare.refitMetrics);
        QVERIFY(bare.samples.empty() && bare.iterations.empty() && bare.anytime.empty());
        // Results written before al_weights_iteration name no augmented-Lagrangian weights; an
        // iteration outside the trace names none either.
        QCOMPARE(bare.alWeightsIteration, 0);
        QVERIFY(bt::report::alWeights(bare) == nullptr);
        auto bilevel = bilevelResult();
        QCOMPARE(bt::report::alWeights(bilevel), &bilevel.iterations[1]);
        bilevel.alWeightsIteration = 3;
        QVERIFY(bt::report::alWeights(bilevel) == nullptr);
    }

    void resultJsonKeepsItsForm() {
        // result.json's method entries as they have always been written, and since 2026-12-05
        // the bilevel method's al_weights_iteration.
        auto bilevel = bilevelResult();
        bilevel.samples[0].total = 9;
        bilevel.iterations[0].total = 5;
        bilevel.iterations[0].innerSteps = 40;
        const auto j = bt::report::toJson(bilevel);
        const std::set<std::string> methodKeys{
            "status", "message", "lambda",  "metrics", "retrained_metrics",   "refit_metrics",
            "cost",   "trace",   "samples", "anytime", "al_weights_iteration"};
        std::set<std::string> keys;
        for (const auto& item : j.items()) {
            keys.insert(item.key());
        }
        QVERIFY(keys == methodKeys);
        QVERIFY(j.at("refit_metrics").is_null());
        QCOMPARE(j.at("trace").size(), std::size_t{2});
        QVERIFY(j.at("trace")[0].contains("iteration"));
        QVERIFY(!j.at("trace")[0].contains("total"));
        QCOMPARE(j.at("trace")[0].at("inner_steps").get<int>(), 40);
        QVERIFY(!j.at("samples")[0].contains("method"));
        QVERIFY(!j.at("samples")[0].contains("total"));
        QCOMPARE(j.at("samples")[0].size(), std::size_t{8});
        QVERIFY(j.at("trace")[0].at("lambda")[1].is_null());

        // A method without outer iterations has its samples as its trace; no message, no key.
        const auto grid = bt::report::toJson(gridResult());
        QCOMPARE(grid.at("trace"), grid.at("samples"));
        QVERIFY(!grid.contains("message"));
        QVERIFY(!grid.contains("al_weights_iteration"));
        QCOMPARE(grid.at("status").get<std::string>(), std::string("completed"));
    }

    void runResultRoundTrips() {
        bt::report::RunResult r;
        r.runId = "20260101-000000-test";
        r.status = bt::events::RunStatus::Completed;
        r.message = "fine";
        r.config = {{"training", {{"epochs", 3}}}};
        r.environment = {{"torch_version", "2.1"}};
        r.methods = {gridResult(), bilevelResult()};
        const auto j = bt::report::toJson(r);
        QVERIFY(j.at("methods").is_object());

        // In the order asked for; a JSON object keeps none, so by name otherwise.
        const auto back = bt::report::runResultFromJson(j, {"grid", "bilevel"});
        QCOMPARE(back.runId, r.runId);
        QVERIFY(back.status == r.status);
        QCOMPARE(back.message, r.message);
        QCOMPARE(back.config, r.config);
        QCOMPARE(back.environment, r.environment);
        QVERIFY(sameAll(back.methods, r.methods));
        const auto byName = bt::report::runResultFromJson(j);
        QCOMPARE(byName.methods.size(), std::size_t{2});
        QCOMPARE(byName.methods[0].method, std::string("bilevel"));
        QCOMPARE(byName.methods[1].method, std::string("grid"));
        const auto ordered = bt::report::runResultFromJson(j, {"random", "grid"});
        QCOMPARE(ordered.methods[0].method, std::string("grid"));

        const auto empty =
            bt::report::runResultFromJson(bt::report::toJson(bt::report::RunResult{}));
        QVERIFY(empty.methods.empty());
        QVERIFY(empty.config.is_null());
        QVERIFY(empty.environment.is_null());
        QVERIFY(bt::report::runResultFromJson(nlohmann::json::object()).environment.is_object());
    }

    void wrongTypesNameTheirKey() {
        QCOMPARE(errorOf([] {
                     bt::report::metricsFromJson({{"val_loss", "low"}});
                 }),
                 std::string("val_loss: expected a number, not string"));
        QCOMPARE(errorOf([] {
                     bt::report::sampleFromJson({{"metrics", {{"test_accuracy", true}}}});
                 }),
                 std::string("metrics.test_accuracy: expected a number, not boolean"));
        QCOMPARE(errorOf([] {
                     bt::report::sampleFromJson({{"lambda", {1.0, "x"}}});
                 }),
                 std::string("lambda[1]: expected a number, not string"));
        QCOMPARE(errorOf([] {
                     bt::report::iterationFromJson({{"cost", 3}});
                 }),
                 std::string("cost: expected an object, not number"));
        QCOMPARE(errorOf([] { bt::report::costFromJson(nlohmann::json::array()); }),
                 std::string("expected an object, not array"));
        nlohmann::json run{
            {"methods", {{"grid", {{"samples", {{{"index", 0}}, {{"index", "one"}}}}}}}}};
        QCOMPARE(errorOf([&] { bt::report::runResultFromJson(run); }),
                 std::string("methods.grid.samples[1].index: expected an integer, not string"));
        QCOMPARE(errorOf([] {
                     bt::report::sampleFromJson({{"index", 1e12}});
                 }),
                 std::string("index: 1000000000000 is out of range"));
        QCOMPARE(
            errorOf([] {
                bt::report::methodResultFromJson({{"al_weights_iteration", "last"}}, "bilevel");
            }),
            std::string("al_weights_iteration: expected an integer, not string"));
    }
};

QTEST_GUILESS_MAIN(TestResultCodec)
#include "test_result_codec.moc"
