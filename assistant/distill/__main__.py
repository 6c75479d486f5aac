"""``python -m assistant.distill ...``: the same command as ``assistant distill``."""

import sys

from assistant.distill.cli import main

if __name__ == "__main__":
    sys.exit(main())
