#include <QtTest>

#include <cmath>
#include <limits>
#include <vector>

#include "engine/data/table_pool.h"

using bt::data::Normalization;
using bt::data::TablePool;

namespace {

/// A regression pool of one feature column holding `column`, targets 0.
TablePool oneColumn(const std::vector<float>& column) {
    TablePool pool;
    pool.task = bt::data::Task::Regression;
    pool.sampleShape = {1};
    pool.featureNames = {"x"};
    pool.features = column;
    pool.targets.assign(column.size(), 0.0F);
    return pool;
}

std::vector<std::int64_t> allRows(const TablePool& pool) {
    std::vector<std::int64_t> rows;
    for (std::int64_t r = 0; r < pool.size(); ++r) {
        rows.push_back(r);
    }
    return rows;
}

} // namespace

/// Standardisation of CSV feature columns (TablePool::featureStatistics and select) at the ends
/// of the float range: features that are finite must stay finite. Found by fuzz/fuzz_csv.
class TestTablePool : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void standardisedFeaturesStayFinite_data() {
        QTest::addColumn<std::vector<float>>("column");
        const float tiny = std::numeric_limits<float>::denorm_min(); // 1.4e-45
        const float huge = std::numeric_limits<float>::max();        // 3.4e38
        // The standard deviation, 7e-46, is positive in double but 0 as a float.
        QTest::newRow("denormal spread") << std::vector<float>{tiny, 0.0F};
        // x − mean is 4.5e38, beyond float, although mean and stddev are not.
        QTest::newRow("spread beyond float") << std::vector<float>{huge, -huge, -huge};
        QTest::newRow("ordinary") << std::vector<float>{1.0F, 2.0F, 4.0F};
    }

    void standardisedFeaturesStayFinite() {
        QFETCH(std::vector<float>, column);
        const TablePool pool = oneColumn(column);
        const Normalization n = pool.featureStatistics(allRows(pool));
        QVERIFY(n.stddev[0] > 0.0F && std::isfinite(n.stddev[0]));
        const auto data = pool.select(allRows(pool), n);
        double sum = 0.0;
        for (const float x : *data.features) {
            QVERIFY2(std::isfinite(x), qPrintable(QString::number(x)));
            // A standardised value is at most sqrt(n − 1) from 0 (n = 3 here at most).
            QVERIFY(std::abs(x) <= std::sqrt(2.0) + 1e-3);
            sum += x;
        }
        QVERIFY(std::abs(sum) < 1e-3); // mean 0
    }
};

QTEST_GUILESS_MAIN(TestTablePool)
#include "test_table_pool.moc"
