#!/usr/bin/env python
"""Django's command-line utility; the ``setu`` console script does the same and more."""

import sys

from setu.cli import main

if __name__ == "__main__":
    sys.exit(main())
