"""Measure how much of a car's pace lasts a season, from the real data, and print the parameters.

Run `.venv/bin/python -m tools.calibrate_strength [--held-out SEASON] [--seasons N] [--out DIR]` (about a
minute: the Asian LMS season spreads are fitted by simulation). docs/strength.md records the output;
tests/calibration/test_strength_calibration.py checks the measured figures and the shipped parameters.
Offline analysis (pandas, scipy), never imported by the simulator. Real seasons: data/seasons/*.csv
(tools/real_seasons.py) and the IMSA lap table data/real/imsa/laps.parquet.

1. Persistence of class positions per real season (sim.strength.persistence).
2. IMSA lap level: each car's median green lap per race, % over the class median, split into the part
   that stays with the car through a season and the race-to-race part (one-way random effects). The
   race part minus the race model's driver form (per-race, per-driver `rating_spread_pct`) is the car's
   race-day form.
3. Results level, every real season: the same split of the pace observations the estimator reads
   (average lap, fastest lap; sim.strength.observations) -> loading and noise of configs/strength.yaml.
4. Asian LMS classes (no lap files): the season spread at which simulated 2023 seasons show the real
   results-level split (method of simulated moments on the average-lap 'between' part).
5. Reliability: is a car's trouble (retired, not classified) more concentrated than chance? A
   permutation test per class and season (DNFs reshuffled among each race's starters), combined (Fisher).
`--held-out SEASON` leaves that season out of every fitted number (for an honest backtest of it) and with
`--out DIR` writes the race model and strength parameters fitted without it there.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from sim.strength.observations import pace_observations, variance_components
from sim.strength.persistence import persistence
from tools.calibrate import green_laps, load_imsa_laps

ROOT = Path(__file__).resolve().parents[1]
SEASONS = ROOT / "data" / "seasons"
REAL = {"asian-lms-2023": "asian-lms-2023.csv", "imsa-2023": "imsa-2023.csv", "imsa-2024": "imsa-2024.csv"}
SERIES = {"asian-lms-2023": "asian-lms", "imsa-2023": "imsa", "imsa-2024": "imsa"}
# race-model class that runs each real class (IMSA GTD is the stand-in for GT, docs/calibration.md)
MODEL_CLASS = {"LMP2": "LMP2", "LMP3": "LMP3", "GT": "GT", "GTP": "LMP2", "GTD": "GT", "GTD PRO": "GT"}
ALMS_FROM_IMSA = {"LMP2": "LMP2", "LMP3": "LMP3", "GT": "GTD"}
SPREAD_GRID = (0.3, 0.6, 0.9, 1.2, 1.5)
TROUBLE = ("dnf", "not_classified", "dsq")


def read_season(name: str) -> pd.DataFrame:
    return pd.read_csv(SEASONS / REAL[name], dtype={"car": str, "category": str, "ratings": str},
                       keep_default_na=False, na_values={"time_s": [""], "fastest_lap_s": [""]})


def real_persistence(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frames = [persistence(table).assign(season=name) for name, table in tables.items()]
    return pd.concat(frames, ignore_index=True)[["season", "class", "persistence", "pairs", "races", "cars"]]


def lap_components(laps: pd.DataFrame, seasons: tuple[str, ...] = ("2023", "2024")) -> pd.DataFrame:
    """IMSA, per class: season and race sd of the cars' median green laps (% over the race's class median)."""
    green = green_laps(laps[laps["season"].astype(str).isin(seasons)])
    per_car = green.groupby(["season", "event", "car_class", "car"], observed=True)["lap_s"].agg(["median", "count"])
    per_car = per_car[per_car["count"] >= 20].reset_index()
    logged = np.log(per_car["median"])
    per_car["y"] = 100 * (logged - logged.groupby([per_car["season"], per_car["event"], per_car["car_class"]]).transform("median"))
    per_car = per_car[per_car["y"].abs() < 3.0]   # a car 3 % off its class median in a race had a problem
    per_car["car"] = per_car["season"].astype(str) + "/" + per_car["car"].astype(str)
    rows = []
    for name, group in per_car.groupby("car_class"):
        parts = variance_components(group)
        rows.append({"class": {"GTDPRO": "GTD PRO"}.get(name, name), "season_sd": parts["sd_between"],
                     "race_sd": parts["sd_within"], "cars": parts["groups"], "races": parts["n"]})
    return pd.DataFrame(rows)


def driver_form_sd(tables: dict[str, pd.DataFrame], race_model: dict) -> dict[str, float]:
    """Per class: the sd of a crew's mean driver form in the race model (equal shares, the real crews' ratings)."""
    rows = pd.concat(tables.values(), ignore_index=True)
    rows = rows[rows["ratings"].astype(str) != ""].drop_duplicates(["class", "car", "ratings"])
    out = {}
    for name, group in rows.groupby("class"):
        spread = race_model["classes"][MODEL_CLASS.get(name, name)]["rating_spread_pct"]
        values = [np.mean([spread[r] ** 2 for r in crew.split(";")]) / len(crew.split(";")) for crew in group["ratings"]]
        out[name] = float(np.sqrt(np.mean(values)))
    return out


def results_components(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per series, class and kind, pooled over that series' seasons: between and within sd of the pace
    observations (a car of another season is another car)."""
    rows = []
    for series in sorted({SERIES[name] for name in tables}):
        frames = [pace_observations(table).assign(car=lambda f, n=name: n + "/" + f["car"])
                  for name, table in tables.items() if SERIES[name] == series]
        obs = pd.concat(frames, ignore_index=True)
        for (name, kind), group in obs.groupby(["class", "kind"]):
            parts = variance_components(group)
            rows.append({"series": series, "class": name, "kind": kind, "between": parts["sd_between"],
                         "within": parts["sd_within"], "cars": parts["groups"], "n": parts["n"]})
    return pd.DataFrame(rows)


def reliability(tables: dict[str, pd.DataFrame], draws: int = 2000, seed: int = 1) -> tuple[pd.DataFrame, float]:
    """Per season and class: variance of the cars' trouble counts, its mean when each race's troubles are
    reshuffled among its starters, and the p-value; and Fisher's combined p over all of them."""
    rng = np.random.default_rng(seed)
    rows = []
    for name, table in tables.items():
        started = table[table["status"] != "dns"]
        for cls, group in started.groupby("class"):
            trouble = group["status"].isin(TROUBLE).to_numpy(dtype=float)
            if trouble.sum() < 2:
                continue
            car = pd.factorize(group["car"])[0]
            counts = np.zeros((draws, car.max() + 1))
            for race in group["race"].unique():
                members = np.flatnonzero(group["race"].to_numpy() == race)
                order = np.argsort(rng.random((draws, len(members))), axis=1)   # a permutation per draw
                np.add.at(counts, (np.arange(draws)[:, None], car[members][None, :]), trouble[members][order])
            observed = np.bincount(car, weights=trouble).var(ddof=1)
            null = counts.var(axis=1, ddof=1)
            rows.append({"season": name, "class": cls, "cars": car.max() + 1, "trouble": int(trouble.sum()),
                         "variance": observed, "variance_if_chance": null.mean(),
                         "p": (np.sum(null >= observed - 1e-12) + 1) / (draws + 1)})
    frame = pd.DataFrame(rows)
    return frame, float(stats.combine_pvalues(frame["p"], method="fisher").pvalue)


def simulated_between(race_model: dict, spreads: dict[str, float], seasons: int, seed: int = 3) -> pd.DataFrame:
    """Mean over simulated 2023 Asian LMS seasons of the results-level split, per class, at these spreads."""
    from sim.config.scenario import load_scenario
    from sim.scenario import compile_scenario
    from sim.season import simulate_results

    model = yaml.safe_load(yaml.safe_dump(race_model))
    for name, value in spreads.items():
        model["classes"][name]["season_spread_pct"] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "race-model.yaml"
        path.write_text(yaml.safe_dump(model), encoding="utf-8")
        scenario = load_scenario(ROOT / "scenarios" / "asian-lms-2023.yaml")
        scenario = scenario.model_copy(update={"options": {"race_model": str(path)}})
        results, _ = simulate_results(compile_scenario(scenario), seed, range(seasons), rules_only=True)
    obs = pace_observations(results)
    rows = []
    for (name, _season), group in obs[obs["kind"] == "pace"].groupby(["class", "season"]):
        rows.append({"class": name, "between": variance_components(group)["sd_between"]})
    return pd.DataFrame(rows).groupby("class")["between"].mean()


def fit_alms_spread(race_model: dict, real_between: dict[str, float], seasons: int) -> pd.DataFrame:
    """One season spread for the Asian LMS classes: where the simulated average-lap 'between' sd, averaged
    over the classes, equals the real one (linear interpolation on SPREAD_GRID). One number for three
    classes: a 4-race season measures each class's 'between' sd only to about +-0.1."""
    grid = pd.DataFrame({s: simulated_between(race_model, {c: s for c in real_between}, seasons) for s in SPREAD_GRID})
    grid = grid.loc[list(real_between)]
    target = float(np.mean(list(real_between.values())))
    spread = float(np.interp(target, grid.mean(axis=0).to_numpy(), SPREAD_GRID))
    table = grid.rename(columns=lambda s: f"sim@{s}")
    table.insert(0, "real_between", [real_between[c] for c in grid.index])
    table.loc["mean"] = [target, *grid.mean(axis=0)]
    return table.assign(season_spread_pct=spread)


def parameters(tables, laps, race_model, seasons: int, lap_seasons) -> dict:
    """Every fitted number from these real seasons: race-model spreads and estimator parameters."""
    lap = lap_components(laps, lap_seasons).set_index("class")
    drivers = driver_form_sd(tables, race_model)
    race_sd = {name: float(np.sqrt(max(row["race_sd"] ** 2 - drivers.get(name, 0.0) ** 2, 0.0)))
               for name, row in lap.iterrows()}
    results = results_components(tables)
    imsa_sd = {name: float(row["season_sd"]) for name, row in lap.iterrows()}
    model = yaml.safe_load(yaml.safe_dump(race_model))
    for name in ("LMP2", "LMP3", "GT"):   # a class without IMSA laps here (LMP3 without 2023) keeps its values
        source = ALMS_FROM_IMSA[name]
        if source in race_sd:
            model["classes"][name]["race_spread_pct"] = round(race_sd[source], 2)
            model["classes"][name]["season_spread_pct"] = round(imsa_sd[source], 2)
    alms = results[(results["series"] == "asian-lms") & (results["kind"] == "pace")].set_index("class")
    msm = None
    if len(alms):
        msm = fit_alms_spread(model, {c: float(alms.loc[c, "between"]) for c in ("LMP2", "LMP3", "GT")}, seasons)
        for name in ("LMP2", "LMP3", "GT"):
            model["classes"][name]["season_spread_pct"] = round(float(msm["season_spread_pct"].iloc[0]), 2)
    tau = {("asian-lms", c): model["classes"][c]["season_spread_pct"] for c in ("LMP2", "LMP3", "GT")}
    tau |= {("imsa", c): value for c, value in imsa_sd.items()}
    observation: dict[str, dict] = {}
    for row in results.itertuples():
        observation.setdefault(row.series, {}).setdefault(row._2, {})[row.kind] = {
            "loading": round(max(row.between, 0.05) / tau[(row.series, row._2)], 3), "noise_pct": round(row.within, 3)}
    if "asian-lms" not in observation:   # held out: the IMSA classes that stand in for the Asian LMS ones
        observation["asian-lms"] = {c: observation["imsa"][ALMS_FROM_IMSA[c]] for c in ("LMP2", "LMP3", "GT")}
    return {"lap": lap, "drivers": drivers, "results": results, "race_sd": race_sd, "msm": msm, "model": model,
            "imsa_sd": imsa_sd, "observation": observation}


def strength_config(fitted: dict, base: dict) -> dict:
    config = yaml.safe_load(yaml.safe_dump(base))
    config["classes"] = {c: fitted["observation"]["asian-lms"][c] for c in ("LMP2", "LMP3", "GT")}
    imsa = {}
    for name, kinds in sorted(fitted["observation"].get("imsa", {}).items()):
        imsa[name] = {**kinds, "prior_sd_pct": round(fitted["imsa_sd"][name], 2)}
    config["series"] = {"imsa": {"classes": imsa}}
    return config


OLD_TEAM_SPREAD = {"LMP2": 0.55, "LMP3": 0.75, "GT": 0.35}   # team_spread_pct before the split (drawn per race)
PERSISTENCE_SCENARIOS = ("asian-lms-2024-25", "asian-lms-2023", "imsa-2023", "imsa-2024")


def simulated_persistence(seasons: int, seed: int = 1) -> pd.DataFrame:
    """Per scenario and class: mean persistence over simulated seasons, with the shipped model and with the
    model before the split (season spread 0, the old spread drawn per race: the same races as before)."""
    from sim.config.scenario import load_scenario
    from sim.scenario import compile_scenario
    from sim.season import simulate_results
    from sim.strength.persistence import mean_persistence

    old = yaml.safe_load((ROOT / "configs" / "race-model.yaml").read_text(encoding="utf-8"))
    for name, spread in OLD_TEAM_SPREAD.items():
        old["classes"][name].update(season_spread_pct=0.0, race_spread_pct=spread)
    frames = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "race-model.yaml"
        path.write_text(yaml.safe_dump(old), encoding="utf-8")
        for name in PERSISTENCE_SCENARIOS:
            scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
            variants = {"shipped": scenario}
            if scenario.merge is None:   # the IMSA fields carry their own (IMSA-measured) spreads
                variants["before"] = scenario.model_copy(update={"options": {**scenario.options, "race_model": str(path)}})
            for label, variant in variants.items():
                results, _ = simulate_results(compile_scenario(variant), seed, range(seasons), rules_only=True)
                frames.append(mean_persistence(results).assign(scenario=name, model=label))
    return pd.concat(frames, ignore_index=True)[["scenario", "model", "class", "persistence", "sd", "se", "seasons"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", choices=sorted(REAL), help="leave this real season out of every fit")
    parser.add_argument("--seasons", type=int, default=120, help="simulated seasons per grid point")
    parser.add_argument("--out", type=Path, help="write race-model.yaml and strength.yaml fitted here")
    parser.add_argument("--persistence", type=int, default=0, metavar="N",
                        help="also simulate N seasons of each scenario and print its persistence per class")
    args = parser.parse_args(argv)
    pd.set_option("display.width", 200)
    every = {name: read_season(name) for name in REAL}
    print("== Persistence of class positions, real seasons ==")
    print(real_persistence(every).round(3).to_string(index=False))
    tables = {name: table for name, table in every.items() if name != args.held_out}
    lap_seasons = tuple(s for s in ("2023", "2024") if f"imsa-{s}" != args.held_out)
    race_model = yaml.safe_load((ROOT / "configs" / "race-model.yaml").read_text(encoding="utf-8"))
    fitted = parameters(tables, load_imsa_laps(), race_model, args.seasons, lap_seasons)
    print(f"\n== Fitted without {args.held_out} ==" if args.held_out else "\n== Fitted on every real season ==")
    print("IMSA lap level (% of the class median; season = stays with the car, race = race to race):")
    print(fitted["lap"].round(3).to_string())
    print("race-model driver form per crew (sd %):", {k: round(v, 3) for k, v in fitted["drivers"].items()})
    print("car race-day form = sqrt(race^2 - driver form^2):", {k: round(v, 3) for k, v in fitted["race_sd"].items()})
    print("\nResults level (pace observations, pooled over seasons):")
    print(fitted["results"].round(3).to_string(index=False))
    if fitted["msm"] is not None:
        print("\nAsian LMS season spread by simulated moments (average-lap 'between' sd, real vs simulated):")
        print(fitted["msm"].round(3).to_string())
    print("\nseason_spread_pct / race_spread_pct:",
          {c: (fitted["model"]["classes"][c]["season_spread_pct"], fitted["model"]["classes"][c]["race_spread_pct"])
           for c in ("LMP2", "LMP3", "GT")})
    print("IMSA classes (lap level):", {c: round(v, 2) for c, v in fitted["imsa_sd"].items()})
    strength = strength_config(fitted, yaml.safe_load((ROOT / "configs" / "strength.yaml").read_text(encoding="utf-8")))
    print("\nconfigs/strength.yaml classes and series:")
    print(yaml.safe_dump({"classes": strength["classes"], "series": strength["series"]}, sort_keys=True))
    frame, combined = reliability(tables)
    print("== Reliability: are a car's troubles more concentrated than chance? ==")
    print(frame.round(3).to_string(index=False))
    print(f"Fisher's combined p = {combined:.3f}")
    if args.out is not None:
        write_fitted(args.out, fitted, strength)
    if args.persistence:
        print(f"\n== Persistence over {args.persistence} simulated seasons (shipped model; before = one spread per race) ==")
        print(simulated_persistence(args.persistence).round(3).to_string(index=False))
    return 0


def write_fitted(out: Path, fitted: dict, strength: dict) -> None:
    """race-model.yaml and strength.yaml as fitted, and copies of the IMSA scenarios whose merged classes
    carry the IMSA season spreads fitted here (their race spreads and everything else unchanged)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "race-model.yaml").write_text(yaml.safe_dump(fitted["model"], sort_keys=False), encoding="utf-8")
    (out / "strength.yaml").write_text(yaml.safe_dump(strength, sort_keys=False), encoding="utf-8")
    written = ["race-model.yaml", "strength.yaml"]
    for season in ("2023", "2024"):
        scenario = yaml.safe_load((ROOT / "scenarios" / f"imsa-{season}.yaml").read_text(encoding="utf-8"))
        for name, spec in scenario["merge"]["classes"].items():   # a class not fitted here: the default prior
            spec["season_spread_pct"] = round(fitted["imsa_sd"].get(name, strength["default_prior_sd_pct"]), 2)
        scenario["merge"]["class_map"] = {str(ROOT / "configs" / "entries" / f"imsa-{season}.yaml"):
                                          scenario["merge"]["class_map"][scenario["entries"]]}
        scenario["entries"] = str(ROOT / "configs" / "entries" / f"imsa-{season}.yaml")
        (out / f"imsa-{season}.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
        written.append(f"imsa-{season}.yaml")
    print(f"written in {out}: {', '.join(written)}")


if __name__ == "__main__":
    raise SystemExit(main())
