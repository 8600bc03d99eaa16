"""The frozen app's entry point: `studio.cli:main`, after multiprocessing's frozen set-up.

A large import parses in a spawned child process (studio/core/importers/child.py). In a frozen
app the child is this same executable started again; freeze_support() makes that start run
the child's work instead of the command line.
"""

import multiprocessing
import sys

from studio.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
