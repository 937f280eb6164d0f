#include <QtTest>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/config/seed_list.h"
#include "engine/core/error.h"

using Seeds = std::vector<std::uint64_t>;

// The seeds a user lists for runs over seeds (the app's Run ▸ Start runs over seeds).
class TestSeedList : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsAndRanges() {
        QCOMPARE(bt::config::parseSeedList("0-2", "seeds"), (Seeds{0, 1, 2}));
        QCOMPARE(bt::config::parseSeedList(" 7, 0-1  3 ", "seeds"), (Seeds{7, 0, 1, 3}));
        QCOMPARE(bt::config::parseSeedList("5-5", "seeds"), (Seeds{5}));
        QCOMPARE(bt::config::parseSeedList("18446744073709551615", "seeds"),
                 (Seeds{18446744073709551615ULL}));
        QCOMPARE(bt::config::parseSeedList("0-99", "seeds").size(), std::size_t{100});
    }

    void aSeededRunSetsTheTrainingSeedAndTheName() {
        bt::config::RunConfig config;
        config.training.epochs = 7;
        const auto run = bt::config::seededRun(config, "ridge", 5);
        QCOMPARE(run.config.training.seed, std::uint64_t{5});
        QCOMPARE(run.config.training.epochs, 7);
        QCOMPARE(run.name, std::string("ridge · seed 5"));
    }

    void badListsAreSaid_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << ""
                               << "no seed given";
        QTest::newRow("only commas") << " , ,"
                                     << "no seed given";
        QTest::newRow("word") << "0, one"
                              << "\"one\" is not a seed";
        QTest::newRow("negative") << "-1"
                                  << "\"-1\" is not a seed";
        QTest::newRow("half a range") << "3-"
                                      << "\"3-\" is not a seed";
        QTest::newRow("backwards") << "5-2"
                                   << "runs backwards; write 2-5";
        QTest::newRow("twice") << "0-2, 1"
                               << "seed 1 is named twice";
        QTest::newRow("too many") << "0-100"
                                  << "more than 100 seeds";
        QTest::newRow("too many in all") << "0-99, 100"
                                         << "more than 100 seeds";
        QTest::newRow("beyond 64 bits") << "18446744073709551616"
                                        << "is not a seed";
    }

    void badListsAreSaid() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        try {
            bt::config::parseSeedList(text.toStdString(), "seeds");
            QFAIL("accepted");
        } catch (const bt::core::InputError& e) {
            QCOMPARE(QString::fromStdString(e.where()), QStringLiteral("seeds"));
            QVERIFY2(QString::fromUtf8(e.what()).contains(message), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestSeedList)
#include "test_seed_list.moc"
