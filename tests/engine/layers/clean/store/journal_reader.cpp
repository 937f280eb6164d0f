// A store file that includes only its own layer and the layers below it.
#include "engine/core/journal.h"
#include "engine/report/result_json.h"
#include "engine/store/run_store.h"
