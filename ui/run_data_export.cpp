#include "ui/run_data_export.h"

#include <cmath>

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QTextStream>

#include "engine/config/format_number.h"
#include "engine/config/run_config_json.h"
#include "ui/run_data.h"

namespace bt::ui {

namespace {

QString field(double v) {
    // The shortest text that reads back as exactly v.
    return std::isfinite(v) ? QString::fromStdString(config::formatNumber(v)) : QString();
}

QString field(const std::optional<double>& v) {
    return v ? field(*v) : QString();
}

QString quoted(const std::string& text) {
    QString s = QString::fromStdString(text);
    if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) ||
        s.contains(QLatin1Char('\n'))) {
        s.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        return QLatin1Char('"') + s + QLatin1Char('"');
    }
    return s;
}

bool writeText(const QString& path, const QString& text, QString* error) {
    QSaveFile file(path);
    const QByteArray bytes = text.toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error != nullptr) {
            *error = QObject::tr("cannot write %1: %2").arg(path, file.errorString());
        }
        return false;
    }
    return true;
}

QStringList lambdaHeader(int d) {
    QStringList out;
    for (int i = 1; i <= d; ++i) {
        out << QStringLiteral("lambda_%1").arg(i);
    }
    return out;
}

QStringList lambdaFields(const std::vector<double>& lambda, int d) {
    QStringList out;
    for (int i = 0; i < d; ++i) {
        out << (static_cast<std::size_t>(i) < lambda.size()
                    ? field(lambda[static_cast<std::size_t>(i)])
                    : QString());
    }
    return out;
}

QStringList metricFields(const events::Metrics& m) {
    return {field(m.trainLoss), field(m.objective),   field(m.valLoss),
            field(m.testLoss),  field(m.valAccuracy), field(m.testAccuracy)};
}

const QStringList kMetricHeader{QStringLiteral("train_loss"),   QStringLiteral("objective"),
                                QStringLiteral("val_loss"),     QStringLiteral("test_loss"),
                                QStringLiteral("val_accuracy"), QStringLiteral("test_accuracy")};

QStringList costFields(const events::Cost& c) {
    return {QString::number(c.lowerLevelTrainings), field(c.epochs), field(c.wallSeconds),
            field(c.gpSeconds)};
}

const QStringList kCostHeader{QStringLiteral("trainings"), QStringLiteral("epochs"),
                              QStringLiteral("wall_seconds"), QStringLiteral("gp_seconds")};

} // namespace

report::RunResult snapshotResult(const RunData& data) {
    if (data.result()) {
        return *data.result();
    }
    report::RunResult r;
    r.runId = data.runId();
    r.status = data.finished() ? data.finished()->status : "running";
    r.message = data.finished() ? data.finished()->message : "";
    r.config = config::toJson(data.config());
    for (const auto& trace : data.methods()) {
        // Built in place: a local moved in trips GCC 12's -Wmaybe-uninitialized on the
        // optional metrics.
        auto& m = r.methods.emplace_back();
        m.method = trace.method;
        m.status = trace.finished ? "completed" : "running";
        m.samples = trace.samples;
        m.anytime = trace.anytime;
        if (trace.method == "bilevel") {
            m.iterations = data.outerIterations();
        }
        if (trace.finished) {
            m.lambda = trace.finished->lambda;
            m.metrics = trace.finished->metrics;
            m.cost = trace.finished->cost;
        } else if (!trace.samples.empty()) {
            m.cost = trace.samples.back().cost;
        }
    }
    return r;
}

bool exportRunJson(const RunData& data, const QString& path, QString* error) {
    return writeText(path,
                     QString::fromStdString(report::toJson(snapshotResult(data)).dump(2)) +
                         QLatin1Char('\n'),
                     error);
}

bool exportRunCsv(const RunData& data, const QString& path, QString* error, QStringList* written) {
    const int d = data.dimension();
    const QFileInfo info(path);
    const QString base = info.dir().filePath(info.completeBaseName());

    QString samples;
    QTextStream out(&samples);
    out << (QStringList{QStringLiteral("method"), QStringLiteral("phase"),
                        QStringLiteral("index")} +
            lambdaHeader(d) +
            QStringList{QStringLiteral("status"), QStringLiteral("epochs_trained")} +
            kMetricHeader + kCostHeader)
               .join(QLatin1Char(','))
        << '\n';
    for (const auto& trace : data.methods()) {
        for (const auto& s : trace.samples) {
            out << (QStringList{quoted(s.method), quoted(s.phase), QString::number(s.index)} +
                    lambdaFields(s.lambda, d) +
                    QStringList{quoted(s.status), field(s.epochsTrained)} +
                    metricFields(s.metrics) + costFields(s.cost))
                       .join(QLatin1Char(','))
                << '\n';
        }
    }
    out.flush();
    if (!writeText(path, samples, error)) {
        return false;
    }
    if (written != nullptr) {
        *written << path;
    }

    if (data.hasBilevel()) {
        QString iterations;
        QTextStream it(&iterations);
        it << (QStringList{QStringLiteral("iteration")} + lambdaHeader(d) +
               QStringList{QStringLiteral("h_sampled"), QStringLiteral("h_surrogate"),
                           QStringLiteral("mu"), QStringLiteral("r"), QStringLiteral("F"),
                           QStringLiteral("f"), QStringLiteral("phi_sampled"),
                           QStringLiteral("phi_hat")} +
               kMetricHeader + kCostHeader)
                  .join(QLatin1Char(','))
           << '\n';
        for (const auto& o : data.outerIterations()) {
            it << (QStringList{QString::number(o.iteration)} + lambdaFields(o.lambda, d) +
                   QStringList{field(o.violationSampled), field(o.violationSurrogate), field(o.mu),
                               field(o.r), field(o.upperLoss), field(o.lowerObjective),
                               field(o.phiSampled), field(o.phiHat)} +
                   metricFields(o.metrics) + costFields(o.cost))
                      .join(QLatin1Char(','))
               << '\n';
        }
        it.flush();
        const QString file = base + QStringLiteral("-iterations.csv");
        if (!writeText(file, iterations, error)) {
            return false;
        }
        if (written != nullptr) {
            *written << file;
        }
    }

    QString anytime;
    QTextStream any(&anytime);
    any << "method,epochs,seconds,best_val_loss,test_loss_of_best,test_accuracy_of_best\n";
    for (const auto& trace : data.methods()) {
        for (const auto& p : trace.anytime) {
            any << (QStringList{quoted(trace.method), field(p.epochs), field(p.seconds),
                                field(p.bestValLoss), field(p.testLossOfBest),
                                field(p.testAccuracyOfBest)})
                       .join(QLatin1Char(','))
                << '\n';
        }
    }
    any.flush();
    const QString file = base + QStringLiteral("-anytime.csv");
    if (!writeText(file, anytime, error)) {
        return false;
    }
    if (written != nullptr) {
        *written << file;
    }
    return true;
}

} // namespace bt::ui
