"""The writer the kill test shoots: runs one scenario's bulk writes on a data dir until done or killed.

    python writer.py serve
        A fork server (POSIX): imports everything once, then for each JSON line on stdin
        {"scenario", "data_dir", "state", "run"} forks a child that opens the database, writes
        "READY <pid>" and runs the scenario. The server writes "EXIT <pid> <wait status>" when the
        child is gone. Forking saves the ~1.5 s of imports per kill.
    python writer.py run SCENARIO DATA_DIR STATE_JSON RUN
        One scenario in this process (where there is no fork); writes "READY <pid>" first.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.startup import open_services
from tests.child_clock import follow_the_suite_clock
from tests.faults.scenarios import SCENARIOS


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())  # one write: lines from server and child never interleave


def run_scenario(name: str, data_dir: str, state: dict, run: int) -> None:
    services = open_services(DataDir(Path(data_dir)), "压测员")
    say(f"READY {os.getpid()}")
    SCENARIOS[name].write(services, state, run)
    services.db.dispose()


def serve() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                run_scenario(job["scenario"], job["data_dir"], job["state"], job["run"])
            except BaseException:  # noqa: BLE001 - any failure of a scenario is printed and ends the child with 1
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        say(f"EXIT {pid} {status}")


if __name__ == "__main__":
    follow_the_suite_clock()
    if sys.argv[1] == "serve":
        serve()
    else:
        _, _, scenario, folder, state_json, run = sys.argv
        run_scenario(scenario, folder, json.loads(state_json), int(run))
