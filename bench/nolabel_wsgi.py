"""A benchmark-only WSGI application whose label filter lets every row through.

``bench/load_bench.py`` serves it beside the real one to measure what label filtering costs: the
same workers, settings and database, with ``LabelledQuerySet.visible_to`` replaced by a query of
the same shape (``label_id IN`` every label) so that only the rule's own work is saved. It lives
under ``bench/`` and is never installed: the product has no switch that turns the filter off.
"""

from typing import Any

from comity.wsgi import application


def _let_every_row_through() -> None:
    """Patch the filter once Django is set up (importing ``comity.wsgi`` did that)."""
    from comity.core.models import ConfidentialityLabel
    from comity.core.models.base import LabelledQuerySet

    def every_label(self: Any, user: object) -> Any:
        return self.filter(label_id__in=list(ConfidentialityLabel.objects.values_list("pk", flat=True)))

    LabelledQuerySet.visible_to = every_label  # type: ignore[method-assign]


_let_every_row_through()

__all__ = ["application"]
