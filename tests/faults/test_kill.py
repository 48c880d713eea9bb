"""SIGKILL during bulk writes: after every kill the database passes integrity_check and no transaction is torn."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.faults.kill_harness import run_kills
from tests.faults.kill_harness import writers
from tests.faults.scenarios import SCENARIOS

KILLS = {"insert_batches": 5, "demo": 5, "demo_activity": 4, "bulk_status": 5, "pool_bulk_status": 6,
         "restore": 5}  # 30 random moments
SEED = 20261126


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_transaction(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    log = tmp_path / "writer.log"
    outcomes = []
    with writers(log) as pool:
        for name, kills in KILLS.items():
            outcomes += run_kills(SCENARIOS[name], tmp_path, kills, rng, pool)
    torn = [o for o in outcomes if o.torn]
    assert not torn, "\n".join(f"{o.scenario} run {o.run} (killed {o.delay:.2f}s in): {o.found}" for o in torn)
    assert len(outcomes) >= 20
    mid_write = sum(o.killed_mid_write for o in outcomes)
    assert mid_write >= len(outcomes) // 2, f"only {mid_write} of {len(outcomes)} kills landed while writing"
