#!/bin/bash
# The hooked CLI as variants.py's --cli: the variant's name in --out (NAME-sSEED) sets the
# hooks' environment (hooks.diff on cfe4cc1, built into /work/exp32; paths as they were):
#   fKqQ         BT_STOP_FRAC=0.K BT_STOP_Q=0.Q   refinement trainings stopped after 0.K of their
#                                                 epochs when above the 0.Q quantile of the full
#                                                 trainings' validation loss then
#   dNkKfFqQ     BT_DESIGN_N=N BT_DESIGN_KEEP=0.K and the above: an N-point design, the best 0.K
#                                                 by validation loss after 0.F of the epochs
#                                                 trained on
#   curve        BT_CURVE_LOG: each design point trained in five segments, the validation loss
#                after each logged
out=""
prev=""
for a in "$@"; do
  if [ "$prev" = "--out" ]; then out="$a"; fi
  prev="$a"
done
name=$(basename "$out")
if [[ "$name" =~ ^d([0-9]+)k([0-9]+)f([0-9]+)q([0-9]+) ]]; then
  export BT_DESIGN_N=${BASH_REMATCH[1]} BT_DESIGN_KEEP=0.${BASH_REMATCH[2]} BT_STOP_FRAC=0.${BASH_REMATCH[3]} BT_STOP_Q=0.${BASH_REMATCH[4]}
elif [[ "$name" =~ ^f([0-9]+)q([0-9]+) ]]; then
  export BT_STOP_FRAC=0.${BASH_REMATCH[1]} BT_STOP_Q=0.${BASH_REMATCH[2]}
fi
if [[ "$name" =~ ^curve ]]; then export BT_CURVE_LOG=/work/exp32/curves-$(basename $(dirname "$out")).txt; fi
BIN=/work/exp32/bin/cli-v1
if [[ "$name" =~ a([0-9]+)$ ]]; then export BT_STOP_ADAPT=0.${BASH_REMATCH[1]}; BIN=/work/exp32/bin/cli-v2; fi
exec $BIN "$@"
