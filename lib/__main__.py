"""Command line: ``python -m lib {build,check,demo-data,refresh-notebooks} --help``."""
import sys

from lib.pipeline.cli import main

sys.exit(main())
