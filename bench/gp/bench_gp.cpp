// Benchmark of the GP surrogate (engine/gp): the issue-3 targets, then fit/predict/append
// times against n for a few dimensions with the fitted growth exponents (log-log slopes).
// Every figure is the median of repeats. Usage: bench_gp [--quick] [--max-fit-n N]
//   --quick        scaling sweep up to n = 500 only
//   --max-fit-n N  largest n for the full fit (5 restarts) in the sweep (default 1000); the
//                  per-evaluation likelihood time is measured for every n.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "engine/gp/gaussian_process.h"
#include "engine/gp/marginal_likelihood.h"

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t m = v.size() / 2;
    return v.size() % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

/// Median over `repeats` of the time of one call of f, where each repeat runs f `inner` times.
double timeIt(const std::function<void()>& f, int repeats, int inner = 1) {
    std::vector<double> samples;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        for (int i = 0; i < inner; ++i) {
            f();
        }
        samples.push_back(std::chrono::duration<double>(Clock::now() - start).count() / inner);
    }
    return median(samples);
}

/// Inner count such that one repeat of f lasts about `target` seconds.
int calibrate(const std::function<void()>& f, double target) {
    int inner = 1;
    for (;;) {
        const auto start = Clock::now();
        for (int i = 0; i < inner; ++i) {
            f();
        }
        const double t = std::chrono::duration<double>(Clock::now() - start).count();
        if (t >= target || inner >= (1 << 24)) {
            return inner;
        }
        inner *= t > 0.0 ? std::clamp(static_cast<int>(target / t) + 1, 2, 100) : 100;
    }
}

struct Data {
    Eigen::MatrixXd x;
    Eigen::VectorXd y;
};

/// n points uniform in [0, 1]^d with target Σ_j sin(3 x_j) + N(0, 0.05²).
Data makeData(int n, int d, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::normal_distribution<double> noise(0.0, 0.05);
    Data data{Eigen::MatrixXd(n, d), Eigen::VectorXd(n)};
    for (int i = 0; i < n; ++i) {
        double s = 0.0;
        for (int j = 0; j < d; ++j) {
            data.x(i, j) = uniform(rng);
            s += std::sin(3.0 * data.x(i, j));
        }
        data.y[i] = s + noise(rng);
    }
    return data;
}

bt::gp::GpOptions boxOptions(int d) {
    bt::gp::GpOptions options;
    options.lower.assign(static_cast<std::size_t>(d), 0.0);
    options.upper.assign(static_cast<std::size_t>(d), 1.0);
    options.warmStart = false;
    return options;
}

bt::gp::GpHyperparameters fixedHyper(int d) {
    return {std::vector<double>(static_cast<std::size_t>(d), 0.4), 1.0, 1e-3};
}

/// Least-squares slope of log t against log n over the points with n ≥ minN and t > 0.
double slope(const std::vector<int>& ns, const std::vector<double>& ts, int minN) {
    double sx = 0.0;
    double sy = 0.0;
    double sxx = 0.0;
    double sxy = 0.0;
    int k = 0;
    for (std::size_t i = 0; i < ns.size(); ++i) {
        if (ns[i] < minN || !(ts[i] > 0.0)) {
            continue;
        }
        const double lx = std::log(static_cast<double>(ns[i]));
        const double ly = std::log(ts[i]);
        sx += lx;
        sy += ly;
        sxx += lx * lx;
        sxy += lx * ly;
        ++k;
    }
    if (k < 2) {
        return std::nan("");
    }
    return (k * sxy - sx * sy) / (k * sxx - sx * sx);
}

struct Row {
    int n = 0;
    double fit = 0.0;      // s, default options (5 restarts); 0 when skipped
    int evaluations = 0;   // likelihood evaluations of that fit
    double evaluation = 0; // s, one log-likelihood + gradient
    double mean = 0.0;     // s, meanAndGradient
    double predict = 0.0;  // s, predict with variance and gradients
    double append = 0.0;   // s, one append at this n
};

Row measure(int n, int d, int maxFitN) {
    Row row;
    row.n = n;
    const Data data = makeData(n, d, 1000u + static_cast<unsigned>(n * 16 + d));

    // One likelihood-and-gradient evaluation, the fit's unit of work.
    bt::gp::MarginalLikelihood likelihood(bt::gp::KernelKind::Matern52, data.x.transpose(),
                                          (data.y.array() - data.y.mean()).matrix());
    Eigen::VectorXd theta = Eigen::VectorXd::Constant(d + 2, std::log(0.4));
    theta[d] = 0.0;
    theta[d + 1] = std::log(1e-3);
    Eigen::VectorXd gradient;
    const auto evaluate = [&] { likelihood.evaluate(theta, &gradient); };
    row.evaluation = timeIt(evaluate, n >= 1000 ? 3 : 5, calibrate(evaluate, 0.02));

    if (n <= maxFitN) {
        std::vector<double> times;
        const int repeats = n <= 200 ? 5 : (n <= 500 ? 3 : 1);
        for (int r = 0; r < repeats; ++r) {
            bt::gp::GaussianProcess gp(boxOptions(d));
            const auto report = gp.fit(data.x, data.y);
            times.push_back(report.seconds);
            row.evaluations = report.evaluations;
        }
        row.fit = median(times);
    }

    bt::gp::GaussianProcess gp(boxOptions(d));
    gp.condition(data.x, data.y, fixedHyper(d));
    Eigen::VectorXd point = Eigen::VectorXd::Constant(d, 0.37);
    Eigen::VectorXd meanGradient(d);
    double sink = 0.0;
    const auto mean = [&] {
        point[0] += 1e-9; // defeat hoisting
        sink += gp.meanAndGradient(point, meanGradient);
    };
    row.mean = timeIt(mean, 7, calibrate(mean, 0.01));
    const auto predict = [&] {
        point[0] += 1e-9;
        sink += gp.predict(point, true).variance;
    };
    row.predict = timeIt(predict, 7, calibrate(predict, 0.01));

    // Appends from n − 9 samples up to n: the median is the cost of one append near n.
    const int appends = std::min(9, n - 1);
    bt::gp::GaussianProcess growing(boxOptions(d));
    growing.condition(data.x.topRows(n - appends), data.y.head(n - appends), fixedHyper(d));
    std::vector<double> appendTimes;
    for (int i = n - appends; i < n; ++i) {
        const auto start = Clock::now();
        growing.append(data.x.row(i).transpose(), data.y[i]);
        appendTimes.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    }
    row.append = appendTimes.empty() ? 0.0 : median(appendTimes);
    if (!std::isfinite(sink)) {
        std::printf("(non-finite prediction)\n");
    }
    return row;
}

const char* verdict(double value, double target) {
    return value < target ? "ok" : "MISSED";
}

} // namespace

int main(int argc, char** argv) {
    bool quick = false;
    int maxFitN = 1000;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) {
            quick = true;
        } else if (std::strcmp(argv[i], "--max-fit-n") == 0 && i + 1 < argc) {
            maxFitN = std::atoi(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: %s [--quick] [--max-fit-n N]\n", argv[0]);
            return 2;
        }
    }

    std::printf("GP surrogate benchmark (Matérn 5/2, inputs in [0,1]^d, medians of repeats)\n\n");

    // ---- issue-3 targets ---------------------------------------------------------------------
    {
        const Data data = makeData(50, 5, 1);
        std::vector<double> fits;
        int evaluations = 0;
        for (int r = 0; r < 9; ++r) {
            bt::gp::GaussianProcess gp(boxOptions(5));
            const auto report = gp.fit(data.x, data.y);
            fits.push_back(report.seconds);
            evaluations = report.evaluations;
        }
        const double fit = median(fits);

        const Data data200 = makeData(200, 5, 2);
        bt::gp::GaussianProcess gp(boxOptions(5));
        gp.fit(data200.x, data200.y);
        Eigen::VectorXd point = Eigen::VectorXd::Constant(5, 0.41);
        Eigen::VectorXd gradient(5);
        double sink = 0.0;
        const auto mean = [&] {
            point[1] += 1e-9;
            sink += gp.meanAndGradient(point, gradient);
        };
        const double meanTime = timeIt(mean, 9, calibrate(mean, 0.02));
        const auto predict = [&] {
            point[1] += 1e-9;
            sink += gp.predict(point, true).variance;
        };
        const double predictTime = timeIt(predict, 9, calibrate(predict, 0.02));

        const Data data1000 = makeData(1000 + 15, 5, 3);
        bt::gp::GaussianProcess growing(boxOptions(5));
        growing.condition(data1000.x.topRows(1000), data1000.y.head(1000), fixedHyper(5));
        std::vector<double> appends;
        for (int i = 1000; i < 1015; ++i) {
            const auto start = Clock::now();
            growing.append(data1000.x.row(i).transpose(), data1000.y[i]);
            appends.push_back(std::chrono::duration<double>(Clock::now() - start).count());
        }
        const double append = median(appends);

        std::printf("%-52s %12s %10s %s\n", "case", "median", "target", "");
        std::printf("%-52s %9.2f ms %7s ms %s  (%d likelihood evaluations)\n",
                    "fit, 5 restarts, n = 50, d = 5", fit * 1e3, "50", verdict(fit, 0.05),
                    evaluations);
        std::printf("%-52s %9.2f us %7s us %s\n", "mean + gradient at one point, n = 200, d = 5",
                    meanTime * 1e6, "20", verdict(meanTime, 20e-6));
        std::printf("%-52s %9.2f us %10s\n", "mean, variance + both gradients, n = 200, d = 5",
                    predictTime * 1e6, "-");
        std::printf("%-52s %9.3f ms %7s ms %s\n", "append one sample at n = 1000, d = 5",
                    append * 1e3, "5", verdict(append, 5e-3));
        if (!std::isfinite(sink)) {
            std::printf("(non-finite prediction)\n");
        }
    }

    // ---- scaling -----------------------------------------------------------------------------
    std::vector<int> sizes{10, 20, 50, 100, 200, 500};
    if (!quick) {
        sizes.push_back(1000);
        sizes.push_back(2000);
    }
    std::printf(
        "\nScaling (fit: default options, 5 restarts; eval: one log-likelihood + gradient;\n"
        "mean: meanAndGradient; predict: mean, variance and both gradients; append: one "
        "sample)\n");
    for (const int d : {1, 5, 10}) {
        std::printf("\nd = %d\n%6s %11s %7s %11s %10s %10s %10s\n", d, "n", "fit ms", "evals",
                    "eval ms", "mean us", "pred us", "append us");
        std::vector<Row> rows;
        for (const int n : sizes) {
            const Row row = measure(n, d, maxFitN);
            rows.push_back(row);
            if (row.fit > 0.0) {
                std::printf("%6d %11.2f %7d", n, row.fit * 1e3, row.evaluations);
            } else {
                std::printf("%6d %11s %7s", n, "-", "-");
            }
            std::printf(" %11.3f %10.2f %10.2f %10.1f\n", row.evaluation * 1e3, row.mean * 1e6,
                        row.predict * 1e6, row.append * 1e6);
            std::fflush(stdout);
        }
        std::vector<int> ns;
        std::vector<double> fit, eval, mean, pred, app;
        for (const Row& r : rows) {
            ns.push_back(r.n);
            fit.push_back(r.fit);
            eval.push_back(r.evaluation);
            mean.push_back(r.mean);
            pred.push_back(r.predict);
            app.push_back(r.append);
        }
        std::printf("%6s %11.2f %7s %11.2f %10.2f %10.2f %10.2f   (log-log slope, n >= 100)\n",
                    "slope", slope(ns, fit, 100), "", slope(ns, eval, 100), slope(ns, mean, 100),
                    slope(ns, pred, 100), slope(ns, app, 100));
    }
    return 0;
}
