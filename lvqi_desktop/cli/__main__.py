"""`python -m lvqi_desktop.cli`: the same command line as `lvqi`."""

import sys

from lvqi_desktop.cli import main

sys.exit(main())
