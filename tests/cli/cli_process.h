#pragma once

// Runs the built bilevel-tuner-cli (BT_CLI_PATH) for the CLI's tests.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace bt::testing {

struct CliOutcome {
    int code = -1; ///< -1 when it crashed or did not finish
    QString out;
    QString err;
};

inline CliOutcome runCli(const QStringList& arguments, const QProcessEnvironment& environment,
                         int timeoutMs = 60000) {
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(BT_CLI_PATH), arguments);
    CliOutcome o;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        qWarning("bilevel-tuner-cli %s did not finish", qPrintable(arguments.join(' ')));
        return o;
    }
    o.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    o.out = QString::fromUtf8(process.readAllStandardOutput());
    o.err = QString::fromUtf8(process.readAllStandardError());
    return o;
}

} // namespace bt::testing
