"""How many examples a property or fuzz test draws: a small number in ``make test``, many more
in ``make verify``.

``COMITY_VERIFY_SCALE`` multiplies every count (``make verify`` sets 25, so the 400 label
compositions of the least-upper-bound property become the issue's 10,000). One knob rather than
a hypothesis profile, because each test's own ``@settings(max_examples=...)`` would override a
profile.
"""

from __future__ import annotations

import os


def scaled(examples: int) -> int:
    """``examples`` times ``COMITY_VERIFY_SCALE`` (1 when unset)."""
    return examples * max(1, int(os.environ.get("COMITY_VERIFY_SCALE", "1")))
