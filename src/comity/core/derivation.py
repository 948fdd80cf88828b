"""No write-down: a record made from others is labelled at least as high as every source.

``uncovered_by`` answers whether a proposed label covers its sources, using the least upper bound
of labels (``core.labels.high_water_mark``): the label covers them exactly when the bound of the
label and its sources is the label itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from comity.core.access import LabelSpec
from comity.core.labels import fingerprint, high_water_mark, render_marking, validate_spec
from comity.core.models import ConfidentialityLabel


def least_upper_bound(specs: Iterable[LabelSpec]) -> LabelSpec | None:
    """The bound of ``specs`` with groups expanded to their nations as of today."""
    expand, today = import_string(settings.COMITY_GROUP_MEMBERS), timezone.localdate()
    return high_water_mark(specs, expand=lambda group: expand(group, today))


def uncovered_by(label: ConfidentialityLabel, sources: Iterable[ConfidentialityLabel]) -> str | None:
    """``None`` when ``label`` covers every source; else the marking the label must at least carry."""
    source_specs = [source.to_spec() for source in sources]
    bound = least_upper_bound([label.to_spec(), *source_specs])
    if bound is None or fingerprint(validate_spec(bound)) == label.fingerprint:
        return None
    needed = least_upper_bound(source_specs)
    return render_marking(needed if needed is not None else bound)
