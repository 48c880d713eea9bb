"""`python -m lvqi_desktop` starts the GUI."""

from lvqi_desktop.app import main

raise SystemExit(main())
