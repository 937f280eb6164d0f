#include <QtTest>

#include <memory>

#include <torch/torch.h>

#include "engine/train/tensor_dataset.h"

namespace {

// Three 1x2x2 images with values 0..11, labels 2, 0, 1.
bt::data::Dataset images() {
    bt::data::Dataset d;
    d.sampleShape = {1, 2, 2};
    d.features = std::make_shared<std::vector<float>>();
    for (int i = 0; i < 12; ++i) {
        d.features->push_back(static_cast<float>(i));
    }
    d.labels = {2, 0, 1};
    d.numClasses = 3;
    return d;
}

} // namespace

class TestTensorDataset : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void imagesWithoutCopy() {
        const auto d = images();
        const auto t = bt::train::toTensors(d, false);
        QCOMPARE(t.inputs.sizes().vec(), (std::vector<std::int64_t>{3, 1, 2, 2}));
        QCOMPARE(t.inputs.scalar_type(), torch::kFloat32);
        QCOMPARE(t.inputs.data_ptr<float>(), d.features->data()); // aliases, no copy
        QCOMPARE(t.inputs[2][0][1][0].item<float>(), 10.0F);
        QCOMPARE(t.targets.scalar_type(), torch::kInt64);
        QCOMPARE(t.targets.sizes().vec(), (std::vector<std::int64_t>{3}));
        QCOMPARE(t.targets[0].item<std::int64_t>(), std::int64_t{2});
    }

    void flattened() {
        const auto d = images();
        const auto t = bt::train::toTensors(d, true);
        QCOMPARE(t.inputs.sizes().vec(), (std::vector<std::int64_t>{3, 4}));
        QCOMPARE(t.inputs.data_ptr<float>(), d.features->data());
        QCOMPARE(t.inputs[1][3].item<float>(), 7.0F);
    }

    void tensorKeepsBufferAlive() {
        std::weak_ptr<std::vector<float>> buffer;
        torch::Tensor inputs;
        {
            auto d = images();
            buffer = d.features;
            inputs = bt::train::toTensors(d, true).inputs;
        }
        QVERIFY2(!buffer.expired(), "the tensor must hold the buffer after the Dataset is gone");
        QCOMPARE(inputs.sum().item<float>(), 66.0F);
        inputs = torch::Tensor();
        QVERIFY2(buffer.expired(), "the buffer must be freed with the last tensor");
    }

    void regressionTargets() {
        bt::data::Dataset d;
        d.task = bt::data::Task::Regression;
        d.sampleShape = {2};
        d.features = std::make_shared<std::vector<float>>(std::vector<float>{1, 2, 3, 4});
        d.targets = {0.5F, -1.5F};
        const auto t = bt::train::toTensors(d, false);
        QCOMPARE(t.inputs.sizes().vec(), (std::vector<std::int64_t>{2, 2}));
        QCOMPARE(t.targets.scalar_type(), torch::kFloat32);
        QCOMPARE(t.targets.sizes().vec(), (std::vector<std::int64_t>{2}));
        QCOMPARE(t.targets[1].item<float>(), -1.5F);
    }

    void rowsSelectInputsAndTargetsTogether() {
        bt::data::Dataset d;
        d.task = bt::data::Task::Regression;
        d.sampleShape = {2};
        d.features = std::make_shared<std::vector<float>>(std::vector<float>{1, 2, 3, 4, 5, 6});
        d.targets = {10.0F, 20.0F, 30.0F};
        const auto t = bt::train::toTensors(d, false);
        const auto picked = bt::train::rows(t, torch::tensor({2, 0}, torch::kInt64));
        QCOMPARE(picked.inputs.sizes().vec(), (std::vector<std::int64_t>{2, 2}));
        QCOMPARE(picked.inputs[0][1].item<float>(), 6.0F);
        QCOMPARE(picked.inputs[1][0].item<float>(), 1.0F);
        QCOMPARE(picked.targets[0].item<float>(), 30.0F);
        QCOMPARE(picked.targets[1].item<float>(), 10.0F);
    }

    void emptySplit() {
        bt::data::Dataset d;
        d.sampleShape = {1, 28, 28};
        const auto t = bt::train::toTensors(d, false);
        QCOMPARE(t.inputs.sizes().vec(), (std::vector<std::int64_t>{0, 1, 28, 28}));
        QCOMPARE(t.targets.numel(), std::int64_t{0});
        QCOMPARE(bt::train::toTensors(d, true).inputs.sizes().vec(),
                 (std::vector<std::int64_t>{0, 784}));
    }
};

QTEST_GUILESS_MAIN(TestTensorDataset)
#include "test_tensor_dataset.moc"
