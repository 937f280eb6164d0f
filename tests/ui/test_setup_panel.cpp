#include <QtTest>

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QWheelEvent>

#include "engine/config/run_config_json.h"
#include "engine/core/version.h"
#include "engine/models/network.h"
#include "engine/models/script_module.h"
#include "qt_test_support.h"
#include "setup_form_support.h"
#include "tests/support/text_files.h"
#include "tiny_ridge_run.h"
#include "ui/setup/config_fields.h"
#include "ui/setup/preset_times.h"
#include "ui/setup/setup_panel.h"
#include "ui/shell/main_window.h"

using bt::ui::SetupPanel;
using nlohmann::json;

class TestSetupPanel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { bt::testing::prepareFormTest(m_dir, m_emptyDataDir); }

    // Every key of the CLI's JSON has a field, and every field is a key of it.
    void everyConfigKeyHasAField() {
        SetupPanel panel;
        const auto defaults = bt::config::toJson(bt::config::RunConfig{});
        int keys = 0;
        for (const auto& [section, value] : defaults.items()) {
            if (value.is_object()) {
                for (const auto& item : value.items()) {
                    const auto key = QString::fromStdString(section + "." + item.key());
                    QVERIFY2(panel.fieldEditor(key) != nullptr, qPrintable(key));
                    ++keys;
                }
            } else {
                QVERIFY2(panel.fieldEditor(QString::fromStdString(section)) != nullptr,
                         section.c_str());
                ++keys;
            }
        }
        QCOMPARE(static_cast<std::size_t>(keys), bt::ui::configFields().size());
        // Every field has a tooltip that gives its default and its key.
        for (const auto& spec : bt::ui::configFields()) {
            const auto key = QString::fromUtf8(spec.key.data(), spec.key.size());
            QVERIFY2(panel.fieldEditor(key)->toolTip().contains(QStringLiteral("JSON key: ") + key),
                     qPrintable(key));
        }
    }

    void invalidField_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("why");
        QTest::newRow("epochs 0") << "training.epochs"
                                  << "0"
                                  << "expected an integer >= 1";
        QTest::newRow("epochs text") << "training.epochs"
                                     << "ten"
                                     << "expected an integer";
        QTest::newRow("epochs empty") << "training.epochs"
                                      << ""
                                      << "got nothing";
        QTest::newRow("epochs fraction") << "training.epochs"
                                         << "2.5"
                                         << "expected an integer";
        QTest::newRow("batch 0") << "training.batch_size"
                                 << "0"
                                 << ">= 1";
        QTest::newRow("learning rate < 0") << "training.learning_rate"
                                           << "-0.1"
                                           << "> 0";
        QTest::newRow("learning rate text") << "training.learning_rate"
                                            << "fast"
                                            << "expected a number";
        QTest::newRow("momentum 1") << "training.momentum"
                                    << "1"
                                    << "[0, 1)";
        QTest::newRow("threads < 0") << "training.threads"
                                     << "-1"
                                     << ">= 0";
        QTest::newRow("device") << "training.device"
                                << "gpu"
                                << "cpu | cuda | cuda:N | auto";
        QTest::newRow("seed < 0") << "training.seed"
                                  << "-3"
                                  << "[0, 2^64)";
        QTest::newRow("split seed text") << "dataset.seed"
                                         << "x"
                                         << "[0, 2^64)";
        QTest::newRow("lower >= upper") << "hyperparameters.lower"
                                        << "5"
                                        << "lower < upper";
        QTest::newRow("upper inf") << "hyperparameters.upper"
                                   << "inf"
                                   << "finite number";
        QTest::newRow("upper nan") << "hyperparameters.upper"
                                   << "nan"
                                   << "finite number";
        QTest::newRow("hidden text") << "model.hidden"
                                     << "300, x"
                                     << "integers separated";
        QTest::newRow("hidden 0") << "model.hidden"
                                  << "300, 0"
                                  << "layer width > 0";
        QTest::newRow("split text") << "dataset.train"
                                    << "many"
                                    << "begin:end";
        QTest::newRow("split range") << "dataset.validation"
                                     << "5:2"
                                     << "0 <= begin < end";
        QTest::newRow("split zero") << "dataset.test"
                                    << "0"
                                    << "count > 0 or -1";
        QTest::newRow("no method") << "methods"
                                   << ""
                                   << "at least one";
        QTest::newRow("initial samples 1") << "bilevel.initial_samples"
                                           << "1"
                                           << "0 (automatic) or an integer >= 2";
        QTest::newRow("outer -1") << "bilevel.outer_iterations"
                                  << "-1"
                                  << ">= 0";
        QTest::newRow("r0 0") << "bilevel.r0"
                              << "0"
                              << "> 0";
        QTest::newRow("r_max < r0") << "bilevel.r_max"
                                    << "1"
                                    << ">= bilevel.r0";
        QTest::newRow("eta < 1") << "bilevel.eta"
                                 << "0.5"
                                 << ">= 1";
        QTest::newRow("epsilon < 0") << "bilevel.epsilon"
                                     << "-1"
                                     << ">= 0";
        QTest::newRow("inner momentum") << "bilevel.inner_momentum"
                                        << "1.5"
                                        << "[0, 1)";
        QTest::newRow("clip") << "bilevel.clip"
                              << "0"
                              << "> 0";
        QTest::newRow("warm epochs") << "bilevel.warm_sample_epochs"
                                     << "-2"
                                     << ">= 0";
        QTest::newRow("grid 1") << "grid.points_per_dim"
                                << "1"
                                << ">= 2";
        QTest::newRow("random 0") << "random.trials"
                                  << "0"
                                  << ">= 1";
        QTest::newRow("bayesian initial > trials") << "bayesian.initial"
                                                   << "50"
                                                   << "bayesian";
        QTest::newRow("hyperband eta") << "hyperband.eta"
                                       << "1"
                                       << ">= 2";
        QTest::newRow("hyperband R") << "hyperband.max_epochs"
                                     << "0"
                                     << ">= 1";
        QTest::newRow("csv target") << "dataset.target"
                                    << ""
                                    << "target column";
        QTest::newRow("csv missing file") << "dataset.train_path"
                                          << "/nonexistent/train.csv"
                                          << "/nonexistent/train.csv";
    }

    // Each invalid value: its field says why, the form is invalid (Start off), and fixing it
    // makes the form valid again.
    void invalidField() {
        QFETCH(QString, key);
        QFETCH(QString, text);
        QFETCH(QString, why);
        SetupPanel panel;
        panel.setDataDir(m_emptyDataDir.path().toStdString());
        panel.setConfig(validConfig());
        QVERIFY2(panel.isValid(), qPrintable(bt::testing::problemsOf(panel)));
        QVERIFY(panel.fieldError(key).isEmpty());
        const QString before = panel.fieldText(key);
        QSignalSpy validity(&panel, &SetupPanel::validityChanged);

        QVERIFY(panel.setFieldText(key, text));
        QVERIFY(!panel.isValid());
        QVERIFY(!panel.config().has_value());
        QCOMPARE(validity.count(), 1);
        QVERIFY2(panel.fieldError(key).contains(why),
                 qPrintable(QStringLiteral("%1 → '%2'; all: %3")
                                .arg(key, panel.fieldError(key), bt::testing::problemsOf(panel))));
        QVERIFY(panel.fieldEditor(key)->property("invalid").toBool());

        QVERIFY(panel.setFieldText(key, before));
        QVERIFY2(panel.isValid(), qPrintable(bt::testing::problemsOf(panel)));
        QVERIFY(panel.fieldError(key).isEmpty());
        QVERIFY(!panel.fieldEditor(key)->property("invalid").toBool());
        QCOMPARE(validity.count(), 2);
    }

    // Everything wrong is said at once (a missing data file with a wrong epoch count), under
    // the field without its JSON key, and in the summary by the field's label.
    // Each preset says what it is and how much it trains, from its configuration.
    void presetsSayWhatTheyTrain() {
        const auto summary = SetupPanel::presetSummary(QStringLiteral("fmnist-mlp-3l2"));
        QVERIFY2(summary.startsWith(QStringLiteral("mlp 300-100 on fashion-mnist, 3 λ, ")) &&
                     summary.contains(QStringLiteral("training epochs")),
                 qPrintable(summary));
        QVERIFY(SetupPanel::presetSummary(QStringLiteral("no-such-preset")).isEmpty());
    }

    // Once measured here, a preset says how long it takes: without its data it is not
    // measured; with the ridge task's files in the data folder it is, and the time is kept in
    // the settings, so the next form shows it at once.
    void presetsSayHowLongTheyTakeHere() {
        QTemporaryDir dataDir;
        QVERIFY(dataDir.isValid());
        const QByteArray before = qgetenv("BILEVEL_TUNER_DATA_DIR");
        qputenv("BILEVEL_TUNER_DATA_DIR", dataDir.path().toLocal8Bit());
        QSettings().remove(QStringLiteral("presetSeconds"));
        const QString ridge = QStringLiteral("ridge");
        const auto itemText = [&ridge](SetupPanel& panel) {
            auto* combo = panel.findChild<QComboBox*>(QStringLiteral("presetCombo"));
            return combo->itemText(combo->findData(ridge));
        };

        SetupPanel withoutData;
        withoutData.measurePresetTimes({ridge});
        withoutData.settlePresetTimes();
        QVERIFY2(!itemText(withoutData).contains(QStringLiteral(" here")),
                 qPrintable(itemText(withoutData)));
        QVERIFY(!bt::ui::PresetTimes::seconds(ridge));

        QVERIFY(QDir(dataDir.path()).mkpath(ridge));
        bt::testing::writeRidgeFiles(dataDir.filePath(ridge));
        // A slower time kept from a busy machine gives way to the measurement; a faster one
        // stays.
        const QString key = QStringLiteral("presetSeconds/%1/%2-threads/ridge")
                                .arg(QString::fromLatin1(bt::core::kVersion))
                                .arg(QThread::idealThreadCount());
        QSettings().setValue(key, 1e6);
        SetupPanel withData;
        QVERIFY(itemText(withData).startsWith(QStringLiteral("ridge — about 277.8 h here: ")));
        withData.measurePresetTimes({ridge});
        withData.settlePresetTimes();
        const double measured = bt::ui::PresetTimes::seconds(ridge).value_or(1e6);
        QVERIFY2(measured < 1e6, qPrintable(QString::number(measured)));
        QSettings().setValue(key, 0.4);
        withData.measurePresetTimes({ridge});
        withData.settlePresetTimes();
        QCOMPARE(bt::ui::PresetTimes::seconds(ridge).value_or(0.0), 0.4);
        QVERIFY(itemText(withData).startsWith(QStringLiteral("ridge — about 1 s here: ")));
        QSettings().setValue(key, measured);
        withData.measurePresetTimes({ridge});
        withData.settlePresetTimes();
        if (before.isEmpty()) {
            qunsetenv("BILEVEL_TUNER_DATA_DIR");
        } else {
            qputenv("BILEVEL_TUNER_DATA_DIR", before);
        }
        const QString shown = itemText(withData);
        QVERIFY2(shown.contains(QRegularExpression(QStringLiteral(" — about \\d+ (s|min) here: "))),
                 qPrintable(shown));
        const auto seconds = bt::ui::PresetTimes::seconds(ridge);
        QVERIFY(seconds && *seconds > 0.0);
        QCOMPARE(SetupPanel::presetLabel(ridge), shown);
        // The chosen preset's tooltip gives its whole entry, which the combo may cut.
        QVERIFY(withData.loadPreset(ridge));
        QVERIFY2(
            withData.findChild<QComboBox*>(QStringLiteral("presetCombo"))
                ->toolTip()
                .startsWith(shown + QLatin1Char('\n')),
            qPrintable(withData.findChild<QComboBox*>(QStringLiteral("presetCombo"))->toolTip()));
        QSettings().remove(QStringLiteral("presetSeconds"));
    }

    void problemsAreShownAtOnceByTheirLabels() {
        SetupPanel panel;
        panel.setDataDir(m_emptyDataDir.path().toStdString());
        panel.setConfig(validConfig());
        panel.setFieldText(QStringLiteral("training.epochs"), QStringLiteral("0"));
        panel.setFieldText(QStringLiteral("dataset.train_path"),
                           QStringLiteral("/nonexistent/train.csv"));
        QVERIFY(!panel.fieldError(QStringLiteral("training.epochs")).isEmpty());
        QVERIFY2(panel.fieldError(QStringLiteral("dataset.train_path")).contains("/nonexistent"),
                 qPrintable(bt::testing::problemsOf(panel)));
        QVERIFY(!panel.fieldError(QStringLiteral("training.epochs")).contains("training.epochs"));
        const auto* summary = panel.findChild<QLabel*>(QStringLiteral("problemSummary"));
        QVERIFY(summary != nullptr);
        QVERIFY2(summary->text().contains(QStringLiteral("Epochs: ")) &&
                     !summary->text().contains(QStringLiteral("training.epochs")),
                 qPrintable(summary->text()));
    }

    // A bilevel plan beyond random search's epochs is said under the valid configuration's
    // check mark (methods::bilevelOverBudget), and goes when the plan fits.
    void aBilevelPlanBeyondTheBaselinesIsSaid() {
        SetupPanel panel;
        panel.setDataDir(m_dir.path().toStdString());
        auto config = validConfig();
        config.dataset.train = std::int64_t{80}; // the first 80 rows: the inner solves known
        config.bilevel.innerSteps = 400;         // 2 × 400 × 40 / 80 = 400 epochs each
        panel.setConfig(config);
        QVERIFY2(panel.problems().empty() && panel.dataProblems().empty(),
                 qPrintable(bt::testing::problemsOf(panel)));
        const auto* summary = panel.findChild<QLabel*>(QStringLiteral("problemSummary"));
        QVERIFY(summary != nullptr);
        QVERIFY2(summary->text().contains(QStringLiteral("The bilevel method plans about")) &&
                     summary->text().contains(QStringLiteral("inner solve 400")),
                 qPrintable(summary->text()));
        panel.setFieldText(QStringLiteral("bilevel.inner_steps"), QStringLiteral("4"));
        QVERIFY2(summary->text().contains(QStringLiteral("plans about 46 epochs")),
                 qPrintable(summary->text())); // 3 × 10 + 2 × (4 + 4), over 3 × 10
        panel.setFieldText(QStringLiteral("random.trials"), QStringLiteral("5"));
        QVERIFY2(summary->text().contains(QStringLiteral("is valid")) &&
                     !summary->text().contains(QStringLiteral("plans about")),
                 qPrintable(summary->text()));
    }

    // Form → JSON → RunConfig gives back what was shown, for every preset and for a
    // configuration with no default left.
    void roundTripOfEveryPreset() {
        const auto presets = SetupPanel::presetNames();
        QVERIFY2(presets.size() >= 6, qPrintable(presets.join(QLatin1Char(','))));
        QVERIFY(presets.contains(QStringLiteral("ridge")));
        for (const auto& name : presets) {
            SetupPanel panel;
            QVERIFY(panel.loadPreset(name));
            const auto file = QStringLiteral(BT_SOURCE_DIR "/resources/configs/%1.json").arg(name);
            QFile f(file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const auto expectedJson = json::parse(f.readAll().toStdString());
            std::vector<bt::config::ConfigProblem> problems;
            const auto expected = bt::config::readRunConfig(expectedJson, problems);
            QVERIFY(problems.empty());
            std::vector<bt::config::ConfigProblem> unreadable;
            const auto shown = bt::config::readRunConfig(panel.formJson(&unreadable), problems);
            QVERIFY(unreadable.empty());
            QVERIFY(problems.empty());
            QVERIFY2(shown == expected, qPrintable(name));
        }
    }

    void roundTripWithoutDefaults() {
        bt::config::RunConfig c = validConfig();
        c.dataset.train = bt::config::IndexRange{0, 100};
        c.dataset.validation = std::int64_t{50};
        c.dataset.test = std::int64_t{-1};
        c.dataset.validationPath.clear();
        c.dataset.seed = 18446744073709551615ULL;
        c.dataset.standardize = true;
        c.model.kind = bt::config::ModelKind::Mlp;
        c.model.hidden = {17, 5, 3};
        c.hyperparameters = {
            bt::config::LambdaScope::PerLayer, -7.25, 1.5, {{"hidden", "fc[12]"}, {"last", "fc4"}}};
        c.training = {7, 33, 0.0123456789012345, 0.5, false, 99, "auto", 1};
        c.methods = {bt::config::Method::Hyperband, bt::config::Method::Bilevel,
                     bt::config::Method::Random};
        c.bilevel.initialSamples = 4;
        c.bilevel.design = bt::config::InitialDesign::Sobol;
        c.bilevel.outerIterations = 3;
        c.bilevel.mu0 = 0.1;
        c.bilevel.r0 = 3;
        c.bilevel.eta = 2;
        c.bilevel.rMax = 77;
        c.bilevel.epsilon = 1e-5;
        c.bilevel.constraint = bt::config::ConstraintForm::Equality;
        c.bilevel.innerSteps = 11;
        c.bilevel.innerLrW = 0.3;
        c.bilevel.innerLrLambda = 0.7;
        c.bilevel.innerMomentum = 0.2;
        c.bilevel.innerTolerance = 0;
        c.bilevel.clip = 9;
        c.bilevel.tolerance = 1e-2;
        c.bilevel.lambdaTolerance = 2e-2;
        c.bilevel.warmStart = false;
        c.bilevel.sampleWarmStart = false;
        c.bilevel.warmSampleEpochs = 2;
        c.grid.pointsPerDim = 3;
        c.random.trials = 8;
        c.bayesian = {9, 3};
        c.hyperband = {10, 4};
        SetupPanel panel;
        panel.setConfig(c);
        const auto back = bt::config::parseRunConfig(panel.formJson(), "the test");
        QVERIFY(back == c);
        QCOMPARE(panel.fieldText(QStringLiteral("methods")),
                 QStringLiteral("hyperband, bilevel, random"));
        // A split's three forms read alike: a count, "rest" (JSON -1), a range.
        QCOMPARE(panel.fieldText(QStringLiteral("dataset.train")), QStringLiteral("0:100"));
        QCOMPARE(panel.fieldText(QStringLiteral("dataset.validation")), QStringLiteral("50"));
        QCOMPARE(panel.fieldText(QStringLiteral("dataset.test")), QStringLiteral("rest"));
        QVERIFY(panel.setFieldText(QStringLiteral("dataset.validation"), QStringLiteral("Rest")));
        QVERIFY(panel.setFieldText(QStringLiteral("dataset.test"), QStringLiteral("-1")));
        const auto rest = bt::config::parseRunConfig(panel.formJson(), "the test");
        QVERIFY(rest.dataset.validation == bt::config::SplitSize{bt::config::kAllRemaining});
        QVERIFY(rest.dataset.test == bt::config::SplitSize{bt::config::kAllRemaining});
        QCOMPARE(panel.fieldText(QStringLiteral("hyperparameters.groups")),
                 QStringLiteral("hidden = fc[12]; last = fc4"));
        QCOMPARE(panel.fieldText(QStringLiteral("training.learning_rate")),
                 QStringLiteral("0.0123456789012345"));
    }

    // A key whose integer means "automatic" (bilevel.refine_trials -1, outer_iterations 0, ...)
    // shows an empty field reading "automatic"; an empty field writes that integer back, a
    // number is kept, and typing the integer itself empties the field on the next load.
    void automaticIntegersShowAsAutomatic() {
        bt::config::RunConfig automatic = validConfig();
        automatic.bilevel.refineTrials = bt::config::BilevelConfig{}.refineTrials; // -1
        automatic.bilevel.outerIterations = 0;
        SetupPanel panel;
        panel.setConfig(automatic);
        const auto refine = QStringLiteral("bilevel.refine_trials");
        const auto outer = QStringLiteral("bilevel.outer_iterations");
        QCOMPARE(panel.fieldText(refine), QString());
        QCOMPARE(panel.fieldText(outer), QString());
        auto* editor = qobject_cast<QLineEdit*>(panel.fieldEditor(refine));
        QVERIFY(editor != nullptr);
        QCOMPARE(editor->placeholderText(), QStringLiteral("automatic"));
        QVERIFY(editor->toolTip().contains(QStringLiteral("Default: automatic")));
        QVERIFY(editor->toolTip().contains(QStringLiteral("Empty: automatic (-1 in JSON)")));
        QCOMPARE(panel.formJson()["bilevel"]["refine_trials"], json(-1));
        QCOMPARE(panel.formJson()["bilevel"]["outer_iterations"], json(0));

        QVERIFY(panel.setFieldText(refine, QStringLiteral("4")));
        QVERIFY(panel.setFieldText(outer, QStringLiteral("3")));
        QVERIFY2(panel.isValid(), qPrintable(bt::testing::problemsOf(panel)));
        auto c = panel.config();
        QVERIFY(c.has_value());
        QCOMPARE(c->bilevel.refineTrials, 4);
        QCOMPARE(c->bilevel.outerIterations, 3);
        QVERIFY(panel.setFieldText(refine, QStringLiteral("0"))); // none, not automatic
        QCOMPARE(panel.config()->bilevel.refineTrials, 0);
        QVERIFY(panel.setFieldText(refine, QStringLiteral("  ")));
        QCOMPARE(panel.config()->bilevel.refineTrials, -1);
        QVERIFY(panel.setFieldText(refine, QStringLiteral("-1")));
        QCOMPARE(panel.config()->bilevel.refineTrials, -1);
        panel.setConfig(*panel.config());
        QCOMPARE(panel.fieldText(refine), QString());
        QCOMPARE(panel.fieldText(outer), QStringLiteral("3"));
        // An integer key without an automatic value still refuses an empty field.
        QVERIFY(panel.setFieldText(QStringLiteral("random.trials"), QString()));
        QVERIFY(!panel.isValid());
        QVERIFY(panel.fieldError(QStringLiteral("random.trials"))
                    .contains(QStringLiteral("got nothing")));
    }

    // csv-only fields are disabled and left out for an image dataset.
    void csvFieldsFollowTheDatasetKind() {
        SetupPanel panel;
        panel.setConfig(validConfig());
        QVERIFY(panel.fieldEditor(QStringLiteral("dataset.target"))->isEnabled());
        panel.setFieldText(QStringLiteral("dataset.kind"), QStringLiteral("fashion-mnist"));
        QVERIFY(!panel.fieldEditor(QStringLiteral("dataset.target"))->isEnabled());
        const auto j = panel.formJson();
        QVERIFY(!j["dataset"].contains("target"));
        QVERIFY(!j["dataset"].contains("train_path"));
        // numpy names its files like csv, but its targets are the array y: no target column.
        panel.setFieldText(QStringLiteral("dataset.kind"), QStringLiteral("numpy"));
        QVERIFY(panel.fieldEditor(QStringLiteral("dataset.train_path"))->isEnabled());
        QVERIFY(!panel.fieldEditor(QStringLiteral("dataset.target"))->isEnabled());
    }

    // Scrolling the form over a choice does not change it: an unfocused combo box passes the
    // wheel to the form's scroll area.
    void wheelOverAnUnfocusedChoiceKeepsIt() {
        SetupPanel panel;
        panel.setConfig(validConfig());
        auto* combo = qobject_cast<QComboBox*>(panel.fieldEditor(QStringLiteral("bilevel.design")));
        QVERIFY(combo != nullptr);
        const int before = combo->currentIndex();
        auto wheel = [&] {
            const QPointF at(5, 5);
            QWheelEvent event(at, combo->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton,
                              Qt::NoModifier, Qt::NoScrollPhase, false);
            QCoreApplication::sendEvent(combo, &event);
        };
        wheel();
        QCOMPARE(combo->currentIndex(), before);
        QCOMPARE(combo->focusPolicy(), Qt::StrongFocus);
    }

    void saveAndLoadFiles() {
        SetupPanel panel;
        panel.setDataDir(m_emptyDataDir.path().toStdString());
        panel.setConfig(validConfig());
        const QString path = m_dir.filePath(QStringLiteral("saved.json"));
        QString error;
        QVERIFY2(panel.saveFile(path, &error), qPrintable(error));
        // The CLI reads what the form writes.
        QVERIFY(bt::config::loadRunConfig(path.toStdString()) == validConfig());

        SetupPanel other;
        other.setDataDir(m_emptyDataDir.path().toStdString());
        auto* presets = other.findChild<QComboBox*>(QStringLiteral("presetCombo"));
        QVERIFY(other.loadPreset(QStringLiteral("ridge")));
        QCOMPARE(presets->currentData().toString(), QStringLiteral("ridge"));
        QVERIFY(other.loadFile(path, &error));
        QVERIFY(error.isEmpty());
        QVERIFY(other.isValid());
        QVERIFY(*other.config() == validConfig());
        // The form holds the file now, not the preset it held before: the list says so.
        QCOMPARE(presets->currentIndex(), 0);
        QCOMPARE(other.configName(), QStringLiteral("saved"));

        // A file with a bad value is shown, with the problem under its field.
        auto bad = bt::config::toJson(validConfig());
        bad["training"]["epochs"] = 0;
        const QString badPath = m_dir.filePath(QStringLiteral("bad.json"));
        bt::testing::writeText(badPath.toStdString(), bad.dump());
        QVERIFY(other.loadFile(badPath, &error));
        QVERIFY2(error.contains(QStringLiteral("training.epochs")), qPrintable(error));
        QVERIFY(!other.isValid());
        QVERIFY(other.fieldError(QStringLiteral("training.epochs")).contains(">= 1"));

        // Not JSON: nothing changes, the error names the file and the position.
        const QString brokenPath = m_dir.filePath(QStringLiteral("broken.json"));
        bt::testing::writeText(brokenPath.toStdString(), "{\"training\": {\"epochs\": 3,,}}");
        other.setConfig(validConfig());
        QVERIFY(!other.loadFile(brokenPath, &error));
        QVERIFY2(error.contains(QStringLiteral("broken.json")), qPrintable(error));
        QVERIFY(other.isValid());
        QVERIFY(!other.loadFile(m_dir.filePath(QStringLiteral("none.json")), &error));
        QVERIFY2(error.contains(QStringLiteral("none.json")), qPrintable(error));
    }

    // The main window's Start follows the form's validity.
    void startIsDisabledWhileInvalid() {
        bt::ui::MainWindow window(QStringLiteral("LibTorch: 1.13.0"), QStringLiteral("log"));
        window.setupPanel()->setDataDir(m_emptyDataDir.path().toStdString());
        window.setupPanel()->setConfig(validConfig());
        auto* start = window.findChild<QAction*>(QStringLiteral("actionStart"));
        QVERIFY(start != nullptr);
        QCOMPARE(start->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_R));
        QVERIFY(start->isEnabled());
        window.setupPanel()->setFieldText(QStringLiteral("training.momentum"), QStringLiteral("2"));
        QVERIFY(!start->isEnabled());
        QVERIFY(!window.startRun());
        window.setupPanel()->setFieldText(QStringLiteral("training.momentum"),
                                          QStringLiteral("0.9"));
        QVERIFY(start->isEnabled());
    }

private:
    bt::config::RunConfig validConfig() const {
        return bt::testing::tinyRidgeConfig(m_dir.path(), {"bilevel", "grid"});
    }

    QTemporaryDir m_dir;
    QTemporaryDir m_emptyDataDir;
};

QTEST_MAIN(TestSetupPanel)
#include "test_setup_panel.moc"
