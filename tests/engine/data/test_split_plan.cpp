#include <QtTest>

#include <algorithm>
#include <set>

#include "data_fixtures.h"
#include "engine/data/seeded_shuffle.h"
#include "engine/data/split_plan.h"

using namespace fixtures;
using bt::data::SplitPart;
using bt::data::SplitRequest;
using Rows = std::vector<std::vector<std::int64_t>>;

namespace {

std::vector<SplitRequest> requests(SplitPart train, SplitPart validation, SplitPart test) {
    return {{"train", train}, {"validation", validation}, {"test", test}};
}

Rows draw(std::int64_t pool, SplitPart train, SplitPart validation, SplitPart test,
          std::uint64_t seed = 7) {
    return bt::data::drawSplits(pool, requests(train, validation, test), seed, "the pool");
}

bool disjointWithin(const Rows& rows, std::int64_t pool) {
    std::set<std::int64_t> seen;
    for (const auto& list : rows) {
        for (const auto r : list) {
            if (r < 0 || r >= pool || !seen.insert(r).second) {
                return false;
            }
        }
    }
    return true;
}

std::vector<std::int64_t> range(std::int64_t begin, std::int64_t end) {
    std::vector<std::int64_t> v;
    for (auto i = begin; i < end; ++i) {
        v.push_back(i);
    }
    return v;
}

} // namespace

class TestSplitPlan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void shuffleIsPinned() {
        // Fixed reference output: the order must not change with the compiler or library,
        // since the converted MNIST files and every seeded split depend on it.
        QCOMPARE(bt::data::seededPermutation(10, 42),
                 (std::vector<std::int64_t>{1, 7, 9, 0, 3, 8, 4, 2, 5, 6}));
        auto p = bt::data::seededPermutation(1000, 3);
        std::sort(p.begin(), p.end());
        QCOMPARE(p, range(0, 1000));
        QCOMPARE(bt::data::seededPermutation(0, 1), std::vector<std::int64_t>{});
    }

    void uniformBelowStaysInRange() {
        std::mt19937_64 rng(1);
        std::vector<int> counts(3, 0);
        for (int i = 0; i < 3000; ++i) {
            const auto v = bt::data::uniformBelow(rng, 3);
            QVERIFY(v < 3);
            ++counts[v];
        }
        // Each count is Binomial(3000, 1/3): mean 1000, sd 26; 150 is beyond 5 sd.
        for (const int c : counts) {
            QVERIFY2(std::abs(c - 1000) < 150, qPrintable(QString::number(c)));
        }
    }

    void sizesHonouredAndDisjoint() {
        const auto rows = draw(100, {30}, {20}, {-1});
        QCOMPARE(rows[0].size(), std::size_t{30});
        QCOMPARE(rows[1].size(), std::size_t{20});
        QCOMPARE(rows[2].size(), std::size_t{50});
        QVERIFY(disjointWithin(rows, 100));
        for (const auto& list : rows) {
            QVERIFY(std::is_sorted(list.begin(), list.end()));
        }
        // A random draw, not the first rows in order.
        QVERIFY(rows[0] != range(0, 30));
    }

    void deterministicForSeed() {
        // Two draws with the same seed: the same rows (and a real draw, not an empty one).
        const auto first = draw(500, {100}, {50}, {25}, 11);
        QCOMPARE(first[0].size(), std::size_t{100});
        QCOMPARE(first[1].size(), std::size_t{50});
        QCOMPARE(first[2].size(), std::size_t{25});
        QCOMPARE(draw(500, {100}, {50}, {25}, 11), first);
        QVERIFY(draw(500, {100}, {50}, {25}, 11) != draw(500, {100}, {50}, {25}, 12));
        // The training rows do not depend on the sizes of the splits drawn after them.
        QCOMPARE(draw(500, {100}, {50}, {-1})[0], draw(500, {100}, {80}, {-1})[0]);
    }

    void rangesHonoured() {
        // BENCHMARK.md's Fashion-MNIST layout on a pool of 60: train [0, 10), validation
        // [50, 55); the rest unused by a split with size 0.
        const auto rows = draw(60, {10, 0}, {5, 50}, {0});
        QCOMPARE(rows[0], range(0, 10));
        QCOMPARE(rows[1], range(50, 55));
        QVERIFY(rows[2].empty());
        // mnist-mlp-1k on a single pool: the first 6 / next 4 by range, test all the rest.
        const auto single = draw(100, {6, 0}, {4, 6}, {-1});
        QCOMPARE(single[0], range(0, 6));
        QCOMPARE(single[1], range(6, 10));
        QCOMPARE(single[2], range(10, 100));
        // Ranges and random draws mix: the draw avoids the range.
        const auto mixed = draw(40, {-1}, {10, 0}, {-1, 30});
        QCOMPARE(mixed[1], range(0, 10));
        QCOMPARE(mixed[2], range(30, 40));
        QCOMPARE(mixed[0], range(10, 30));
    }

    void badRequests() {
        BT_VERIFY_MESSAGE(inputErrorOf([] { draw(100, {90}, {20}, {-1}); }), "dataset.validation",
                          "asks for 20 samples, but only 10 are available in the pool",
                          "90 taken by train");
        BT_VERIFY_MESSAGE(inputErrorOf([] { draw(100, {200}, {0}, {0}); }), "dataset.train",
                          "asks for 200 samples, but only 100 are available");
        BT_VERIFY_MESSAGE(inputErrorOf([] { draw(100, {-1}, {-1}, {0}); }), "dataset.validation",
                          "both train and validation ask for all remaining samples");
        BT_VERIFY_MESSAGE(inputErrorOf([] {
                              draw(100, {10, 0}, {10, 5}, {0});
                          }),
                          "dataset.validation", "[5, 15) overlaps the range of train at row 5");
        BT_VERIFY_MESSAGE(inputErrorOf([] {
                              draw(60, {10}, {5, 58}, {0});
                          }),
                          "dataset.validation", "[58, 63) goes beyond the 60 samples");
        BT_VERIFY_MESSAGE(inputErrorOf([] { draw(60, {-2}, {0}, {0}); }), "dataset.train",
                          "size -2");
        BT_VERIFY_MESSAGE(inputErrorOf([] {
                              draw(60, {1, -1}, {0}, {0});
                          }),
                          "dataset.train", "range start -1");
        BT_VERIFY_MESSAGE(inputErrorOf([] {
                              draw(60, {10, 0}, {55}, {0});
                          }),
                          "dataset.validation", "only 50 are available", "10 in explicit ranges");
    }
};

QTEST_GUILESS_MAIN(TestSplitPlan)
#include "test_split_plan.moc"
