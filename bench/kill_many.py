"""Kill the writer many more times than CI does (tests/faults/test_kill.py) and print the figures.

    python bench/kill_many.py [--kills 50] [--seed 7] [--scenario restore ...] [--keep DIR]

Per scenario: kills, how many landed while the writer was still writing, what was found after
each kill (e.g. how many of the run's transactions were complete), and any torn transaction
(there must be none). Exits 1 if a transaction was torn.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.faults.kill_harness import run_kills
from tests.faults.kill_harness import writers
from tests.faults.scenarios import SCENARIOS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=50, help="kills per scenario (default 50)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS), help="default: all")
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temp folder)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    names = args.scenario or list(SCENARIOS)
    torn_total = 0
    with tempfile.TemporaryDirectory(prefix="lvqi-kill-") as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        print(f"seed {args.seed}, {args.kills} kills per scenario, work folder {root}")
        with writers(root / "writer.log") as pool:
            for name in names:
                started = time.perf_counter()
                outcomes = run_kills(SCENARIOS[name], root, args.kills, rng, pool)
                seconds = time.perf_counter() - started
                torn = [o for o in outcomes if o.torn]
                torn_total += len(torn)
                mid = sum(o.killed_mid_write for o in outcomes)
                found = Counter(o.found for o in outcomes if not o.torn)
                print(f"\n{name}: {len(outcomes)} kills in {seconds:.1f} s, {mid} while writing, "
                      f"{len(outcomes) - mid} after it finished, {len(torn)} torn")
                for what, n in sorted(found.items(), key=lambda kv: -kv[1]):
                    print(f"  {n:4d} × {what}")
                for o in torn:
                    print(f"  TORN run {o.run} ({o.delay:.2f} s in): {o.found}")
    print(f"\n{'FAIL' if torn_total else 'OK'}: {torn_total} torn transactions")
    return 1 if torn_total else 0


if __name__ == "__main__":
    sys.exit(main())
