"""Prior-notification rules of the OSCE Vienna Document 2011 used by the exercise calendar.

Chapter V, para 40.1.1: a military activity is notifiable when it involves at any time at least
9,000 troops, or 250 battle tanks, or 500 armoured combat vehicles, or 250 artillery pieces
(self-propelled and towed artillery, mortars and multiple rocket launchers of 100 mm calibre and
above). Para 38: notification is given 42 days or more before the start of the activity.
The Document has further triggers (e.g. amphibious or parachute landings of 3,000 troops) that this
model does not cover.
"""

from __future__ import annotations

TROOPS_THRESHOLD = 9000
BATTLE_TANKS_THRESHOLD = 250
ACV_THRESHOLD = 500
ARTILLERY_THRESHOLD = 250
NOTICE_DAYS = 42


def is_notifiable(*, troops: int, tanks: int, acvs: int, artillery: int) -> bool:
    return (
        troops >= TROOPS_THRESHOLD
        or tanks >= BATTLE_TANKS_THRESHOLD
        or acvs >= ACV_THRESHOLD
        or artillery >= ARTILLERY_THRESHOLD
    )
