// A store header that includes Qt: the layer check must refuse it.
#include <QString>
