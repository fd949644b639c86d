"""What every command shows: complete --help at 80 columns, tables that fit the terminal, and one line on
stderr for every file or folder a command writes."""

from __future__ import annotations

import click
import pytest
import typer
from rich.console import Console

from sim.cli import _register_all, app
from sim.report.console import Column, fitted_table
from tests.conftest import run_cli


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield path + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, path + (name,))


def _all_commands():
    _register_all()
    root = typer.main.get_command(app)
    return [((), root)] + list(_commands(root))


@pytest.mark.parametrize("path, command", _all_commands(), ids=lambda value: " ".join(value) if
                         isinstance(value, tuple) else "")
def test_help_is_complete_and_readable_at_80_columns(monkeypatch, path, command) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_cli(*path, "--help")
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "…" not in out
    shown = "".join(out.split())   # wrapping moves words to the next line, it must not drop any
    for param in command.params:
        if param.name == "help":
            continue
        assert (param.help or "").strip(), f"{' '.join(path)}: {param.name} has no help"
        assert "".join(param.help.split()) in shown, f"{' '.join(path)}: {param.name}"
    for name, sub in getattr(command, "commands", {}).items():
        assert sub.short_help and "".join(sub.short_help.split()) in shown, name


def test_season_tables_fit_a_narrow_terminal(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    code, out, err = run_cli("season", "default", "--seed", "5", "--out", str(tmp_path))
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 70
    assert "GT Pro-Am teams" in out and "Champions" in out
    assert err == (f"wrote {tmp_path}: results.csv, standings.csv, standings_by_race.csv, awards.csv, "
                   "events.csv\n")


def test_a_table_drops_optional_columns_then_cuts_names_to_fit() -> None:
    columns = [Column("car", True), Column("team"), Column("pts", True), Column("R1", True, optional=2),
               Column("R2", True, optional=1)]
    rows = [["7", "A team with a very long name indeed", "25", "10", "15"]]
    # natural width 61: the table as it is at 80, R1 (the first to go) dropped at 60, both races and a cut
    # team name at 30
    for width, headers in ((80, ["car", "team", "pts", "R1", "R2"]), (60, ["car", "team", "pts", "R2"]),
                           (30, ["car", "team", "pts"])):
        console = Console(width=width, record=True, file=open("/dev/null", "w"))
        table = fitted_table(console, "t", columns, rows)
        assert [c.header for c in table.columns] == headers
        console.print(table)
        lines = console.export_text().splitlines()
        assert max(len(line) for line in lines) <= width
    assert "A team with" in "".join(lines) and "…" in "".join(lines)   # cut, with an ellipsis, not wrapped


def test_piped_output_is_wide_enough_for_a_file(monkeypatch) -> None:
    from sim.report.console import make_console

    monkeypatch.delenv("COLUMNS", raising=False)
    assert make_console().width == 120      # not a terminal: no 80-column squeeze
    monkeypatch.setenv("COLUMNS", "95")
    assert make_console().width == 95


def test_a_race_written_to_a_file_says_so(tmp_path) -> None:
    out, log = tmp_path / "r3.csv", tmp_path / "r3-log.csv"
    code, stdout, err = run_cli("race", "default", "--race", "R3", "--seed", "7", "--out", str(out), "--log", str(log))
    assert code == 0 and stdout == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"wrote {log} (event log, ") and lines[1].startswith(f"wrote {out} (R3 of season 0")
    assert out.exists() and log.exists()


def test_calendars_side_by_side_split_into_tables_that_fit() -> None:
    """Many value columns (calendars): as many per table as fit, the key column repeated, no value cut."""
    from sim.report.console import side_by_side

    columns = [Column(f"calendar-{i}", right=True) for i in range(6)]
    rows = [["freight km", *(f"{20_000 + i:,}" for i in range(6))], ["regions", *["Far East 2, Middle East 2"] * 6]]
    console = Console(width=80, record=True, file=open("/dev/null", "w"))
    tables = side_by_side(console, "Calendar comparison", Column("metric"), columns, rows)
    assert len(tables) == 3 and [len(t.columns) for t in tables] == [3, 3, 3]
    for table in tables:
        console.print(table)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80 and "…" not in text
    assert text.count("Far East 2, Middle East 2") == 6 and "Calendar comparison (3/3)" in text
