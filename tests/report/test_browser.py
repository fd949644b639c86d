"""report.html in a real browser (headless Chromium, Debian's `chromium`; .ci/run installs it): what a person
sees when opening the file offline: the text, every section, every figure drawn at a real size, no request
for anything outside the file."""

from __future__ import annotations

import pytest

from tests.report import browser

pytestmark = pytest.mark.skipif(browser.chromium() is None,
                                reason="chromium is not installed (apt-get install chromium; .ci/run does it)")


def _check_page(found: dict, sections: list[str], phrases: list[str]) -> None:
    for name in sections:
        width, height = found["sections"][name]
        assert width > 0 and height > 0, name
    for phrase in phrases:
        assert phrase in found["text"], phrase
    assert found["figures"] and all(w > 100 and h > 50 for w, h in found["figures"]), found["figures"]
    assert all(done and width > 0 for done, width in found["images"])
    assert found["resources"] == []            # nothing fetched: not a font, not a script, not an image
    assert found["width"] <= 1280              # no sideways scrolling at a laptop's width


def test_a_study_report_shows_its_odds_offline(study_run, tmp_path) -> None:
    found = browser.probe(study_run.folder / "report.html", tmp_path)
    _check_page(found, ["glance", "titles", "positions", "points", "invitations", "about"],
                ["Championship odds: Asian LMS style", "SEED\n4", "MONTE CARLO ERROR", "Title odds", "GT Pro-Am teams",
                 "Le Mans invitations", "endurance-sim 0.1.0"])
    shot = browser.screenshot(study_run.folder / "report.html", tmp_path / "study.png", height=2000)
    _check_screenshot(shot)


def test_a_paired_report_shows_the_answer_for_the_focus_car(paired_run, tmp_path) -> None:
    found = browser.probe(paired_run.folder / "report.html", tmp_path)
    _check_page(found, ["changes", "focus", "titles", "about"],
                ["Changes that matter", "Car #10: A or B?", "Pro-Am -> Gold Cup", "Le Mans invitation odds"])


def _check_screenshot(path) -> None:
    """The page drawn: a real picture (many colours: text, bars, heatmap), not a blank or error page."""
    from PIL import Image

    with Image.open(path) as image:
        assert image.size == (1280, 2000)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200


def test_a_calendar_report_shows_the_calendars_side_by_side(calendar_run, tmp_path) -> None:
    found = browser.probe(calendar_run.folder / "report.html", tmp_path)
    _check_page(found, ["calendars", "freight", "clashes", "climate", "sporting", "about"],
                ["Calendar comparison: default, four-middle-east", "SEED\n2", "MONTE CARLO ERROR", "Freight and travel",
                 "Sporting metrics", "difference vs default", "endurance-sim 0.1.0"])
    shot = browser.screenshot(calendar_run.folder / "report.html", tmp_path / "calendar.png", height=2000)
    _check_screenshot(shot)


def test_a_backtest_report_shows_scores_calibration_and_forecasts(backtest_run, tmp_path) -> None:
    found = browser.probe(backtest_run.folder / "report.html", tmp_path)
    _check_page(found, ["scores", "per-title", "calibration", "forecasts", "about"],
                ["Backtest: Asian LMS 2023", "SEED\n3", "MONTE CARLO ERROR", "Scores against the baselines",
                 "Calibration", "GT teams: champion Walkenhorst Motorsport"])
