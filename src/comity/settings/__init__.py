"""Settings modules: ``base`` (embedded default), ``demo``, ``test`` and ``production``.

Every value that differs between installations comes from a ``COMITY_*`` environment variable,
so one wheel serves a laptop and a production server alike.
"""
