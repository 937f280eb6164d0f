#include <QtTest>

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

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

// The form's checks of what the configuration points at: missing data (with what fetches or
// makes it) and the user's TorchScript network (described, then tried on the data). The rest of
// the form: test_setup_panel.cpp.
class TestSetupData : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { bt::testing::prepareFormTest(m_dir, m_emptyDataDir); }

    void missingDataGivesTheFetchCommand_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("command");
        QTest::newRow("mnist") << "mnist"
                               << "scripts/setup.sh";
        QTest::newRow("cifar10") << "cifar10"
                                 << "cifar-10-binary.tar.gz";
    }

    void missingDataGivesTheFetchCommand() {
        QFETCH(QString, kind);
        QFETCH(QString, command);
        SetupPanel panel;
        panel.setDataDir(m_emptyDataDir.path().toStdString());
        auto config = validConfig();
        config.dataset = bt::config::DatasetConfig{};
        config.dataset.kind = bt::config::fromString<bt::config::DatasetKind>(kind.toStdString());
        panel.setConfig(config);
        QVERIFY(!panel.isValid());
        QVERIFY(panel.problems().empty());
        QCOMPARE(panel.dataProblems().size(), std::size_t{1});
        const auto& problem = panel.dataProblems().front();
        QVERIFY2(QString::fromStdString(problem.command).contains(command),
                 problem.command.c_str());
        QVERIFY2(QString::fromStdString(problem.message).contains(m_emptyDataDir.path()),
                 problem.message.c_str());
        QVERIFY(!panel.fieldError(QStringLiteral("dataset.kind")).isEmpty());
    }

    // The ridge preset's synthetic files, missing: the command that writes them, said once for
    // the three, and a link that makes them (never over a file already there).
    void missingRidgeFilesGiveTheGenerator() {
        QTemporaryDir dataDir;
        const std::filesystem::path root = dataDir.path().toStdString();
        SetupPanel panel;
        panel.setDataDir(root);
        QVERIFY(panel.loadPreset(QStringLiteral("ridge")));
        QVERIFY(!panel.isValid());
        QVERIFY(panel.problems().empty());
        QCOMPARE(panel.dataProblems().size(), std::size_t{3});
        const auto& problem = panel.dataProblems().front();
        QVERIFY2(QString::fromStdString(problem.message).contains(QStringLiteral("train.csv")),
                 problem.message.c_str());
        QCOMPARE(problem.command, std::string("bilevel-tuner-cli data make-ridge"));
        QVERIFY(problem.ridge);
        QVERIFY(!panel.fieldError(QString::fromStdString(problem.key)).isEmpty());
        auto* summary = panel.findChild<QLabel*>(QStringLiteral("problemSummary"));
        QCOMPARE(summary->text().count(QStringLiteral("data make-ridge")), 1);
        QVERIFY2(summary->text().contains(QStringLiteral("Make them with")),
                 qPrintable(summary->text()));

        QSignalSpy noted(&panel, &SetupPanel::noted);
        Q_EMIT summary->linkActivated(QStringLiteral("make-ridge"));
        QVERIFY2(panel.isValid(), qPrintable(summary->text()));
        QCOMPARE(noted.size(), 1);
        QVERIFY(noted.front().at(0).toString().contains(
            QString::fromStdString((root / "ridge").string())));
        QVERIFY(std::filesystem::exists(root / "ridge" / "test.csv"));

        // Two of the three left: the link refuses, says so, and leaves them as they are.
        const auto train = bt::testing::readText(root / "ridge" / "train.csv");
        std::filesystem::remove(root / "ridge" / "validation.csv");
        panel.setDataDir(root);
        QCOMPARE(panel.dataProblems().size(), std::size_t{1});
        QSignalSpy said(&panel, &SetupPanel::messageRaised);
        Q_EMIT summary->linkActivated(QStringLiteral("make-ridge"));
        QCOMPARE(said.size(), 1);
        QVERIFY2(said.front().at(1).toString().contains(QStringLiteral("exists already")),
                 qPrintable(said.front().at(1).toString()));
        QCOMPARE(bt::testing::readText(root / "ridge" / "train.csv"), train);
        QVERIFY(!panel.isValid());
    }

    // A TorchScript network is described (its λ-carrying weights) before the run, and a file that
    // is not one is marked under model.path.
    void aTorchScriptNetworkIsDescribedBeforeTheRun() {
        SetupPanel panel;
        auto config = validConfig();
        bt::models::ModelSpec spec{bt::models::ModelKind::Mlp, {20}, 1, {8}};
        const bt::models::Network network(spec, 0);
        const QString file = m_dir.filePath(QStringLiteral("net.pt"));
        bt::models::saveScript(bt::models::toScriptModule(*network), file.toStdString());
        config.model.kind = bt::config::ModelKind::Torchscript;
        config.model.path = file.toStdString();
        panel.setConfig(config);
        QVERIFY2(panel.isValid(), qPrintable(bt::testing::problemsOf(panel)));
        // The configuration's shared scope: one λ over both weights.
        QVERIFY2(panel.networkText().contains(QStringLiteral("1 λ (shared scope)")) &&
                     panel.networkText().contains(
                         QStringLiteral("• shared: fc1_weight 8×20, fc2_weight 1×8")) &&
                     panel.networkText().contains(QStringLiteral("2 free parameters")),
                 qPrintable(panel.networkText()));
        panel.setFieldText(QStringLiteral("hyperparameters.scope"), QStringLiteral("per-layer"));
        QVERIFY2(panel.networkText().contains(QStringLiteral("2 λ (per-layer scope)")) &&
                     panel.networkText().contains(QStringLiteral("• fc2_weight 1×8")),
                 qPrintable(panel.networkText()));
        QVERIFY(panel.fieldEditor(QStringLiteral("model.path"))->isEnabled());
        QVERIFY(!panel.fieldEditor(QStringLiteral("model.hidden"))->isEnabled());
        // The module starts from its file's weights: model.init is greyed, and "he" is refused
        // there by name.
        QVERIFY(!panel.fieldEditor(QStringLiteral("model.init"))->isEnabled());
        panel.setFieldText(QStringLiteral("model.init"), QStringLiteral("he"));
        QVERIFY(!panel.isValid());
        QVERIFY2(panel.fieldError(QStringLiteral("model.init")).contains("built-in networks"),
                 qPrintable(panel.fieldError(QStringLiteral("model.init"))));
        panel.setFieldText(QStringLiteral("model.init"), QStringLiteral("pytorch"));
        QVERIFY2(panel.isValid(), qPrintable(bt::testing::problemsOf(panel)));

        const QString text = m_dir.filePath(QStringLiteral("notes.pt"));
        bt::testing::writeText(text.toStdString(), "not a network");
        panel.setFieldText(QStringLiteral("model.path"), text);
        QVERIFY(!panel.isValid());
        QVERIFY2(panel.fieldError(QStringLiteral("model.path")).contains("not a TorchScript"),
                 qPrintable(panel.fieldError(QStringLiteral("model.path"))));

        // Groups are shown with their weights before the run; a pattern that matches nothing
        // is marked under the groups field.
        panel.setFieldText(QStringLiteral("model.path"), file);
        panel.setFieldText(QStringLiteral("hyperparameters.groups"),
                           QStringLiteral("all = fc*_weight"));
        QVERIFY2(panel.isValid(), qPrintable(bt::testing::problemsOf(panel)));
        QVERIFY2(panel.networkText().contains(QStringLiteral("1 λ (per-layer scope, groups)")) &&
                     panel.networkText().contains(
                         QStringLiteral("• all: fc1_weight 8×20, fc2_weight 1×8")),
                 qPrintable(panel.networkText()));
        panel.setFieldText(QStringLiteral("hyperparameters.groups"),
                           QStringLiteral("all = fc*_weight; convolutions = conv*"));
        QVERIFY(!panel.isValid());
        QVERIFY2(panel.fieldError(QStringLiteral("hyperparameters.groups"))
                     .contains(QStringLiteral("'conv*' of group 'convolutions' matches nothing")),
                 qPrintable(panel.fieldError(QStringLiteral("hyperparameters.groups"))));
        panel.setFieldText(QStringLiteral("hyperparameters.groups"), QStringLiteral("all = "));
        QVERIFY(panel.fieldError(QStringLiteral("hyperparameters.groups"))
                    .contains(QStringLiteral("name = pattern")));
        panel.setFieldText(QStringLiteral("hyperparameters.groups"), QString());

        // The built-in networks are described by the names their weights take.
        panel.setFieldText(QStringLiteral("model.kind"), QStringLiteral("mlp"));
        QVERIFY(!panel.fieldEditor(QStringLiteral("model.path"))->isEnabled());
        QVERIFY(panel.fieldEditor(QStringLiteral("model.init"))->isEnabled());
        QVERIFY2(panel.networkText().startsWith(QStringLiteral("3 λ (per-layer scope):")) &&
                     panel.networkText().contains(QStringLiteral("• fc3")),
                 qPrintable(panel.networkText()));
    }

    // Before the run the network gets a batch of the chosen data, off the GUI thread: an output
    // or input shape that does not fit is marked under model.path with both shapes named, and a
    // network checked once is not checked again.
    void aTorchScriptNetworkIsTriedOnTheData() {
        const auto save = [this](std::int64_t inputs, std::int64_t outputs, const QString& name) {
            bt::models::ModelSpec spec{bt::models::ModelKind::Mlp, {inputs}, outputs, {8}};
            const bt::models::Network network(spec, 0);
            const QString file = m_dir.filePath(name);
            bt::models::saveScript(bt::models::toScriptModule(*network), file.toStdString());
            return file;
        };
        const QString fits = save(20, 1, QStringLiteral("fits.pt"));
        const QString threeOutputs = save(20, 3, QStringLiteral("three-outputs.pt"));
        const QString sevenInputs = save(7, 1, QStringLiteral("seven-inputs.pt"));
        SetupPanel panel;
        auto config = validConfig(); // ridge: 20 features, one target
        config.model.kind = bt::config::ModelKind::Torchscript;
        config.model.path = fits.toStdString();
        panel.setConfig(config);
        const auto* summary = panel.findChild<QLabel*>(QStringLiteral("problemSummary"));
        QVERIFY(panel.checkingNetwork());
        QVERIFY2(summary->text().contains(QStringLiteral("Checking that the network takes")),
                 qPrintable(summary->text()));
        panel.settleNetworkCheck();
        QVERIFY(!panel.checkingNetwork());
        QVERIFY2(panel.isValid(), qPrintable(bt::testing::problemsOf(panel)));
        QVERIFY(!summary->text().contains(QStringLiteral("Checking")));

        // The outcome arrives through the event loop, as in the app.
        panel.setFieldText(QStringLiteral("model.path"), threeOutputs);
        QTRY_VERIFY(!panel.checkingNetwork());
        QVERIFY(!panel.isValid());
        const QString outputs = panel.fieldError(QStringLiteral("model.path"));
        QVERIFY2(outputs.contains(QStringLiteral("returns shape [2, 3]")) &&
                     outputs.contains(QStringLiteral("the data needs [2, 1]")) &&
                     outputs.contains(QStringLiteral("three-outputs.pt")),
                 qPrintable(outputs));

        panel.setFieldText(QStringLiteral("model.path"), sevenInputs);
        QTRY_VERIFY(!panel.checkingNetwork());
        QVERIFY(!panel.isValid());
        const QString inputs = panel.fieldError(QStringLiteral("model.path"));
        QVERIFY2(inputs.contains(QStringLiteral("does not take the data's input")) &&
                     inputs.contains(QStringLiteral("[2, 20]")),
                 qPrintable(inputs));

        // Back to a network already checked: known at once.
        panel.setFieldText(QStringLiteral("model.path"), fits);
        QVERIFY(!panel.checkingNetwork());
        QVERIFY2(panel.isValid(), qPrintable(bt::testing::problemsOf(panel)));
    }

private:
    bt::config::RunConfig validConfig() const {
        return bt::testing::tinyRidgeConfig(m_dir.path(), {"bilevel", "grid"});
    }

    QTemporaryDir m_dir;
    QTemporaryDir m_emptyDataDir;
};

QTEST_MAIN(TestSetupData)
#include "test_setup_data.moc"
