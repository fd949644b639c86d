"""The championship rules engine: pure functions from a results table and a rulebook to standings.

`score_races` gives every car's points per race; `compute_standings` every title's standings;
`award_invitations` (from `sim.rules.awards`) the Le Mans invitations those standings earn.
"""

from sim.rules.awards import award_invitations
from sim.rules.points import score_races
from sim.rules.standings import compute_standings

__all__ = ["award_invitations", "compute_standings", "score_races"]
