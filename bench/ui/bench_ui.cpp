// bench_ui: figures of the desktop app's responsiveness (issue 7).
//
//   1. Event-loop latency while a run streams events: the main window is shown, its
//      RunController runs a synthetic bilevel stream (d = 2: design samples, GP refits, inner
//      steps, outer iterations) at --rate events per second on its engine thread, the live views
//      (five charts, Trials, Hyperparameters) are switched every second so that each is redrawn,
//      and a 5 ms precise timer on the GUI thread measures how late each of its ticks comes (p50,
//      p99, max). Target: p99 < 30 ms at 200/s.
//   2. The comparison chart's redraw: 5 methods, 2,000 trials, 100,000 anytime points in all;
//      refresh (series replaced, table filled) and refresh + paint of the chart view, median and
//      max of 20. Target: < 50 ms.
//   3. Start to window: the GUI binary is started (--no-store --quit-after) until it logs that
//      its window is shown; the process's wall time, median of 5. Target: < 2 s.
//
// Usage: bench_ui [--seconds S] [--rate R] [--views N] [--skip-startup]. Prints "name: value"
// lines. --views: how many of the window's first tabs the switching cycles through (default 7,
// every live view; 5: the charts alone).
// Run it on an otherwise idle machine, with the platform of interest (QT_QPA_PLATFORM=offscreen
// or xcb under Xvfb).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <thread>
#include <vector>

#include <QApplication>
#include <QChartView>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QTabWidget>
#include <QTimer>

#include "ui/charts/comparison_chart.h"
#include "ui/charts/live_charts.h"
#include "ui/session/run_controller.h"
#include "ui/session/run_data.h"
#include "ui/shell/main_window.h"

using namespace bt;
using Clock = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> values, double p) {
    if (values.empty()) {
        return NAN;
    }
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::min(values.size() - 1, index == 0 ? 0 : index - 1)];
}

config::RunConfig streamConfig() {
    config::RunConfig c;
    c.dataset.kind = config::DatasetKind::FashionMnist;
    c.model.hidden = {100};
    c.hyperparameters = {config::LambdaScope::PerLayer, -10.0, 0.0};
    c.training.epochs = 10;
    c.bilevel.initialSamples = 5;
    c.bilevel.outerIterations = 1000;
    c.bilevel.innerSteps = 300;
    c.methods = {config::Method::Bilevel};
    return c;
}

events::Metrics metricsAt(double a, double b) {
    events::Metrics m;
    m.objective = 0.3 + 0.01 * ((a + 5) * (a + 5) + (b + 3) * (b + 3));
    m.valLoss = 0.4 + 0.01 * ((a + 4) * (a + 4) + (b + 6) * (b + 6));
    m.testLoss = m.valLoss + 0.02;
    m.testAccuracy = 0.9 - m.valLoss / 10;
    return m;
}

// A bilevel run's events at `rate` per second for `seconds`: a 5 × 5 design with a refit, then
// inner steps with, every 100 events, a φ sample, a refit and an outer iteration.
report::RunResult stream(events::EventSink& sink, std::stop_token stop, double rate, double seconds,
                         std::size_t* sent) {
    const auto start = Clock::now();
    const auto period = std::chrono::duration<double>(1.0 / rate);
    std::size_t n = 0;
    auto emit = [&](const events::Event& e) {
        std::this_thread::sleep_until(
            start + std::chrono::duration_cast<Clock::duration>(period * static_cast<double>(n)));
        sink.onEvent(e);
        ++n;
    };
    events::Cost cost;
    int index = 0;
    std::vector<double> lambda{-5.0, -5.0};
    auto sample = [&](const std::string& phase, double a, double b) {
        events::SampleEvent s;
        s.method = "bilevel";
        s.phase = phase;
        s.index = index++;
        s.total = 25;
        s.lambda = {a, b};
        s.status = "ok";
        s.metrics = metricsAt(a, b);
        cost.lowerLevelTrainings++;
        cost.epochs += 10;
        s.cost = cost;
        emit(s);
    };
    auto refit = [&] {
        events::GpRefitEvent r;
        r.method = "bilevel";
        r.samples = index;
        r.lengthScales = {3.0, 3.0};
        r.signalVariance = 0.2;
        r.noiseVariance = 1e-4;
        emit(r);
    };
    for (int i = 0; i < 5 && !stop.stop_requested(); ++i) {
        for (int j = 0; j < 5; ++j) {
            sample("initial-design", -10.0 + 2.5 * i, -10.0 + 2.5 * j);
        }
    }
    refit();
    int outer = 1;
    int step = 0;
    const auto end =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    while (!stop.stop_requested() && Clock::now() < end) {
        events::InnerProgressEvent e;
        e.outerIteration = outer;
        e.step = (step % 100 + 1) * 3;
        e.totalSteps = 300;
        lambda[0] = std::clamp(lambda[0] + 0.01 * std::sin(step * 0.1), -10.0, 0.0);
        lambda[1] = std::clamp(lambda[1] + 0.01 * std::cos(step * 0.07), -10.0, 0.0);
        e.lambda = lambda;
        e.upperLoss = metricsAt(lambda[0], lambda[1]).valLoss;
        e.lowerObjective = metricsAt(lambda[0], lambda[1]).objective;
        e.phiHat = e.lowerObjective - 0.01;
        e.violation = 0.01 / outer;
        cost.epochs += 0.05;
        e.cost = cost;
        emit(e);
        if (++step % 100 == 0) {
            sample("outer-iteration", lambda[0], lambda[1]);
            refit();
            events::OuterIterationEvent o;
            o.iteration = outer;
            o.total = 1000;
            o.lambda = lambda;
            o.violationSampled = 0.02 / outer;
            o.violationSurrogate = 0.01 / outer;
            o.mu = 2.0;
            o.r = std::min(2.0 * std::pow(1.5, outer), 1000.0);
            o.upperLoss = e.upperLoss;
            o.lowerObjective = e.lowerObjective;
            o.phiSampled = e.phiHat;
            o.phiHat = e.phiHat;
            o.metrics = metricsAt(lambda[0], lambda[1]);
            o.cost = cost;
            emit(o);
            ++outer;
        }
    }
    sink.onEvent(events::FinishedEvent{bt::events::RunStatus::Completed, ""});
    *sent = n + 1;
    report::RunResult result;
    result.status = bt::events::RunStatus::Completed;
    return result;
}

void latencyUnderStream(double rate, double seconds, int views) {
    ui::MainWindow window(QStringLiteral("Bench: bench_ui"), QStringLiteral("-"));
    window.resize(1320, 860);
    window.show();
    QApplication::processEvents();

    std::vector<double> late;
    QElapsedTimer clock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    qint64 previous = -1;
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (previous >= 0) {
            late.push_back(std::max(0.0, (now - previous) / 1e6 - 5.0));
        }
        previous = now;
    });
    QTimer tabs;
    tabs.setInterval(1000);
    QObject::connect(&tabs, &QTimer::timeout, [&window, views] {
        auto* tabWidget = window.views();
        tabWidget->setCurrentIndex((tabWidget->currentIndex() + 1) % views);
    });

    std::size_t sent = 0;
    int delivered = 0;
    QObject::connect(window.controller(), &ui::RunController::eventReceived,
                     [&delivered] { ++delivered; });
    QEventLoop loop;
    QObject::connect(window.controller(), &ui::RunController::runFinished, &loop,
                     &QEventLoop::quit);
    const int redrawsBefore = window.charts()->redrawCount();
    clock.start();
    probe.start();
    tabs.start();
    window.controller()->startCustom(
        streamConfig(), [rate, seconds, &sent](events::EventSink& sink, std::stop_token stop) {
            return stream(sink, stop, rate, seconds, &sent);
        });
    loop.exec();
    probe.stop();
    tabs.stop();
    const double wall = clock.elapsed() / 1000.0;
    std::printf("stream: %zu events in %.1f s (%.0f events/s), %d delivered, %d redraws\n", sent,
                wall, sent / wall, delivered, window.charts()->redrawCount() - redrawsBefore);
    std::printf("event-loop latency (5 ms timer, lateness): p50 %.2f ms, p99 %.2f ms, max %.2f "
                "ms over %zu ticks\n",
                percentile(late, 0.5), percentile(late, 0.99), percentile(late, 1.0), late.size());
}

void comparisonRedraw() {
    ui::RunData data;
    auto config = streamConfig();
    config.methods = {config::Method::Bilevel, config::Method::Grid, config::Method::Random,
                      config::Method::Bayesian, config::Method::Hyperband};
    data.reset(config::RunConfig{}, "bench");
    const char* names[] = {"bilevel", "grid", "random", "bayesian", "hyperband"};
    std::size_t points = 0;
    std::size_t trials = 0;
    for (int m = 0; m < 5; ++m) {
        ui::MethodTrace trace;
        trace.method = names[m];
        events::Cost cost;
        for (int t = 0; t < 400; ++t) {
            events::SampleEvent s;
            s.method = names[m];
            s.phase = "trial";
            s.index = t;
            s.lambda = {-5.0, -5.0};
            s.status = "ok";
            s.metrics = metricsAt(-10.0 + t * 0.025, -5.0);
            cost.lowerLevelTrainings++;
            cost.epochs += 10;
            s.cost = cost;
            trace.samples.push_back(s);
            ++trials;
        }
        double best = 1.0;
        for (int p = 0; p < 20000; ++p) {
            methods::AnytimePoint a;
            a.epochs = p * 0.2 * (m + 1);
            a.seconds = p * 0.01;
            if (p % 7 == 0) {
                best *= 0.9999 - 0.0001 * m;
            }
            a.bestValLoss = best;
            a.testAccuracyOfBest = 1.0 - best / 2;
            a.testLossOfBest = best + 0.01;
            trace.anytime.push_back(a);
            ++points;
        }
        data.addTrace(std::move(trace));
    }
    ui::ComparisonChart chart;
    chart.resize(1000, 700);
    chart.show();
    QApplication::processEvents();
    auto* view = chart.chartViews().front();
    std::vector<double> refresh;
    std::vector<double> total;
    for (int rep = 0; rep < 20; ++rep) {
        // Alternate the metric so that every repetition replaces every series.
        chart.setMetric(rep % 2 == 0 ? ui::ComparisonChart::Metric::TestLoss
                                     : ui::ComparisonChart::Metric::ValidationLoss);
        QElapsedTimer timer;
        timer.start();
        chart.refresh(data);
        refresh.push_back(timer.nsecsElapsed() / 1e6);
        QImage image(view->size() * view->devicePixelRatio(), QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(view->devicePixelRatio());
        QPainter painter(&image);
        view->render(&painter);
        painter.end();
        total.push_back(timer.nsecsElapsed() / 1e6);
    }
    std::printf("comparison chart, %zu trials, %zu anytime points (%d drawn per curve at most): "
                "refresh median %.1f ms (max %.1f), refresh + paint median %.1f ms (max %.1f)\n",
                trials, points, ui::ComparisonChart::kMaxCurvePoints, percentile(refresh, 0.5),
                percentile(refresh, 1.0), percentile(total, 0.5), percentile(total, 1.0));
}

void startToWindow() {
    std::vector<double> times;
    std::vector<double> inApp;
    for (int rep = 0; rep < 5; ++rep) {
        QProcess app;
        app.setProcessChannelMode(QProcess::MergedChannels);
        QElapsedTimer timer;
        timer.start();
        app.start(
            QStringLiteral(BT_GUI_BINARY),
            {QStringLiteral("--no-store"), QStringLiteral("--quit-after"), QStringLiteral("300")});
        QByteArray output;
        double shown = -1.0;
        while (shown < 0.0 && app.state() != QProcess::NotRunning) {
            app.waitForReadyRead(50);
            output += app.readAll();
            const auto at = output.indexOf("window shown ");
            if (at >= 0 && output.indexOf('\n', at) >= 0) {
                shown = timer.nsecsElapsed() / 1e6;
                const auto tail = output.mid(at + 13);
                inApp.push_back(tail.left(tail.indexOf(' ')).toDouble());
            }
        }
        app.waitForFinished(10000);
        if (shown < 0.0) {
            std::printf("start to window: the app did not report its window:\n%s\n",
                        output.constData());
            return;
        }
        times.push_back(shown);
    }
    std::printf("start to window: median %.0f ms (max %.0f) from exec to the window shown; "
                "%.0f ms of it inside main\n",
                percentile(times, 0.5), percentile(times, 1.0), percentile(inApp, 0.5));
}

} // namespace

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // lines appear as they are measured
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("bilevel-tuner-bench"));
    double seconds = 10.0;
    double rate = 200.0;
    bool startup = true;
    int views = 7; // the five charts, Trials and Hyperparameters: every live view
    const auto args = QApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QStringLiteral("--seconds") && i + 1 < args.size()) {
            seconds = args[++i].toDouble();
        } else if (args[i] == QStringLiteral("--rate") && i + 1 < args.size()) {
            rate = args[++i].toDouble();
        } else if (args[i] == QStringLiteral("--views") && i + 1 < args.size()) {
            views = std::max(1, args[++i].toInt());
        } else if (args[i] == QStringLiteral("--skip-startup")) {
            startup = false;
        } else {
            std::fprintf(stderr, "usage: bench_ui [--seconds S] [--rate R] [--views N] "
                                 "[--skip-startup]\n");
            return 2;
        }
    }
    std::printf("platform: %s\n", qPrintable(QGuiApplication::platformName()));
    latencyUnderStream(rate, seconds, views);
    comparisonRedraw();
    if (startup) {
        startToWindow();
    }
    return 0;
}
