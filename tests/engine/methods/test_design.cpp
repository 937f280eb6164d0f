#include <QtTest>

#include <set>

#include "engine/methods/design.h"

using bt::methods::Box;

class TestDesign : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void gridCoversTheBoxExactly() {
        const Box box{{-10.0, -5.0}, {0.0, 1.0}};
        const auto grid = bt::methods::gridDesign(box, 4);
        QCOMPARE(grid.size(), std::size_t{16});
        std::set<double> first;
        std::set<double> second;
        for (const auto& p : grid) {
            first.insert(p[0]);
            second.insert(p[1]);
        }
        QCOMPARE(first, (std::set<double>{-10.0, -10.0 + 10.0 / 3, -10.0 + 20.0 / 3, 0.0}));
        QCOMPARE(second, (std::set<double>{-5.0, -3.0, -1.0, 1.0}));
        QCOMPARE(grid.front(), (std::vector<double>{-10.0, -5.0}));
        QCOMPARE(grid.back(), (std::vector<double>{0.0, 1.0}));
    }

    void initialDesignFollowsTheDimension() {
        QCOMPARE(
            bt::methods::initialDesign({{-10}, {0}}, 0, bt::config::InitialDesign::Sobol, 1).size(),
            std::size_t{10});
        QCOMPARE(
            bt::methods::initialDesign({{-10, -10}, {0, 0}}, 0, bt::config::InitialDesign::Sobol, 1)
                .size(),
            std::size_t{10});
        // d ≥ 2: the seeded space-filling design asked for, not a grid.
        const Box box2{{-10, -10}, {0, 0}};
        QCOMPARE(bt::methods::initialDesign(box2, 0, bt::config::InitialDesign::Sobol, 7),
                 bt::methods::sobolDesign(box2, 10, 7));
        QCOMPARE(bt::methods::initialDesign(box2, 6, bt::config::InitialDesign::Lhs, 7),
                 bt::methods::latinHypercubeDesign(box2, 6, 7));
        const Box box3{{-10, -10, -10}, {0, 0, 0}};
        QCOMPARE(bt::methods::initialDesign(box3, 0, bt::config::InitialDesign::Sobol, 1).size(),
                 std::size_t{10});
        const Box box6{std::vector<double>(6, -10.0), std::vector<double>(6, 0.0)};
        QCOMPARE(bt::methods::initialDesign(box6, 0, bt::config::InitialDesign::Lhs, 1).size(),
                 std::size_t{12});
    }

    void initialDesignPointsCountWhatTheDesignGives() {
        using bt::methods::initialDesignPoints;
        // Automatic (ALGORITHM.md §2.2): 10 for d = 1, max(10, 2d) beyond.
        QCOMPARE(initialDesignPoints(0, 1), 10);
        QCOMPARE(initialDesignPoints(0, 2), 10);
        QCOMPARE(initialDesignPoints(0, 3), 10);
        QCOMPARE(initialDesignPoints(0, 5), 10);
        QCOMPARE(initialDesignPoints(0, 6), 12);
        QCOMPARE(initialDesignPoints(0, 8), 16);
        // Given: the number of points, for every dimension.
        QCOMPARE(initialDesignPoints(4, 1), 4);
        QCOMPARE(initialDesignPoints(4, 2), 4);
        QCOMPARE(initialDesignPoints(4, 3), 4);
        QCOMPARE(initialDesignPoints(4, 10), 4);
        for (const int d : {1, 2, 3, 6}) {
            for (const int count : {0, 2, 7}) {
                const Box box{std::vector<double>(d, -10.0), std::vector<double>(d, 0.0)};
                const auto design =
                    bt::methods::initialDesign(box, count, bt::config::InitialDesign::Sobol, 1);
                QCOMPARE(static_cast<int>(design.size()), initialDesignPoints(count, d));
            }
        }
    }

    void sobolIsSeededInsideTheBoxAndSpread() {
        const Box box{{-10, -10, -10}, {0, 0, 0}};
        const auto a = bt::methods::sobolDesign(box, 16, 3);
        const auto b = bt::methods::sobolDesign(box, 16, 3);
        const auto c = bt::methods::sobolDesign(box, 16, 4);
        QCOMPARE(a, b);
        QVERIFY(a != c);
        // A (0, m, s)-net property in 1-D: 16 points put exactly one point in each 1/16 stratum
        // of every coordinate (the random shift modulo 1 preserves it).
        for (std::size_t dim = 0; dim < 3; ++dim) {
            std::set<int> strata;
            for (const auto& p : a) {
                QVERIFY(p[dim] >= -10.0 && p[dim] <= 0.0);
                strata.insert(static_cast<int>((p[dim] + 10.0) / 10.0 * 16.0));
            }
            QCOMPARE(strata.size(), std::size_t{16});
        }
    }

    void latinHypercubeHitsEveryStratumOnce() {
        const Box box{{0, 0}, {1, 1}};
        const auto points = bt::methods::latinHypercubeDesign(box, 20, 9);
        for (std::size_t dim = 0; dim < 2; ++dim) {
            std::set<int> strata;
            for (const auto& p : points) {
                strata.insert(static_cast<int>(p[dim] * 20.0));
            }
            QCOMPARE(strata.size(), std::size_t{20});
        }
    }

    void uniformDrawsAreReproducibleAndUniform() {
        const Box box{{-10}, {0}};
        const auto a = bt::methods::uniformDesign(box, 4000, 5);
        QCOMPARE(a, bt::methods::uniformDesign(box, 4000, 5));
        // Ten equal bins: each expects 400 (σ ≈ 19); allow ±5σ.
        std::vector<int> bins(10, 0);
        for (const auto& p : a) {
            QVERIFY(p[0] >= -10.0 && p[0] < 0.0);
            ++bins[static_cast<std::size_t>((p[0] + 10.0))];
        }
        for (int count : bins) {
            QVERIFY2(std::abs(count - 400) < 95, qPrintable(QString::number(count)));
        }
    }

    void projectClampsIntoTheBox() {
        const Box box{{-10, -10}, {0, 0}};
        std::vector<double> x{3.0, -12.0};
        box.project(x);
        QCOMPARE(x, (std::vector<double>{0.0, -10.0}));
    }
};

QTEST_GUILESS_MAIN(TestDesign)
#include "test_design.moc"
