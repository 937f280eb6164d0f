#include <QtTest>

#include <torch/torch.h>

#include "engine/config/run_config.h"
#include "engine/models/network.h"

using bt::models::ModelKind;
using bt::models::ModelSpec;
using bt::models::Network;

class TestNetwork : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void mlpHasOneWeightLayerPerAffineMap() {
        const ModelSpec spec{ModelKind::Mlp, {784}, 10, {300, 100}};
        Network net(spec, 1);
        QCOMPARE(bt::models::weightLayerCount(spec), 3);
        QCOMPARE(net->weights().size(), std::size_t{3});
        QCOMPARE(net->weights()[0].sizes().vec(), (std::vector<int64_t>{300, 784}));
        QCOMPARE(net->weights()[2].sizes().vec(), (std::vector<int64_t>{10, 100}));
        QCOMPARE(net->layerNames(), (std::vector<std::string>{"fc1", "fc2", "fc3"}));
        // Images come flattened or as N×1×28×28.
        QCOMPARE(net->forward(torch::zeros({4, 1, 28, 28})).sizes().vec(),
                 (std::vector<int64_t>{4, 10}));
    }

    // The configuration's λ dimension (weight_layers.h, without LibTorch) is the number of
    // weight tensors the network builds, for every kind.
    void lambdaDimensionIsTheNetworksWeightLayers() {
        const std::vector<ModelSpec> specs{{ModelKind::Linear, {6}, 1, {}},
                                           {ModelKind::Mlp, {6}, 3, {5}},
                                           {ModelKind::Mlp, {6}, 3, {5, 4, 3}},
                                           {ModelKind::Lenet5, {1, 28, 28}, 10, {}}};
        for (const auto& spec : specs) {
            bt::config::ModelConfig model;
            model.kind = spec.kind;
            model.hidden.assign(spec.hidden.begin(), spec.hidden.end());
            const auto layers = Network(spec, 0)->weights().size();
            bt::config::HyperparameterConfig box;
            QCOMPARE(bt::models::lambdaDimension(model, box), static_cast<int>(layers));
            // The names the network gives its weights are the torch-free table's.
            QVERIFY(Network(spec, 0)->layerNames() ==
                    bt::models::builtInWeightNames(spec.kind, spec.hidden.size()));
            box.scope = bt::config::LambdaScope::Shared;
            QCOMPARE(bt::models::lambdaDimension(model, box), 1);
        }
        // Groups: LeNet-5's convolutions share one λ, its dense layers keep theirs.
        bt::config::ModelConfig lenet;
        lenet.kind = ModelKind::Lenet5;
        bt::config::HyperparameterConfig grouped;
        grouped.groups = {{"convolutions", "conv*"}};
        QCOMPARE(bt::models::lambdaDimension(lenet, grouped), 4);
        grouped.groups = {{"none", "features.*"}};
        QCOMPARE(bt::models::lambdaDimension(lenet, grouped), 0); // the run says why
    }

    // λ's layout over the weights (weight_layers.h): entries in the order of their first weight,
    // a group's name for a group's entry, a weight's own name otherwise.
    void layoutPlacesGroupsAtTheirFirstWeight() {
        const std::vector<std::string> weights{"conv1", "conv2", "fc1", "fc2", "fc3"};
        bt::config::HyperparameterConfig box;
        box.groups = {{"head", "fc3"}, {"features", "conv?"}};
        const auto layout = bt::models::lambdaLayout(weights, box);
        QVERIFY(layout.names == (std::vector<std::string>{"features", "fc1", "fc2", "head"}));
        QVERIFY(layout.lambdaOf == (std::vector<std::size_t>{0, 0, 1, 2, 3}));
        QVERIFY(layout.members[0] == (std::vector<std::string>{"conv1", "conv2"}));
        box.groups.clear();
        const auto perLayer = bt::models::lambdaLayout(weights, box);
        QVERIFY(perLayer.names == weights);
        QVERIFY(perLayer.lambdaOf == (std::vector<std::size_t>{0, 1, 2, 3, 4}));
        box.scope = bt::config::LambdaScope::Shared;
        const auto shared = bt::models::lambdaLayout(weights, box);
        QVERIFY(shared.names == std::vector<std::string>{"shared"});
        QVERIFY(shared.lambdaOf == (std::vector<std::size_t>(5, 0)));
        // Patterns match whole names; * crosses dots.
        QVERIFY(bt::models::matchesPattern("features.*.weight", "features.10.0.weight"));
        QVERIFY(!bt::models::matchesPattern("fc", "fc1"));
    }

    // The penalty with a layout: each weight takes its entry's coefficient.
    void penaltyFollowsTheLayout() {
        const std::vector<torch::Tensor> weights{torch::ones({2, 2}, torch::kDouble),
                                                 torch::ones({3}, torch::kDouble),
                                                 torch::ones({1}, torch::kDouble)};
        const auto lambda = torch::tensor({std::log(2.0), std::log(3.0)}, torch::kDouble);
        const std::vector<std::size_t> lambdaOf{1, 0, 1};
        // ½·(3·4 + 2·3 + 3·1) = 10.5
        QVERIFY(std::abs(bt::models::l2Penalty(weights, lambda, lambdaOf).item<double>() - 10.5) <
                1e-12);
        const std::vector<std::size_t> outOfRange{0, 2, 1};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 bt::models::l2Penalty(weights, lambda, outOfRange));
    }

    void lenet5TakesBothInputSizes() {
        const ModelSpec fmnist{ModelKind::Lenet5, {1, 28, 28}, 10, {}};
        const ModelSpec cifar{ModelKind::Lenet5, {3, 32, 32}, 10, {}};
        Network a(fmnist, 0);
        Network b(cifar, 0);
        QCOMPARE(a->weights().size(), std::size_t{5});
        QCOMPARE(a->forward(torch::zeros({2, 1, 28, 28})).sizes().vec(),
                 (std::vector<int64_t>{2, 10}));
        QCOMPARE(b->forward(torch::zeros({2, 3, 32, 32})).sizes().vec(),
                 (std::vector<int64_t>{2, 10}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 Network(ModelSpec{ModelKind::Lenet5, {1, 20, 20}, 10, {}}, 0));
    }

    void initialisationIsDeterministicPerSeed() {
        const ModelSpec spec{ModelKind::Mlp, {20}, 3, {8}};
        Network a(spec, 7);
        Network b(spec, 7);
        Network c(spec, 8);
        for (std::size_t i = 0; i < a->parameters().size(); ++i) {
            QVERIFY(torch::equal(a->parameters()[i], b->parameters()[i]));
        }
        QVERIFY(!torch::equal(a->weights()[0], c->weights()[0]));
        // PyTorch's default bound 1/sqrt(fan_in).
        QVERIFY(a->weights()[0].abs().max().item<double>() <= 1.0 / std::sqrt(20.0));
    }

    // model.init he: weights N(0, 2/fan_in), zero biases, the same for a seed; through ten ReLU
    // layers the output still depends on the input, where PyTorch's default all but loses it.
    void heInitialisationKeepsTheSignalThroughDeepReluLayers() {
        ModelSpec he{ModelKind::Mlp, {784}, 10, {300, 100, 100, 100, 100, 100, 100, 100, 100}};
        he.init = bt::models::WeightInit::He;
        ModelSpec pytorch = he;
        pytorch.init = bt::models::WeightInit::Pytorch;
        Network a(he, 3);
        Network b(he, 3);
        Network c(pytorch, 3);
        for (std::size_t i = 0; i < a->parameters().size(); ++i) {
            QVERIFY(torch::equal(a->parameters()[i], b->parameters()[i]));
        }
        for (const auto& bias : a->biases()) {
            QCOMPARE(bias.abs().max().item<double>(), 0.0);
        }
        const double first = a->weights()[0].std().item<double>();
        QVERIFY2(std::abs(first / std::sqrt(2.0 / 784.0) - 1.0) < 0.02,
                 std::to_string(first).c_str());
        const double later = a->weights()[4].std().item<double>();
        QVERIFY2(std::abs(later / std::sqrt(2.0 / 100.0) - 1.0) < 0.05,
                 std::to_string(later).c_str());

        torch::NoGradGuard noGrad;
        const auto x = torch::randn({512, 784}, torch::TensorOptions().dtype(torch::kFloat32));
        // How much the output moves with the input: its spread over the samples, per unit.
        const auto spread = [&](Network& net) {
            return net->forward(x).std(/*dim=*/0).mean().item<double>();
        };
        const double heSpread = spread(a);
        const double defaultSpread = spread(c);
        QVERIFY2(heSpread > 0.1 && heSpread < 10.0, std::to_string(heSpread).c_str());
        QVERIFY2(defaultSpread < 1e-3 * heSpread,
                 (std::to_string(defaultSpread) + " vs " + std::to_string(heSpread)).c_str());
    }

    void penaltyMatchesHandValueAndGradient() {
        // W1 = [[1, 2]], W2 = [[3]], λ = (0, ln 2):
        // ½·e⁰·(1+4) + ½·2·9 = 2.5 + 9 = 11.5; ∂/∂λ_l = exp(λ_l)·½‖W_l‖² = (2.5, 9).
        auto lambda = torch::tensor({0.0, std::log(2.0)}, torch::kDouble).requires_grad_(true);
        std::vector<torch::Tensor> weights{torch::tensor({{1.0, 2.0}}, torch::kDouble),
                                           torch::tensor({{3.0}}, torch::kDouble)};
        auto penalty = bt::models::l2Penalty(weights, lambda);
        QCOMPARE(penalty.item<double>(), 11.5);
        penalty.backward();
        QVERIFY(std::abs(lambda.grad()[0].item<double>() - 2.5) < 1e-12);
        QVERIFY(std::abs(lambda.grad()[1].item<double>() - 9.0) < 1e-12);
        // Shared scope: one λ for all layers, ½·e^{ln 3}·(5 + 9) = 21.
        auto shared = torch::tensor({std::log(3.0)}, torch::kDouble);
        QVERIFY(std::abs(bt::models::l2Penalty(weights, shared).item<double>() - 21.0) < 1e-12);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 bt::models::l2Penalty(weights, torch::zeros({3})));
    }

    void cloneCopiesValuesNotStorage() {
        const ModelSpec spec{ModelKind::Linear, {5}, 1, {}, bt::models::LossKind::MeanSquaredError};
        Network a(spec, 3);
        auto b = bt::models::cloneNetwork(a);
        QVERIFY(torch::equal(a->weights()[0], b->weights()[0]));
        {
            torch::NoGradGuard noGrad;
            b->weights()[0].add_(1.0);
        }
        QVERIFY(!torch::equal(a->weights()[0], b->weights()[0]));
    }
};

QTEST_GUILESS_MAIN(TestNetwork)
#include "test_network.moc"
