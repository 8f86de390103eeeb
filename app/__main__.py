"""``python -m app``: the CLI without any GUI."""

import sys

from app.cli.main import main

sys.exit(main())
