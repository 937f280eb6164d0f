#include <QtTest>

#include <string>
#include <variant>
#include <vector>

#include "engine/events/events.h"

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
