#include <QtTest>

#include <array>
#include <string_view>

#include "engine/config/edit_distance.h"

class TestEditDistance : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void distances_data() {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("distance");
        QTest::newRow("equal") << "epochs"
                               << "epochs" << 0;
        QTest::newRow("empty") << ""
                               << "abc" << 3;
        QTest::newRow("both empty") << ""
                                    << "" << 0;
        QTest::newRow("kitten") << "kitten"
                                << "sitting" << 3;
        QTest::newRow("insertion") << "trainig"
                                   << "training" << 1;
        QTest::newRow("deletion") << "trainning"
                                  << "training" << 1;
        QTest::newRow("swap") << "ab"
                              << "ba" << 1;
        QTest::newRow("swap inside") << "trianing"
                                     << "training" << 1;
        // Optimal string alignment may not edit a swapped pair again (true Damerau gives 2).
        QTest::newRow("osa") << "ca"
                             << "abc" << 3;
        QTest::newRow("case matters") << "Epochs"
                                      << "epochs" << 1;
    }

    void distances() {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, distance);
        const std::string left = a.toStdString();
        const std::string right = b.toStdString();
        QCOMPARE(static_cast<int>(bt::config::editDistance(left, right)), distance);
        QCOMPARE(static_cast<int>(bt::config::editDistance(right, left)), distance);
    }

    void nearestName() {
        constexpr std::array<std::string_view, 5> kKeys{"epochs", "batch_size", "learning_rate",
                                                        "momentum", "seed"};
        using bt::config::nearestName;
        QCOMPARE(nearestName("epoch", kKeys), std::optional<std::string_view>("epochs"));
        QCOMPARE(nearestName("EPOCHS", kKeys), std::optional<std::string_view>("epochs"));
        QCOMPARE(nearestName("learningrate", kKeys),
                 std::optional<std::string_view>("learning_rate"));
        QCOMPARE(nearestName("momentun", kKeys), std::optional<std::string_view>("momentum"));
        // Too far to be a typo of anything.
        QCOMPARE(nearestName("lr", kKeys), std::optional<std::string_view>());
        QCOMPARE(nearestName("optimizer", kKeys), std::optional<std::string_view>());
        // Short names get one edit only: "sd" is not "seed".
        QCOMPARE(nearestName("sd", kKeys), std::optional<std::string_view>());
        QCOMPARE(nearestName("sed", kKeys), std::optional<std::string_view>("seed"));
        // Abbreviations: a prefix of 3 or more characters.
        QCOMPARE(nearestName("batch", kKeys), std::optional<std::string_view>("batch_size"));
        QCOMPARE(nearestName("Learn", kKeys), std::optional<std::string_view>("learning_rate"));
        QCOMPARE(nearestName("mo", kKeys), std::optional<std::string_view>());
    }
};

QTEST_GUILESS_MAIN(TestEditDistance)
#include "test_edit_distance.moc"
