"""Settings for ``make demo``: the embedded default, with nothing relaxed but the data directory.

Debug stays off: the demo should look and behave like the real desk.
"""

from comity.settings.base import *  # noqa: F403
