#pragma once

#include <QMetaType>

#include "engine/config/run_config.h"
#include "engine/events/events.h"
#include "engine/report/result_json.h"

// The engine's value types as Qt meta types, so that they can travel in queued signals and be
// recorded by QSignalSpy. They are plain values (STYLE.md, "Values cross threads").
Q_DECLARE_METATYPE(bt::events::Event)
Q_DECLARE_METATYPE(bt::events::SampleEvent)
Q_DECLARE_METATYPE(bt::events::GpRefitEvent)
Q_DECLARE_METATYPE(bt::events::InnerProgressEvent)
Q_DECLARE_METATYPE(bt::events::OuterIterationEvent)
Q_DECLARE_METATYPE(bt::events::MethodFinishedEvent)
Q_DECLARE_METATYPE(bt::events::FinishedEvent)
Q_DECLARE_METATYPE(bt::report::RunResult)
Q_DECLARE_METATYPE(bt::config::RunConfig)

namespace bt::ui {

/// Registers the types above (and LogRecord, RunProgressState) with Qt's meta-type system.
/// Idempotent; RunController calls it, tests may call it first.
void registerMetaTypes();

} // namespace bt::ui
