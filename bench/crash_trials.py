"""Run many crash trials: kill `claimcheck build` at random moments and check the index each time.

The same trials as tests/test_crash.py::test_random_kills, in the numbers a test suite cannot
afford. Prints the trials table and exits 1 when any trial found a problem.

    python bench/crash_trials.py --kills 100 --interrupts 20 --seed 1
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import test_crash


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=60, help="SIGKILL trials spread over one build")
    parser.add_argument("--interrupts", type=int, default=10, help="SIGINT trials")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="Also write the table to this file.")
    args = parser.parse_args()
    os.environ.setdefault("CLAIMCHECK_MODELS", str(REPO / "indexes" / ".models"))
    with tempfile.TemporaryDirectory(prefix="claimcheck-crash-") as tmp:
        bench, trials = test_crash.run_trials(Path(tmp), args.kills, args.interrupts, args.seed)
        problems = test_crash.final_build_cleans_up(bench)
    summary = test_crash.summarise(bench, trials) + f"\nseed {args.seed}; final build: {problems or 'clean'}"
    print(summary)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(summary + "\n", encoding="utf-8")
    return 1 if problems or any(t.problems for t in trials) else 0


if __name__ == "__main__":
    sys.exit(main())
