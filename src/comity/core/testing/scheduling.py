"""How xdist spreads the suite over its workers: whole files, except the long per-user checks.

``--dist loadfile`` keeps a file on one worker, which the module-scoped worlds of the matrices
and the browser files' live servers need. But the read matrix's per-user test is a fifth of
the suite's time in one file, so one worker ran it alone while the other had finished. Each of
its items is therefore a unit of its own (the world is built once on each worker that takes
one); xdist hands out the largest units first and these single items last, where they even out
the workers' ends.
"""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

#: Node-id prefixes of the tests whose items are scheduled one by one.
SPREAD = ("src/comity/core/tests/test_read_matrix.py::test_every_route_agrees_with_the_label_rule[",)


class SpreadLongItemsScheduling(LoadFileScheduling):
    """``loadfile``, with the items named by ``SPREAD`` as units of their own."""

    def _split_scope(self, nodeid: str) -> str:
        if nodeid.startswith(SPREAD):
            return nodeid
        return super()._split_scope(nodeid)
