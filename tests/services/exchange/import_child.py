"""Child process for the kill test: import packages into a city data dir, pausing mid-transaction if asked."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from lvqi_desktop.paths import DataDir
from lvqi_desktop.services.exchange import package_import as exchange_import
from tests.child_clock import follow_the_suite_clock
from tests.conftest import open_services


def main() -> None:
    root, pause, *files = sys.argv[1:]
    services = open_services(DataDir(Path(root), os.environ.get("LVQI_DATABASE")))  # the city's server, if any
    x = services.exchange
    plan = x.dry_run(files)
    if pause == "pause":
        real = exchange_import.merge

        def slow_merge(records, plan, ids):  # the writes are done, the commit not yet
            real(records, plan, ids)
            records.session.flush()
            print("MERGED", flush=True)
            time.sleep(30)
        exchange_import.merge = slow_merge
        import lvqi_desktop.services.exchange.service as service_module
        service_module.merge = slow_merge
    print("READY", flush=True)
    x.apply(plan)
    print("DONE", flush=True)


if __name__ == "__main__":
    follow_the_suite_clock()
    main()
