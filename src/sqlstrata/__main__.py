"""``python -m sqlstrata``: the strata command."""

from __future__ import annotations

import sys

from sqlstrata.cli.main import main

sys.exit(main())
