"""prep.py TASK DIR: the task's reference configuration with one method (bilevel, random) and one
thread each, written to DIR/TASK-METHOD.json."""
import json, pathlib, sys
task, out = sys.argv[1], pathlib.Path(sys.argv[2])
root = pathlib.Path(__file__).resolve().parents[3]
c = json.load(open(root / f"resources/configs/{task}.json"))
c.setdefault("training", {})["threads"] = 1
for m in ("bilevel", "random"):
    d = dict(c); d["methods"] = [m]
    json.dump(d, open(out / f"{task}-{m}.json", "w"), indent=1)
