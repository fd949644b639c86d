"""Season-long car strength: the season draw, the estimator that learns it from results, persistence.

Maths, model and API as separate layers: `observations` (results table -> pace observations), `estimate`
(the Gaussian hierarchical model), `season` (the draw every simulated season makes), `learn` (a scenario's
posterior), `table` (`sim strength`), `persistence` (how much a season is not a lottery).
"""

from sim.strength.estimate import ClassPrior, estimate_strength
from sim.strength.persistence import mean_persistence, persistence
from sim.strength.season import STRENGTH_STREAM, SeasonStrength, prior_strength
from sim.strength.table import strength_from_results

__all__ = ["STRENGTH_STREAM", "ClassPrior", "SeasonStrength", "estimate_strength", "mean_persistence", "persistence",
           "prior_strength", "strength_from_results"]
