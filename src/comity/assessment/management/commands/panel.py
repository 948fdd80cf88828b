"""``comity panel``: state-year and dyad-year panels from the shipped COW state system, as Parquet.

``comity panel dyad-years --system cow --directed --from 1816 --to 2016 --with alliance,capital_distance
--out FILE.parquet`` writes one row per directed dyad-year (``--undirected``: one per pair, ccode1 <
ccode2); ``comity panel state-years ... --with capital_distance`` one row per state-year. Bad input
(an unknown variable, ``--from`` after ``--to``, years the system does not cover, an unwritable
``--out``) exits with 2 and a message, like a bad option. The method is in docs/assessment.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from comity.assessment import panels

USAGE_ERROR = 2


def _variables(text: str) -> list[str]:
    """``alliance,capital_distance`` as a list, in the order given, without blanks or repeats."""
    names = [name.strip() for name in text.split(",")]
    if any(not name for name in names):
        raise CommandError(f"--with {text!r}: an empty variable name", returncode=USAGE_ERROR)
    return list(dict.fromkeys(names))


class Command(BaseCommand):
    help = "State-year and dyad-year panels from the Correlates of War state system, written as Parquet."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="unit", required=True)
        dyads = sub.add_parser("dyad-years", help="One row per dyad and year both states are system members.")
        direction = dyads.add_mutually_exclusive_group()
        direction.add_argument(
            "--directed", dest="directed", action="store_true", default=True, help="both (a, b) and (b, a) (default)"
        )
        direction.add_argument(
            "--undirected", dest="directed", action="store_false", help="each pair once, ccode1 < ccode2"
        )
        states = sub.add_parser("state-years", help="One row per state and year it is a system member.")
        for unit, allowed in ((dyads, panels.DYAD_VARIABLES), (states, panels.STATE_VARIABLES)):
            unit.add_argument("--system", default="cow", help="state system: cow (Correlates of War v2016; default)")
            unit.add_argument("--from", dest="start", type=int, help="first year (default: the system's first, 1816)")
            unit.add_argument("--to", dest="end", type=int, help="last year (default: the system's last, 2016)")
            unit.add_argument("--with", dest="variables", default="", help=f"comma-separated: {', '.join(allowed)}")
            unit.add_argument("--out", required=True, type=Path, help="the Parquet file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(f"--out {out}: no such directory {out.parent}", returncode=USAGE_ERROR)
        variables = _variables(options["variables"]) if options["variables"] else []
        inputs = panels.read_inputs()
        first, last = panels.system_years(inputs.states)
        start = first if options["start"] is None else options["start"]
        end = last if options["end"] is None else options["end"]
        try:
            if options["unit"] == "dyad-years":
                panel = panels.build_dyad_years(
                    inputs,
                    system=options["system"],
                    start=start,
                    end=end,
                    directed=options["directed"],
                    variables=variables,
                )
                unit = f"{'directed' if options['directed'] else 'undirected'} dyad-years"
            else:
                panel = panels.build_state_years(
                    inputs, system=options["system"], start=start, end=end, variables=variables
                )
                unit = "state-years"
        except panels.PanelError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from error
        panels.write_parquet(panel, out)
        added = f" with {', '.join(variables)}" if variables else ""
        self.stdout.write(f"{panel.num_rows} {unit} {start}-{end}{added} written to {out}")
