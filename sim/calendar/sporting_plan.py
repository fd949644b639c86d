"""What the sporting metrics of a calendar need to know of each scenario, fixed once per study: its
teams' titles and the points still available in the final round and race, each car's prior strength and
home region, the classes, regions and rounds; and the metric keys and their integer units."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.config.entries import load_entries
from sim.config.loader import resolve_named
from sim.montecarlo.scenario_kernel import ScenarioKernel
from sim.rules.points import choose_scale  # the rules engine's own scale choice: the same max points as scored
from sim.scenario import CompiledScenario, resolve_scenario
from sim.strength.prior import car_strength

# Metric values are stored as integers `round(value * unit)`: sums stay exact and int64 sums of
# squares cannot overflow before ~10^7 seasons (|value| <= 1 at unit 1e6; gaps, grids < 10^4 at 1e3).
UNITS = {"gap": 1_000, "grid": 1_000, "invitations": 1_000}
DEFAULT_UNIT = 1_000_000
TITLE_METRICS = ("open_final_round", "open_final_race", "gap", "countback_tie", "podium_tie", "rank_corr",
                 "rank_corr_full_season")
SUMMARY_METRICS = (  # (metric of the `all` scope, column of the one-row-per-scenario summary)
    ("open_final_round", "p_title_open_final_round"),
    ("open_final_race", "p_title_open_final_race"),
    ("gap", "title_gap_pts"),
    ("countback_tie", "p_countback_tie"),
    ("podium_tie", "p_podium_points_tie"),
    ("rank_corr", "strength_rank_corr"),
    ("rank_corr_full_season", "strength_rank_corr_full_season"),
    ("persistence", "persistence"),
    ("grid", "grid_per_race"),
    ("full_season_share", "full_season_share"),
)
UNKNOWN_REGION = "unknown"

Key = tuple[str, str, str]   # (scope, group, metric): ("title", "LMP2 teams", "gap"), ("region", "Far East", ...)


def unit_of(key: Key) -> int:
    return UNITS.get(key[2], DEFAULT_UNIT)


@dataclass(frozen=True)
class TitlePlan:
    """A teams' classification and the most points one car can still score in the final round / race."""

    title: str
    class_name: str
    category: str
    final_round_points: float
    final_race_points: float


@dataclass(frozen=True)
class ScenarioPlan:
    """What a worker needs to reduce one scenario's seasons to metric values (picklable)."""

    name: str
    compiled: CompiledScenario
    config_files: tuple[str, ...]
    titles: tuple[TitlePlan, ...]
    before_final_round: str | None   # last race before the final round (None: a one-round calendar)
    before_final_race: str | None
    strength: dict[str, float]       # car -> expected lap time, % over the class reference (lower = faster)
    home_region: dict[str, str]
    regions: tuple[str, ...]
    classes: tuple[str, ...]
    rounds: tuple[int, ...]          # round number of each race, calendar order

    @property
    def race_ids(self) -> tuple[str, ...]:
        return tuple(race.race_id for race in self.compiled.races)

    def keys(self) -> list[Key]:
        keys: list[Key] = [("all", "", m) for m in TITLE_METRICS]
        keys += [("all", "", "grid"), ("all", "", "full_season_share"), ("all", "", "invitations"),
                 ("all", "", "persistence")]
        keys += [("title", t.title, m) for t in self.titles for m in TITLE_METRICS]
        for class_name in self.classes:
            keys += [("class", class_name, "grid"), ("class", class_name, "full_season_share"),
                     ("class", class_name, "persistence")]
        keys += [("round", str(number), "grid") for number in dict.fromkeys(self.rounds)]
        keys += [("region", region, "invitations") for region in self.regions]
        keys += [("region", region, "grid") for region in self.regions]
        return keys


def _max_race_points(compiled: CompiledScenario, race_index: int, scale_name: str | None) -> float:
    """The most points one car can score in a race: the win of the race's scale plus its pole point."""
    rulebook = compiled.rulebook
    scales = rulebook.points.scales
    race = compiled.races[race_index]
    if scale_name is not None:
        index = [scale.name for scale in scales].index(scale_name)
    else:
        index = choose_scale(race.race_id, race.hours, scales, rulebook, compiled.name)
    scale = scales[index]
    return float(max(scale.points[0], scale.beyond) + scale.pole)


def plan_scenario(scenario: str | Path, name: str | None = None) -> ScenarioPlan:
    """Compile a scenario (path or name under scenarios/) and fix everything its metrics need."""
    path = resolve_scenario(scenario)
    kernel = ScenarioKernel(path)
    compiled = kernel.compiled
    races = compiled.races
    rounds = tuple(race.round for race in races)
    final_round = [j for j, number in enumerate(rounds) if number == rounds[-1]]
    entered = {(e.class_name, e.category) for race in races for e in race.entries}
    entered |= {(e.class_name, "") for race in races for e in race.entries}
    titles = []
    for title in compiled.rulebook.titles:
        if "teams" not in title.kinds or title.championships or (title.class_name, title.category) not in entered:
            continue
        titles.append(TitlePlan(
            title.title_id("teams"), title.class_name, title.category,
            final_round_points=sum(_max_race_points(compiled, j, title.scale) for j in final_round),
            final_race_points=_max_race_points(compiled, len(races) - 1, title.scale)))
    home_region = _home_regions(compiled)
    return ScenarioPlan(
        name=name or path.stem, compiled=compiled, config_files=tuple(str(f) for f in kernel.config_files()),
        titles=tuple(titles),
        before_final_round=races[final_round[0] - 1].race_id if final_round[0] > 0 else None,
        before_final_race=races[-2].race_id if len(races) > 1 else None,
        strength=car_strength(compiled), home_region=home_region,
        regions=tuple(sorted(set(home_region.values()))),
        classes=tuple(sorted({e.class_name for race in races for e in race.entries})), rounds=rounds)


def _home_regions(compiled: CompiledScenario) -> dict[str, str]:
    """Car -> its team's home region: from the compiled entries when they carry it, else the entry list."""
    cars = {e.car: e for race in compiled.races for e in race.entries}
    if cars and all(getattr(e, "home_region", None) for e in cars.values()):
        return {car: e.home_region for car, e in cars.items()}
    entries = load_entries(resolve_named(compiled.scenario.entries, "entries", "entry list"))
    return {entry.car: entry.home_region for entry in entries.entries}
