#include <fstream>
#include <iterator>
#include <thread>

#include <QtTest>

#include <nlohmann/json.hpp>

#include <torch/cuda.h>

#include "engine/core/error.h"
#include "engine/train/device.h"
#include "engine/train/environment.h"
#include "tests/support/denormals.h"

class TestDevice : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void resolvesCpuAndAuto() {
        QVERIFY(bt::train::resolveDevice("cpu").is_cpu());
        const auto automatic = bt::train::resolveDevice("auto");
        QCOMPARE(automatic.is_cuda(), torch::cuda::is_available());
    }

    void rejectsBadSpellingsNamingTheKey() {
        for (const std::string bad : {"gpu", "cuda:", "cuda:-1", "cuda:x", "CPU", ""}) {
            try {
                bt::train::resolveDevice(bad);
                QFAIL(qPrintable(QString("accepted '%1'").arg(QString::fromStdString(bad))));
            } catch (const bt::core::InputError& e) {
                QCOMPARE(QString::fromStdString(e.where()), QStringLiteral("training.device"));
                QVERIFY(std::string(e.what()).find("expected cpu, cuda, cuda:N or auto") !=
                        std::string::npos);
            }
        }
    }

    // Strong regularisation drives weights into the denormal range, where the CPU's slow path
    // made one training 12 times slower (docs/measurements/2026-12-06-denormals.md).
    void flushDenormalsZeroesThemOnItsThreadAndTheThreadsItStarts() {
        bool before = false;
        bool supported = false;
        bool after = true;
        bool inherited = true;
        std::thread([&] {
            at::globalContext().setFlushDenormal(false);
            before = bt::testing::keepsDenormals();
            supported = bt::train::flushDenormals();
            after = bt::testing::keepsDenormals();
            std::thread([&] { inherited = bt::testing::keepsDenormals(); }).join();
        }).join();
        if (!supported) {
            QSKIP("this CPU cannot flush denormals to zero");
        }
        QVERIFY2(before, "a thread that does not flush keeps a denormal");
        QVERIFY(!after);
        QVERIFY2(!inherited, "a thread started afterwards flushes too");
    }

    void ranksShareOutTheGpus() {
        using bt::train::deviceForRank;
        // With GPUs, rank r takes cuda:(r mod count) for "cuda" and "auto".
        QCOMPARE(deviceForRank("cuda", 0, 2), std::string("cuda:0"));
        QCOMPARE(deviceForRank("cuda", 1, 2), std::string("cuda:1"));
        QCOMPARE(deviceForRank("cuda", 2, 2), std::string("cuda:0"));
        QCOMPARE(deviceForRank("auto", 5, 4), std::string("cuda:1"));
        // A pinned device, the CPU, or no GPU at all: the setting stands.
        QCOMPARE(deviceForRank("cuda:1", 2, 2), std::string("cuda:1"));
        QCOMPARE(deviceForRank("cpu", 3, 2), std::string("cpu"));
        QCOMPARE(deviceForRank("auto", 3, 0), std::string("auto"));
        QCOMPARE(deviceForRank("cuda", 3, 0), std::string("cuda"));
    }

    void cudaNeedsADevice() {
        if (torch::cuda::is_available()) {
            QVERIFY(bt::train::resolveDevice("cuda").is_cuda());
            const auto count = static_cast<int>(torch::cuda::device_count());
            QVERIFY_THROWS_EXCEPTION(bt::core::InputError,
                                     bt::train::resolveDevice("cuda:" + std::to_string(count)));
            return;
        }
        try {
            bt::train::resolveDevice("cuda:0");
            QFAIL("accepted cuda:0 without CUDA");
        } catch (const bt::core::InputError& e) {
            QVERIFY(std::string(e.what()).find("no CUDA device") != std::string::npos);
        }
    }

    // The OpenBLAS advice is for a LibTorch built on the system's generic BLAS (Debian's) that
    // got the reference BLAS; PyTorch's own builds bring MKL and must not be told to install
    // OpenBLAS (the GPU machine's log said so before).
    void advisesOpenBlasOnlyForTheGenericBuild() {
        bt::train::Environment env;
        env.compiledBlas = "generic";
        env.loadedBlas = {"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3"};
        const auto advice = bt::train::blasAdvice(env);
        QVERIFY(advice.find("libopenblas0-pthread") != std::string::npos);
        QVERIFY(advice.find("blas/libblas.so.3") != std::string::npos);
        QVERIFY(bt::train::formatEnvironment(env).find("not OpenBLAS") != std::string::npos);

        env.openBlas = true;
        QVERIFY(bt::train::blasAdvice(env).empty());
        QVERIFY(bt::train::formatEnvironment(env).find("(OpenBLAS)") != std::string::npos);

        env.openBlas = false;
        env.compiledBlas = "mkl";
        env.loadedBlas = {"/opt/torch/lib/libcublas.so.13"};
        QVERIFY(bt::train::blasAdvice(env).empty());
        QVERIFY(bt::train::formatEnvironment(env).find("not OpenBLAS") == std::string::npos);
    }

    // A run records its environment in result.json and the report reads it back: the same
    // facts, the same text as `env` prints; a record of the versions only (written at the
    // run's start) or of wrong types reads as what it holds, without throwing.
    void environmentSurvivesItsJson() {
        const auto env = bt::train::describeEnvironment();
        const auto json = bt::train::toJson(env);
        QCOMPARE(json.at("cpu_cores").get<int>(), env.cpuCores);
        QCOMPARE(bt::train::formatEnvironment(bt::train::environmentFromJson(json)),
                 bt::train::formatEnvironment(env));
        const auto partial = bt::train::environmentFromJson(
            nlohmann::json{{"app_version", "0.1.0"}, {"threads", "two"}, {"blas_loaded", 3}});
        QCOMPARE(partial.appVersion, std::string("0.1.0"));
        QCOMPARE(partial.threads, 0);
        QVERIFY(partial.loadedBlas.empty());
        QVERIFY(bt::train::environmentFromJson(nlohmann::json::array()).appVersion.empty());
    }

    // The same program and seed gave a different λ* on another host, and a model name such as
    // "Intel(R) Xeon(R) Processor" names no model: the record names the processor's identity
    // and OpenBLAS's kernel set, and the host key that comparisons pair runs by holds both.
    void recordsTheHostThatDecidesTheSums() {
        const auto env = bt::train::describeEnvironment();
        std::ifstream cpuinfo("/proc/cpuinfo");
        const std::string info{std::istreambuf_iterator<char>(cpuinfo), {}};
        if (info.find("vendor_id") != std::string::npos) { // x86: the identity is readable
            QVERIFY2(env.cpuId.find('/') != std::string::npos, env.cpuId.c_str());
            QVERIFY(bt::train::formatEnvironment(env).find("CPU identity: " + env.cpuId) !=
                    std::string::npos);
        }
        if (env.openBlas) { // OpenBLAS names its kernels (Debian's libopenblas0-pthread does)
            QVERIFY(!env.blasCore.empty());
        }
        QCOMPARE(bt::train::toJson(env).at("cpu_id").get<std::string>(), env.cpuId);
        QCOMPARE(bt::train::toJson(env).at("host").get<std::string>(), bt::train::hostKey(env));

        bt::train::Environment a;
        a.cpu = "Intel(R) Xeon(R) Processor";
        a.cpuId = "GenuineIntel 6/143/8; avx avx2 fma avx512f";
        a.blasCore = "SkylakeX";
        auto b = a;
        b.cpuId = "GenuineIntel 6/106/6; avx avx2 fma avx512f";
        QCOMPARE(bt::train::hostKey(a),
                 std::string("Intel(R) Xeon(R) Processor | GenuineIntel 6/143/8; avx avx2 fma "
                             "avx512f | SkylakeX"));
        QVERIFY(bt::train::hostKey(a) != bt::train::hostKey(b));
        b.cpuId.clear();
        b.blasCore.clear();
        QCOMPARE(bt::train::hostKey(b), a.cpu); // an old record: the model name alone
    }
};

QTEST_GUILESS_MAIN(TestDevice)
#include "test_device.moc"
