"""``python -m textrepair``: the same command as the ``textrepair`` script."""

from textrepair.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
