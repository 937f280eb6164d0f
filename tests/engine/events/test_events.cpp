#include <QtTest>

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/events/events.h"
#include "engine/events/phase_place.h"

using bt::events::Cost;

namespace {

// Keeps the kind of every event it receives, in order.
class KindSink final : public bt::events::EventSink {
public:
    void onEvent(const bt::events::Event& event) override { kinds.push_back(event.index()); }
    std::vector<std::size_t> kinds;
};

} // namespace

/// The run's event vocabulary (engine/events): the one cost accounting rule and the sinks.
class TestEvents : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // ALGORITHM.md §4: costs add field by field (a method's cost is the sum of its trainings').
    void costsAddFieldByField() {
        Cost total{3, 4.5, 10.25, 1.5};
        const Cost more{2, 0.25, 0.5, 0.125};
        Cost& returned = (total += more);
        QCOMPARE(&returned, &total);
        QCOMPARE(total.lowerLevelTrainings, int64_t{5});
        QCOMPARE(total.epochs, 4.75);
        QCOMPARE(total.wallSeconds, 10.75);
        QCOMPARE(total.gpSeconds, 1.625);
        // The added cost is unchanged, and adding nothing changes nothing.
        QCOMPARE(more.lowerLevelTrainings, int64_t{2});
        QCOMPARE(more.epochs, 0.25);
        total += Cost{};
        QCOMPARE(total.lowerLevelTrainings, int64_t{5});
        QCOMPARE(total.epochs, 4.75);
        QCOMPARE(total.wallSeconds, 10.75);
        QCOMPARE(total.gpSeconds, 1.625);
    }

    // One numbering of a training within its phase for the terminal and the desktop app: each
    // phase of a method counts its own trainings, whatever the method's sample index.
    void trainingsAreNumberedWithinTheirPhase() {
        using bt::events::SampleEvent;
        const auto event = [](std::string method, std::string phase, int index, int total) {
            SampleEvent s;
            s.method = std::move(method);
            s.phase = std::move(phase);
            s.index = index;
            s.total = total;
            return s;
        };
        const std::vector<SampleEvent> bilevel{
            event("bilevel", "initial-design", 0, 10),  event("bilevel", "initial-design", 1, 10),
            event("bilevel", "outer-iteration", 10, 2), event("bilevel", "outer-iteration", 11, 2),
            event("bilevel", "confirmation", 12, 1),    event("bilevel", "refinement", 13, 6),
            event("bilevel", "refinement", 14, 6)};
        const std::vector<std::string> said{
            "initial design 1/10", "initial design 2/10", "φ sample 1/2",  "φ sample 2/2",
            "confirmation 1/1",    "refinement 1/6",      "refinement 2/6"};
        bt::events::PhaseCounter counter;
        for (std::size_t i = 0; i < bilevel.size(); ++i) {
            QCOMPARE(counter.next(bilevel[i]).text(), said[i]);
            // After the fact, among the method's trainings, the same place.
            QCOMPARE(bt::events::phasePlace(bilevel, bilevel[i]).text(), said[i]);
        }
        // Hyperband counts each rung's trainings; a name ending in a number takes a comma.
        counter.next(event("hyperband", "bracket 2 rung 0", 0, 9));
        QCOMPARE(counter.next(event("hyperband", "bracket 2 rung 0", 1, 9)).text(),
                 std::string("bracket 2 rung 0, 2/9"));
        QCOMPARE(counter.next(event("hyperband", "bracket 2 rung 1", 9, 3)).text(),
                 std::string("bracket 2 rung 1, 1/3"));
        // Bayesian optimisation's proposals after its 5 initial points: the first of 15.
        const std::vector<SampleEvent> bayesian{
            event("bayesian", "initial-design", 0, 5), event("bayesian", "initial-design", 4, 5),
            event("bayesian", "trial", 5, 15), event("bayesian", "trial", 6, 15)};
        for (const auto& s : bayesian) {
            counter.next(s);
        }
        QCOMPARE(bt::events::phasePlace(bayesian, bayesian[2]).text(), std::string("trial 1/15"));
        QCOMPARE(bt::events::phasePlace(bayesian, bayesian[3]).text(), std::string("trial 2/15"));
        // Another method's phase of the same name counts apart; an unknown total is left out.
        QCOMPARE(counter.next(event("other", "refinement", 0, 0)).text(),
                 std::string("refinement 1"));
        QCOMPARE(counter.next(event("random", "trial", 0, 20)).text(), std::string("trial 1/20"));
        QCOMPARE(counter.next(event("bayesian", "trial", 7, 15)).text(), std::string("trial 3/15"));
        counter.clear();
        QCOMPARE(counter.next(bilevel[5]).number, 1);
    }

    void defaultsAreZeroAndEmpty() {
        const Cost cost;
        QCOMPARE(cost.lowerLevelTrainings, int64_t{0});
        QCOMPARE(cost.epochs, 0.0);
        const bt::events::Metrics metrics;
        QVERIFY(!metrics.valAccuracy.has_value());
        QVERIFY(!metrics.testAccuracy.has_value());
        const bt::events::LogEvent log;
        QVERIFY(log.level == bt::events::LogLevel::Info);
    }

    // A sink receives every kind of event in the order sent; the null sink takes them all.
    void sinksReceiveEveryKind() {
        const std::vector<bt::events::Event> events{
            bt::events::SampleEvent{},
            bt::events::GpRefitEvent{},
            bt::events::InnerProgressEvent{},
            bt::events::OuterIterationEvent{},
            bt::events::LogEvent{},
            bt::events::MethodFinishedEvent{},
            bt::events::FinishedEvent{bt::events::RunStatus::Completed, ""},
            bt::events::RunStartedEvent{}};
        KindSink sink;
        bt::events::NullSink null;
        for (const auto& e : events) {
            sink.onEvent(e);
            null.onEvent(e);
        }
        QCOMPARE(sink.kinds, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7}));
        QCOMPARE(std::variant_size_v<bt::events::Event>, std::size_t{8});
        QVERIFY(std::get<bt::events::FinishedEvent>(events[6]).status ==
                bt::events::RunStatus::Completed);
    }
};

QTEST_GUILESS_MAIN(TestEvents)
#include "test_events.moc"
