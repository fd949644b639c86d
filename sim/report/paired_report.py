"""report.html of a paired study (scenario B against A on the same seasons): the changes that matter per
car, one car's question in full (`--focus`), title and invitation odds side by side.

Changes are B - A in percentage points with the paired standard error (common random numbers make
it much smaller than comparing two separate studies); a change beyond 2 SE is marked as one that matters.
"""

from __future__ import annotations

import pandas as pd

from sim.report.figures import paired_figure
from sim.report.frames import OTHER, answer, car_titles, categories, change_text, numeric, pct, significant, titles_of
from sim.report.html import Heading, Report, Section, Table, Text, figure_block
from sim.report.study_report import about_section, caption, stop_text

TOP_CHANGES = 20
TOP_FIGURE = 12


def changes_table(cars: pd.DataFrame, caption_text: str = "") -> Table:
    """Per car: own title, class title and Le Mans invitation, A and B and the change with its SE."""
    rows = []
    for _, r in cars.iterrows():
        rows.append([f"#{r['car']}", r["team_b"], r["class"], categories(r),
                     pct(r["a_p_own_title"]), pct(r["b_p_own_title"]),
                     change_text(r["delta_p_own_title"], r["se_delta_p_own_title"]),
                     change_text(r["delta_p_class_title"], r["se_delta_p_class_title"]),
                     pct(r["a_p_invitation"]), pct(r["b_p_invitation"]),
                     change_text(r["delta_p_invitation"], r["se_delta_p_invitation"]), _z(r["max_abs_z"])])
    emphasis = frozenset(i for i, flag in enumerate(significant(cars)) if flag)
    return Table(["car", "team", "class", "category", "own title A", "own title B", "own title B-A (pts)",
                  "class title B-A", "Le Mans A", "Le Mans B", "Le Mans B-A (pts)", "|z|"], rows, caption_text,
                 numeric=frozenset(range(4, 12)), emphasis=emphasis)


def _z(value) -> str:
    z = pd.to_numeric(value, errors="coerce")
    return "" if pd.isna(z) else ("inf" if z == float("inf") else f"{z:.1f}")


def changes_section(frames: dict[str, pd.DataFrame], manifest: dict) -> Section:
    cars = frames["paired_cars"]
    moving = int(significant(cars).sum())
    section = Section("changes", "Changes that matter", intro=(
        f"Per car, B against A on the same {manifest['runs']:,} seasons: its own title (its sub-category's, so "
        "a car that changes cup is compared across the two), its class title and a Le Mans invitation from any "
        "title. Changes are B - A in percentage points ± the paired standard error; bold rows move by more "
        "than 2 SE. Most significant first."))
    section.blocks.append(Text(f"{moving} of {len(cars)} cars change beyond 2 SE." if moving else
                               f"No car's odds change beyond 2 SE in {manifest['runs']:,} seasons.", tone="note"))
    if len(cars):
        section.blocks.append(figure_block(paired_figure(numeric(cars.head(TOP_FIGURE)))))
        section.blocks.append(changes_table(cars.head(TOP_CHANGES)))
    return section


def focus_section(frames: dict[str, pd.DataFrame], manifest: dict, car: str) -> Section:
    cars = frames["paired_cars"]
    mine = cars[cars["car"] == car]
    section = Section("focus", f"Car #{car}: A or B?")
    if mine.empty:
        section.blocks.append(Text(f"Car {car} is not in both scenarios.", tone="warning"))
        return section
    row = mine.iloc[0]
    section.intro = (f"#{car} {row['team_b']} ({row['class']}, {categories(row)}): what changes for this car, "
                     f"B - A on the same seasons.")
    section.blocks.append(Text(answer(row), tone="note"))
    section.blocks.append(changes_table(mine))
    titles = car_titles(frames["paired"], frames["summary_a"], frames["summary_b"], car)
    section.blocks.append(Heading("Every title the car is in"))
    section.blocks.append(Table(["title", "A", "B", "B-A (pts)"],
                                [[t["title"], pct(t["a_p_title"]), pct(t["b_p_title"]),
                                  change_text(t["delta_p_title"], t["se_delta_p_title"])]
                                 for _, t in titles.iterrows()], numeric=frozenset({1, 2, 3})))
    return section


def titles_section(frames: dict[str, pd.DataFrame], manifest: dict) -> Section:
    paired = frames["paired"]
    section = Section("titles", "Title odds, A and B", intro=(
        "The favourites of each teams' title in both scenarios (competitors in both, paired)."))
    for title in titles_of(paired, "teams"):
        rows = paired[(paired["title"] == title) & (paired["car"] != OTHER)]
        rows = rows.assign(top=numeric(rows)[["a_p_title", "b_p_title"]].max(axis=1)).sort_values(
            "top", ascending=False, kind="stable").head(8)
        section.blocks.append(Heading(title))
        section.blocks.append(Table(["car", "team", "A", "B", "B-A (pts)"],
                                    [[f"#{r['car']}", r["team"], pct(r["a_p_title"]), pct(r["b_p_title"]),
                                      change_text(r["delta_p_title"], r["se_delta_p_title"])]
                                     for _, r in rows.iterrows()], numeric=frozenset({2, 3, 4})))
    return section


def paired_facts(manifest: dict) -> list[tuple[str, str]]:
    versions = manifest.get("versions", {})
    error = manifest.get("max_se_p_title")
    return [("scenario A", f"{manifest.get('scenario', '')} ({manifest.get('scenario_file', '')})"),
            ("scenario B", f"{manifest.get('scenario_b', '')} ({manifest.get('scenario_file_b', '')})"),
            ("seed", str(manifest["seed"])), ("seasons", stop_text(manifest)),
            ("Monte Carlo error", "" if error is None else
             f"largest SE of a title probability or of its paired change: {error:.4f}"),
            ("version", f"endurance-sim {versions.get('endurance-sim', '?')}, Python {versions.get('python', '?')}")]


def paired_report(frames: dict[str, pd.DataFrame], manifest: dict, focus: str | None = None) -> Report:
    report = Report(f"B against A: {manifest.get('scenario_b', 'B')} vs {manifest.get('scenario', 'A')}",
                    subtitle=f"Paired Monte Carlo study: both scenarios on the same {manifest['runs']:,} seasons "
                             "(common random numbers)", facts=paired_facts(manifest), footer=caption(manifest))
    report.add(changes_section(frames, manifest))
    if focus:
        report.add(focus_section(frames, manifest, focus))
    report.add(titles_section(frames, manifest))
    report.add(about_section(manifest))
    return report
