"""Greedy rotation baseline for the benchmark: fills periods in order, least-burdened nation first.

For each period, lead-required bases first, it picks a lead (if needed) and then further offers
until the aircraft minimum is met. Candidates must list the period and base, have rotations left,
not already serve this period and respect the gap rule. A lead goes to the nation with the fewest
rotations so far; further aircraft come preferably from nations that cannot lead (leaders are
scarce), then the least-burdened nation, then the offer with most rotations left, the offer's
preference for the base, the larger detachment and input order. It never backtracks, so it can
fail where a plan exists.
"""

from __future__ import annotations

from typing import Any

from comity.planning.solvers.rotation_model import Assignment, Base, Offer, RotationProblem, score


class _Greedy:
    def __init__(self, problem: RotationProblem) -> None:
        self.problem = problem
        self.used: dict[int, int] = {}
        self.load: dict[str, int] = {}
        self.served_at: dict[str, list[int]] = {}
        self.plan: list[Assignment] = []

    def eligible(self, o: Offer, t: int, base: Base, lead: bool) -> bool:
        gap = self.problem.min_gap_periods_same_nation
        return (
            self.problem.periods[t] in o.periods
            and base.id in o.bases
            and (o.can_lead or not lead)
            and self.used.get(o.index, 0) < o.max_rotations
            and all(abs(t - s) > gap for s in self.served_at.get(o.nation, []))
        )

    def rank(self, o: Offer, base: Base, lead: bool) -> tuple[int, ...]:
        saves_leader = 0 if lead else int(o.can_lead)
        return (
            saves_leader,
            self.load.get(o.nation, 0),
            self.used.get(o.index, 0) - o.max_rotations,
            -o.preference_for(base.id),
            -o.aircraft,
            o.index,
        )

    def fill(self, t: int, base: Base) -> str | None:
        """Staff one base in one period; the reason if no eligible offer is left."""
        period = self.problem.periods[t]
        lead = base.lead_required
        aircraft = 0
        while lead or aircraft < base.min_aircraft:
            candidates = [o for o in self.problem.offers if self.eligible(o, t, base, lead)]
            if not candidates:
                what = "a lead nation" if lead else f"{base.min_aircraft} aircraft"
                return f"Greedy found no offer left for {what} at {base.label} in {period}."
            offer = min(candidates, key=lambda o: self.rank(o, base, lead))
            self.plan.append(Assignment(period, base.id, offer.index, offer.nation, offer.aircraft, lead))
            self.used[offer.index] = self.used.get(offer.index, 0) + 1
            self.load[offer.nation] = self.load.get(offer.nation, 0) + 1
            self.served_at.setdefault(offer.nation, []).append(t)
            aircraft += offer.aircraft
            lead = False
        return None


def greedy_rotations(problem: RotationProblem) -> dict[str, Any]:
    """A plan in the solver's output shape with status FEASIBLE, or FAILED when it gets stuck."""
    greedy = _Greedy(problem)
    bases = sorted(problem.bases, key=lambda b: not b.lead_required)
    for t in range(len(problem.periods)):
        for base in bases:
            failure = greedy.fill(t, base)
            if failure:
                return {
                    "status": "FAILED",
                    "assignments": [a.as_json() for a in greedy.plan],
                    "objective": None,
                    "explanation": [failure],
                }
    result = score(problem, greedy.plan)
    return {
        "status": "FEASIBLE",
        "assignments": [a.as_json() for a in greedy.plan],
        "objective": result.value,
        "objective_terms": result.as_json(),
        "explanation": ["Greedy baseline; no optimality claim."],
    }
