"""report.html of a Monte Carlo study: title odds, final positions, points through the season and Le Mans
invitations, with what the study was (scenario, seed, seasons, Monte Carlo error, why it stopped, version).

Built from the study's text tables (`summary_frames`) and its manifest, so the report says exactly
what the CSVs say; sim.report.paired_report reuses the header and the "about" section.
"""

from __future__ import annotations

import pandas as pd

from sim.config.loader import shown_path
from sim.report.figures import heat_colours, invitation_figure, points_figure, position_matrix, title_odds_figure
from sim.report.frames import OTHER, car_invitations, crews, number, numeric, pct, pct_se, titles_of
from sim.report.html import Columns, Heading, Report, Section, Table, Text, figure_block

TABLE_TOP = 8


def stop_text(manifest: dict) -> str:
    """Why the study has the seasons it has."""
    stop = manifest.get("stop") or {}
    runs = f"{manifest['runs']:,} seasons"
    if stop.get("reason") == "target reached":
        return f"{runs}: target reached (every title probability's SE <= {stop['target_se']:g})"
    if stop.get("reason") == "max runs":
        return (f"{runs}: stopped at --max-runs {stop['max_runs']:,} before the target SE {stop['target_se']:g} "
                f"was reached")
    return f"{runs} (--runs)"


def caption(manifest: dict) -> str:
    """One line for the foot of a figure: what it is of."""
    scenario = manifest.get("scenario") or "study"
    return (f"{scenario} · seed {manifest['seed']} · {manifest['runs']:,} seasons · "
            f"endurance-sim {manifest.get('versions', {}).get('endurance-sim', '?')}")


def study_facts(manifest: dict) -> list[tuple[str, str]]:
    versions = manifest.get("versions", {})
    error = manifest.get("max_se_p_title")
    return [
        ("scenario", f"{manifest.get('scenario', '')} ({manifest.get('scenario_file', '')})"),
        ("seed", str(manifest["seed"])),
        ("seasons", stop_text(manifest)),
        ("Monte Carlo error", "" if error is None else
         f"largest SE of a title probability: {error:.4f} ({100 * error:.2f} points)"),
        ("version", f"endurance-sim {versions.get('endurance-sim', '?')}, Python {versions.get('python', '?')}"),
        ("run", f"{manifest.get('executor')} x {manifest.get('workers')}, {manifest.get('wall_time_s', 0):,.1f} s"),
    ]


def _odds_table(rows: pd.DataFrame, top: int = TABLE_TOP) -> Table:
    shown = rows.head(top)
    crew = bool((rows["kind"] == "drivers").all())
    frame = shown.assign(who=list(shown["drivers"] if crew else shown["team"]),
                         odds=[pct_se(p, se) for p, se in zip(shown["p_title"], shown["se_p_title"])])
    return Table.from_frame(
        frame, {"car": "car", "who": "crew" if crew else "team", "odds": "P(title) ± SE", "p_top3": "P(top 3)",
                "mean_points": "mean pts", "p_invitation": "P(Le Mans)"},
        formats={"p_top3": pct, "mean_points": number, "p_invitation": pct},
        numeric=("odds", "p_top3", "mean_points", "p_invitation"))


def glance_section(frames: dict[str, pd.DataFrame], manifest: dict) -> Section:
    """One line per teams title: the favourite and the first challenger, and how close the title is."""
    summary, titles = numeric(frames["summary"]), numeric(frames["titles"]).set_index("title")
    rows = []
    for title in titles_of(summary, "teams") or titles_of(summary):
        ranked = summary[(summary["title"] == title) & (summary["car"] != OTHER)]
        first = ranked.iloc[0] if len(ranked) else None
        second = ranked.iloc[1] if len(ranked) > 1 else None
        facts = titles.loc[title] if title in titles.index else {}
        rows.append([title,
                     f"#{first['car']} {first['team']}" if first is not None else "",
                     pct_se(first["p_title"], first["se_p_title"]) if first is not None else "",
                     f"#{second['car']} {second['team']}" if second is not None else "",
                     pct_se(second["p_title"], second["se_p_title"]) if second is not None else "",
                     pct(facts.get("p_open_before_final_round")), number(facts.get("mean_final_gap"))])
    return Section("glance", "At a glance", [Table(
        ["title", "favourite", "P(title) ± SE", "challenger", "P(title) ± SE", "open before final round",
         "mean winning margin (pts)"], rows, numeric=frozenset({2, 4, 5, 6}))])


def title_odds_section(frames: dict[str, pd.DataFrame], manifest: dict) -> Section:
    summary, titles = frames["summary"], numeric(frames["titles"]).set_index("title")
    section = Section("titles", "Title odds", intro=(
        "Chance of winning each title over the simulated seasons, with its Monte Carlo standard error "
        "(SE; ±2 SE covers the true value 95 % of the time). A drivers' crew that shared a car is shown once."))
    for title in titles_of(summary):
        rows = crews(summary[(summary["title"] == title) & (summary["car"] != OTHER)])
        if rows.empty:
            continue
        section.blocks.append(Heading(title))
        if title in titles.index:
            facts = titles.loc[title]
            section.blocks.append(Text(
                f"Open before the final round in {facts['p_open_before_final_round']:.0%} of seasons; "
                f"champion's mean margin {facts['mean_final_gap']:.1f} points; "
                f"tied on points (decided on countback) in {facts['p_countback_tie']:.1%}."))
        if rows["kind"].iloc[0] == "drivers":   # the crews mirror their cars: the table says it all
            section.blocks.append(_odds_table(rows, top=5))
            continue
        section.blocks.append(Columns([figure_block(title_odds_figure(rows, title)), _odds_table(rows)]))
    return section


def positions_section(frames: dict[str, pd.DataFrame], manifest: dict) -> Section:
    positions = frames["positions"]
    section = Section("positions", "Final positions", intro=(
        "Chance (%) of each final position in the teams' classifications, favourites first; colours are scaled "
        "to the largest value of each title, blank cells are under 1 %. NC: not classified (absent or no points)."))
    for title in titles_of(positions, "teams") or titles_of(positions):
        matrix, headers, labels = position_matrix(positions[positions["title"] == title])
        cells = [[name] + [f"{value:.0f}" if value >= 1 else "" for value in row] for name, row in zip(labels, matrix)]
        styles = [[""] + colours for colours in heat_colours(matrix)]
        section.blocks += [Heading(title), Table([""] + headers, cells, styles=styles, css_class="heatmap",
                                                 caption="final position: % of seasons")]
    return section


def points_section(frames: dict[str, pd.DataFrame], manifest: dict) -> Section:
    summary, by_race = frames["summary"], frames["points_by_race"]
    section = Section("points", "Points through the season", intro=(
        "Cumulative points after each race of the four title favourites of each teams' classification: one "
        "panel each, the line is the median season, the band holds 80 % of seasons (10th to 90th "
        "percentile); the grey lines are the other favourites' medians."))
    for title in titles_of(summary, "teams") or titles_of(summary):
        section.blocks += [Heading(title), figure_block(points_figure(by_race, summary, title))]
    return section


def invitations_section(frames: dict[str, pd.DataFrame], manifest: dict) -> Section:
    cars = car_invitations(frames["summary"], frames["invitations"])
    section = Section("invitations", "Le Mans invitations", intro=(
        "Each car's chance of a Le Mans 24 Hours invitation from any title that can give it one (a GT car "
        "can be invited as class or as sub-category champion), then by the rule that gives it."))
    if cars.empty:
        section.blocks.append(Text("No invitation was given in any season of this study.", tone="note"))
        return section
    section.blocks.append(figure_block(invitation_figure(cars)))
    rules = [c for c in cars.columns if c not in ("class", "car", "team", "category", "runs", "p_invitation",
                                                  "se_p_invitation")]
    frame = cars.assign(any=[pct_se(p, se) for p, se in zip(cars["p_invitation"], cars["se_p_invitation"])])
    section.blocks.append(Table.from_frame(
        frame, {"car": "car", "team": "team", "class": "class", "category": "category", "any": "any title",
                **{rule: rule for rule in rules}},
        formats={rule: lambda p: pct(p) if p > 0 else "" for rule in rules}, numeric=["any", *rules],
        caption="P(invitation) per car: from any title, and per rule (a car may get two in one season)"))
    return section


def about_section(manifest: dict) -> Section:
    stop = manifest.get("stop") or {}
    rows = [("seasons", stop_text(manifest)), ("seed", str(manifest["seed"])),
            ("executor", f"{manifest.get('executor')}, {manifest.get('workers')} worker(s), chunks of "
                         f"{manifest.get('chunk_size')} seasons ({manifest.get('chunks')} chunks, "
                         f"{manifest.get('chunks_resumed', 0)} resumed)"),
            ("wall time", f"{manifest.get('wall_time_s', 0):,.1f} s ({manifest.get('seasons_per_s', 0):,.1f} "
                          "seasons/s)"),
            ("config hash", str(manifest.get("config_hash", ""))),
            ("config files", ", ".join(shown_path(f) for f in manifest.get("config_files", []))),
            ("files", ", ".join(manifest.get("outputs", [])))]
    if stop.get("target_se") is not None:
        rows.insert(1, ("stop rule", f"target SE {stop['target_se']:g}, checked every {stop['check_every']} "
                                     f"seasons in season order, at most {stop['max_runs']:,} seasons"))
    versions = manifest.get("versions", {})
    rows.append(("versions", ", ".join(f"{name} {version}" for name, version in versions.items())))
    return Section("about", "About this study", [
        Table([], rows),
        Text("The same scenario and seed give the same summary.csv, whatever the executor, the number of "
             "workers or the chunk size; `sim season SCENARIO --seed S --index I` replays season I alone.",
             tone="note")])


def study_report(frames: dict[str, pd.DataFrame], manifest: dict) -> Report:
    """The report of a single study."""
    report = Report(f"Championship odds: {manifest.get('scenario') or 'study'}",
                    subtitle=f"Monte Carlo study of {manifest['runs']:,} seasons",
                    facts=study_facts(manifest), footer=caption(manifest))
    for build in (glance_section, title_odds_section, positions_section, points_section, invitations_section):
        report.add(build(frames, manifest))
    report.add(about_section(manifest))
    return report
