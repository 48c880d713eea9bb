"""PyInstaller entry point of the command line (lvqi.exe, a console program): the same as `lvqi`."""

import sys

from lvqi_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
