"""The demo world: seeded, synthetic inputs for a Cleveland-sized force (``python -m lib demo-data``).

:mod:`lib.demo.world` writes every input source; :mod:`lib.demo.peers` the peers' data.police.uk archive.
The demo reads what the params already state (the force, its districts, callers' patience, the peers and
their populations, the history's first month) from ``params/defaults.yml``; it is a fixture generator,
not an input reader, so nothing below the pipeline imports it.
"""
