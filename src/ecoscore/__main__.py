"""``python -m ecoscore``: the same as the ``ecoscore`` command."""

from ecoscore.cli import main

raise SystemExit(main())
