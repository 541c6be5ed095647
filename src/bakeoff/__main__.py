"""`python -m bakeoff`: the same entry point as the `bakeoff` script."""

from bakeoff.cli import main

raise SystemExit(main())
