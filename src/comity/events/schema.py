"""The one normalised event schema every reader produces and the store keeps.

Every format is mapped onto these columns so that analytics are written once. Columns a format
does not carry (GDELT's mention counts for ICEWS, CAMEO codes for PLOVER records) are null, never
guessed.
"""

from __future__ import annotations

import pyarrow as pa

FORMATS = ("gdelt1", "gdelt2", "icews", "plover")

EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("date", pa.date32()),
        ("source_actor", pa.string()),
        ("target_actor", pa.string()),
        ("source_country", pa.string()),
        ("target_country", pa.string()),
        ("cameo_code", pa.string()),
        ("cameo_root", pa.string()),
        ("plover_type", pa.string()),
        ("quad_class", pa.int8()),
        ("goldstein", pa.float64()),
        ("num_mentions", pa.int64()),
        ("num_sources", pa.int64()),
        ("num_articles", pa.int64()),
        ("avg_tone", pa.float64()),
        ("is_root", pa.bool_()),
        ("action_country", pa.string()),
        ("action_lat", pa.float64()),
        ("action_lon", pa.float64()),
        ("origin_format", pa.string()),
        ("label_id", pa.int64()),
    ]
)

#: The columns of the CSV that quarantines rejected rows.
REJECT_COLUMNS = ("file", "line", "reason")

#: QuadClass by CAMEO root code, as GDELT assigns it: checked against every row of the shipped
#: GDELT 1.0 and 2.0 samples (``tests/test_lookups.py``). Note that roots 09 (investigate) and
#: 14 (protest) fall in classes 2 and 3, not where a naive 01-05/06-08/09-13/14-20 split puts them.
QUAD_BY_ROOT = {f"{root:02d}": 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4 for root in range(1, 21)}

VERBAL_COOP, MATERIAL_COOP, VERBAL_CONFLICT, MATERIAL_CONFLICT = 1, 2, 3, 4


def empty_events() -> pa.Table:
    """An empty table with the event schema (an empty store still answers queries)."""
    return EVENT_SCHEMA.empty_table()
