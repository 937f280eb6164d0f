// The TorchScript side of the models (issue 20): a built-in network written as TorchScript
// computes what the network computes; a TorchScript file loaded as model.kind torchscript
// exposes its weights under their own names and trains exactly like the built-in network it was
// written from; files that are not usable modules are refused with the file named.
#include <QtTest>

#include <QTemporaryDir>

#include <filesystem>
#include <fstream>

#include <torch/script.h>
#include <torch/torch.h>

#include "engine/models/network.h"
#include "engine/models/script_module.h"
#include "engine/train/trainer.h"
#include "tests/support/three_class_problem.h"

using bt::models::ModelKind;
using bt::models::ModelSpec;
using bt::models::Network;

namespace {

std::filesystem::path saveBuiltIn(const ModelSpec& spec, uint64_t seed,
                                  const std::filesystem::path& file) {
    const Network network(spec, seed);
    bt::models::saveScript(bt::models::toScriptModule(*network), file);
    return file;
}

ModelSpec scriptSpec(const std::filesystem::path& file, const ModelSpec& like) {
    ModelSpec spec = like;
    spec.kind = ModelKind::Torchscript;
    spec.scriptPath = file;
    return spec;
}

/// The message of the std::invalid_argument that building `spec` throws; empty when none.
QString refusal(const ModelSpec& spec) {
    try {
        Network network(spec, 0);
    } catch (const std::invalid_argument& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

std::shared_ptr<bt::train::Problem> problemFor(const ModelSpec& spec) {
    return bt::testing::threeClassProblem(spec, 3, 240, 60, 7);
}

} // namespace

class TestScriptModule : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::filesystem::path file(const std::string& name) const {
        return std::filesystem::path(m_dir.path().toStdString()) / name;
    }
    /// Why a TorchScript spec is refused once `module` is saved as `name` in the test's folder.
    QString refusalOfSaved(const torch::jit::Module& module, const std::string& name) const {
        ModelSpec spec;
        spec.kind = ModelKind::Torchscript;
        spec.scriptPath = file(name);
        bt::models::saveScript(module, spec.scriptPath);
        return refusal(spec);
    }

private Q_SLOTS:
    void builtInNetworksWrittenAsTorchScriptComputeTheSame_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("side");
        QTest::newRow("linear") << static_cast<int>(ModelKind::Linear) << 0;
        QTest::newRow("mlp") << static_cast<int>(ModelKind::Mlp) << 0;
        QTest::newRow("lenet5 28×28") << static_cast<int>(ModelKind::Lenet5) << 28;
        QTest::newRow("lenet5 32×32") << static_cast<int>(ModelKind::Lenet5) << 32;
    }
    void builtInNetworksWrittenAsTorchScriptComputeTheSame() {
        QFETCH(int, kind);
        QFETCH(int, side);
        ModelSpec spec;
        spec.kind = static_cast<ModelKind>(kind);
        spec.hidden = {20, 10};
        spec.inputShape = side > 0 ? std::vector<int64_t>{1, side, side} : std::vector<int64_t>{12};
        if (side == 32) {
            spec.inputShape[0] = 3;
        }
        Network network(spec, 4);
        auto shape = spec.inputShape;
        shape.insert(shape.begin(), 5);
        const auto x = torch::randn(shape);
        const auto expected = network->forward(x);
        // Through a file, as Python would get it.
        const auto path = file("built-in-" + std::to_string(kind) + ".pt");
        bt::models::saveScript(bt::models::toScriptModule(*network), path);
        auto loaded = torch::jit::load(path.string());
        const auto actual = loaded.forward({x}).toTensor();
        QCOMPARE(actual.sizes().vec(), expected.sizes().vec());
        QVERIFY2(
            torch::allclose(actual, expected, 1e-6, 1e-6),
            qPrintable(
                QString("max difference %1").arg((actual - expected).abs().max().item<double>())));
    }

    void torchScriptWeightsAreTheModulesParametersOfTwoOrMoreDimensions() {
        torch::jit::Module module("__torch__.Test");
        module.register_parameter("conv_weight", torch::randn({4, 1, 3, 3}), false);
        module.register_parameter("conv_bias", torch::randn({4}), false);
        module.register_parameter("norm_scale", torch::ones({4}), false);
        module.register_parameter("head_weight", torch::randn({2, 4 * 26 * 26}), false);
        module.register_buffer("running", torch::zeros({4}));
        module.register_attribute("training", c10::BoolType::get(), true);
        module.define(R"(
def forward(self, x):
    x = torch.conv2d(x, self.conv_weight, self.conv_bias) * self.norm_scale.view(1, 4, 1, 1)
    return torch.linear(x.flatten(1), self.head_weight)
)");
        const auto path = file("conv.pt");
        bt::models::saveScript(module, path);
        ModelSpec spec;
        spec.kind = ModelKind::Torchscript;
        spec.scriptPath = path;
        Network network(spec, 0);
        QCOMPARE(network->layerNames(), (std::vector<std::string>{"conv_weight", "head_weight"}));
        QCOMPARE(network->weights().size(), std::size_t{2});
        QCOMPARE(network->biases().size(), std::size_t{2}); // bias and norm scale: free
        QCOMPARE(bt::models::weightLayerCount(spec), 2);
        QCOMPARE(network->parameters().size(), std::size_t{4});
        QCOMPARE(network->buffers().size(), std::size_t{1});
        QCOMPARE(network->forward(torch::randn({3, 1, 28, 28})).sizes().vec(),
                 (std::vector<int64_t>{3, 2}));
        // Each network has its own copy of the module: training one leaves another as loaded.
        Network other(spec, 0);
        {
            torch::NoGradGuard noGrad;
            network->weights()[0].add_(1.0);
        }
        QVERIFY(!torch::equal(network->weights()[0], other->weights()[0]));
        auto copy = bt::models::cloneNetwork(network);
        QVERIFY(torch::equal(copy->weights()[0], network->weights()[0]));
        QVERIFY(copy->weights()[0].data_ptr() != network->weights()[0].data_ptr());
        // Training mode reaches the module's own flag (dropout, batch norm).
        network->eval();
        QVERIFY(!network->script()->module.is_training());
        network->train();
        QVERIFY(network->script()->module.is_training());
    }

    // The same weights, optimiser, schedule and data order: a TorchScript copy of the built-in
    // MLP trains to the same weights and metrics.
    void aTorchScriptNetworkTrainsLikeTheBuiltInOne() {
        ModelSpec builtIn{ModelKind::Mlp, {6}, 3, {16, 8}};
        const auto path = saveBuiltIn(builtIn, 7, file("mlp.pt"));
        bt::train::TrainerOptions options;
        options.epochs = 3;
        options.batchSize = 32;
        options.learningRate = 0.05;
        options.momentum = 0.9;
        options.seed = 2;
        options.schedule = bt::config::LrSchedule::Cosine;
        const bt::train::Trainer a(problemFor(builtIn), options);
        const bt::train::Trainer b(problemFor(scriptSpec(path, builtIn)), options);
        Network trainedA{nullptr};
        Network trainedB{nullptr};
        const auto ra = a.trainFromInit({-3.0, -2.0, -1.0}, {}, &trainedA);
        const auto rb = b.trainFromInit({-3.0, -2.0, -1.0}, {}, &trainedB);
        QVERIFY(ra.status == bt::train::TrainStatus::Ok);
        QVERIFY(rb.status == bt::train::TrainStatus::Ok);
        QCOMPARE(trainedB->layerNames(),
                 (std::vector<std::string>{"fc1_weight", "fc2_weight", "fc3_weight"}));
        for (std::size_t l = 0; l < 3; ++l) {
            QVERIFY2(torch::allclose(trainedA->weights()[l], trainedB->weights()[l], 1e-5, 1e-6),
                     qPrintable(QString("layer %1 differs").arg(l)));
        }
        QVERIFY(qAbs(ra.evaluation.train.loss - rb.evaluation.train.loss) < 1e-6);
        QVERIFY(qAbs(ra.evaluation.penalty - rb.evaluation.penalty) < 1e-6);
        QCOMPARE(*ra.evaluation.test.accuracy, *rb.evaluation.test.accuracy);
        // It really trained: the loss fell from the initial network's.
        auto initial = b.initialNetwork();
        QVERIFY(rb.evaluation.train.loss < b.evaluate(initial, {-3.0, -2.0, -1.0}).train.loss);
        // A checkpoint of the TorchScript network reloads to the same weights.
        auto state = b.startState({-3.0, -2.0, -1.0}, trainedB);
        b.saveCheckpoint(state, file("state.pt"));
        const auto reloaded = b.loadCheckpoint(file("state.pt"));
        QVERIFY(torch::equal(reloaded.network->weights()[1], trainedB->weights()[1]));
    }

    void unusableFilesAreRefusedWithTheFileNamed() {
        ModelSpec spec;
        spec.kind = ModelKind::Torchscript;

        spec.scriptPath = file("notes.pt");
        std::ofstream(spec.scriptPath) << "not a model\n";
        auto message = refusal(spec);
        QVERIFY2(message.contains("notes.pt") && message.contains("not a TorchScript archive"),
                 qPrintable(message));

        // A truncated archive: the first half of a good one.
        const auto good = saveBuiltIn(ModelSpec{ModelKind::Mlp, {6}, 3, {8}}, 1, file("good.pt"));
        std::ifstream in(good, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        spec.scriptPath = file("truncated.pt");
        std::ofstream(spec.scriptPath, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
        message = refusal(spec);
        QVERIFY2(message.contains("truncated.pt") && message.contains("truncated"),
                 qPrintable(message));

        torch::jit::Module empty("__torch__.Empty");
        empty.define("def forward(self, x):\n    return x\n");
        message = refusalOfSaved(empty, "empty.pt");
        QVERIFY2(message.contains("empty.pt") && message.contains("no parameters"),
                 qPrintable(message));

        torch::jit::Module scaleOnly("__torch__.Scale");
        scaleOnly.register_parameter("scale", torch::ones({6}), false);
        scaleOnly.define("def forward(self, x):\n    return x * self.scale\n");
        message = refusalOfSaved(scaleOnly, "scale.pt");
        QVERIFY2(message.contains("scale.pt") && message.contains("two or more dimensions"),
                 qPrintable(message));

        spec.scriptPath = file("absent.pt");
        message = refusal(spec);
        QVERIFY2(message.contains("absent.pt") && message.contains("no such file"),
                 qPrintable(message));
    }

    // A folder that does not exist is made; one that cannot be (a file is in its way) is named
    // with the reason, and nothing half-written is left.
    void savingWhereNoFolderCanBeNamesIt() {
        const auto made = file("new-folder") / "m.pt";
        saveBuiltIn(ModelSpec{ModelKind::Linear, {4}, 2, {}}, 0, made);
        QVERIFY(std::filesystem::is_regular_file(made));
        std::ofstream(file("a-file")) << "in the way";
        const auto path = file("a-file") / "m.pt";
        try {
            saveBuiltIn(ModelSpec{ModelKind::Linear, {4}, 2, {}}, 0, path);
            QFAIL("saved below a file");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains("a-file") &&
                         QString(e.what()).contains("cannot create the output folder"),
                     e.what());
        }
        QVERIFY(!std::filesystem::exists(path.string() + ".partial"));
    }
};

QTEST_GUILESS_MAIN(TestScriptModule)
#include "test_script_module.moc"
