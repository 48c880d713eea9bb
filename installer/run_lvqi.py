"""PyInstaller entry point of the GUI (lvqi-desktop.exe): the same as `python -m lvqi_desktop`."""

import sys

from lvqi_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
