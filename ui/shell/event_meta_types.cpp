#include "ui/shell/event_meta_types.h"

#include "ui/session/run_progress.h"
#include "ui/shell/log_record.h"

namespace bt::ui {

void registerMetaTypes() {
    qRegisterMetaType<bt::events::Event>();
    qRegisterMetaType<bt::events::SampleEvent>();
    qRegisterMetaType<bt::events::GpRefitEvent>();
    qRegisterMetaType<bt::events::InnerProgressEvent>();
    qRegisterMetaType<bt::events::OuterIterationEvent>();
    qRegisterMetaType<bt::events::MethodFinishedEvent>();
    qRegisterMetaType<bt::events::FinishedEvent>();
    qRegisterMetaType<bt::report::RunResult>();
    qRegisterMetaType<bt::config::RunConfig>();
    qRegisterMetaType<bt::ui::LogRecord>();
    qRegisterMetaType<bt::ui::RunProgressState>();
}

} // namespace bt::ui
