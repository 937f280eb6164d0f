// A store file that reaches up into eval: the layer check must refuse it.
#include "engine/core/journal.h"
#include "engine/eval/evaluator.h"
