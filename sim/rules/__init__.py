"""The championship rules engine: pure functions from a results table and a rulebook to standings.

`score_races` gives every car's points per race; `compute_standings` every title's standings;
`award_invitations` (from `sim.rules.awards`) the Le Mans invitations those standings earn.
"""

from sim.rules.points import score_races
from sim.rules.standings import compute_standings

__all__ = ["compute_standings", "score_races"]

try:  # the awards engine is built separately; the standings work without it
    from sim.rules.awards import award_invitations
except ModuleNotFoundError as error:  # pragma: no cover - only while sim.rules.awards is absent
    if error.name != "sim.rules.awards":
        raise
else:
    __all__.append("award_invitations")
