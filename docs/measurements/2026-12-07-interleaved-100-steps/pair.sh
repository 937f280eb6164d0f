#!/bin/bash
# pair.sh TASK RUNS CPU TIMEOUT: farm-bench, the bilevel method (A) against random search (B) on
# one task, interleaved A B A B ..., pinned to one CPU; every run's result.json kept under
# $S/TASK/METHOD.XXXX, farm-bench's report in $S/TASK.bench.txt.
# S (default /tmp/speed) and CLI (default build/app/bilevel-tuner-cli, absolute) from the environment.
task=$1 n=$2 pin=$3 tmo=$4
here=$(cd "$(dirname "$0")" && pwd)
S=${S:-/tmp/speed}; CLI=${CLI:-$here/../../../build/app/bilevel-tuner-cli}
mkdir -p $S/$task
python3 $here/prep.py $task $S
farm-bench -n $n --warmup 0 --pin $pin --timeout $tmo \
  --vs "sh -c 'exec $CLI run --config $S/$task-random.json --out \$(mktemp -d $S/$task/random.XXXX) --store $S/$task/runs.db --quiet'" \
  -- sh -c "exec $CLI run --config $S/$task-bilevel.json --out \$(mktemp -d $S/$task/bilevel.XXXX) --store $S/$task/runs.db --quiet" > $S/$task.bench.txt 2>&1
