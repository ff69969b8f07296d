"""`make bench`: run every bench/bench_*.py and write their figures to bench/results.json.

Each bench module exposes ``run(quick: bool = False) -> dict``. Figures are ratios and
counts where possible; times are seconds on this machine, reported beside the floor
they should be compared with when the module measures one.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results.json")
    parser.add_argument("--quick", action="store_true", help="small runs, a smoke test of the benches")
    parser.add_argument("--only", action="append", default=[], help="bench name(s), e.g. startup")
    args = parser.parse_args(argv)

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=BENCH_DIR.parent).stdout.strip()
    results: dict = {"meta": {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                              "commit": commit, "python": platform.python_version(),
                              "machine": platform.machine(), "cpus": __import__("os").cpu_count(),
                              "quick": args.quick}}
    if args.only and args.out.exists():
        # A partial run updates those benches and keeps the others' last figures; each entry
        # says when and at which commit it was measured.
        previous = json.loads(args.out.read_text(encoding="utf-8"))
        results = {**previous, "meta": {**previous.get("meta", {}),
                                        "updated": results["meta"]}}
    failed = False
    for path in sorted(BENCH_DIR.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if args.only and name not in args.only:
            continue
        print(f"bench: {name} …", flush=True)
        started = time.perf_counter()
        try:
            figures = _load(path).run(quick=args.quick)
        except Exception as error:  # noqa: BLE001 - one broken bench must not hide the others
            failed = True
            figures = {"error": f"{type(error).__name__}: {error}",
                       "traceback": traceback.format_exc()[-2000:]}
        figures["bench_wall_s"] = round(time.perf_counter() - started, 2)
        figures["measured"] = {"commit": commit, "quick": args.quick,
                               "date": datetime.now(UTC).isoformat(timespec="seconds")}
        results[name] = figures
        print(json.dumps(figures, ensure_ascii=False, indent=2)[:3000], flush=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"bench: results in {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
