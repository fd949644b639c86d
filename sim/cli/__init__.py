"""The `sim` console command: thin wrappers that parse arguments, call the API and print.

Each sub-module registers its commands on `app`; errors map to exit codes here
(InputError -> one line on stderr and exit 2; anything else -> exit 1, traceback with --debug).
The command modules import the layers below inside each command: `sim --help`, a usage error or a
bad option then answers without loading pandas, numpy, scipy and the configs (measured: `import sim.cli`
0.2-0.3 s, with the season and report layers 5.4 s on the shared 2-core machine).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import sys
import traceback

import typer

from sim.errors import InputError

app = typer.Typer(
    name="sim",
    help="Multi-class endurance championship simulator (races, seasons, Monte Carlo, calendars).",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# Command modules, each with `register(app)`. Listed here so the order in --help is stable.
COMMAND_MODULES = ("run", "standings", "validate", "race", "season", "montecarlo", "calendar", "ingest",
                   "strength", "backtest")

_state = {"debug": False}


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of internal errors."),
) -> None:
    _state["debug"] = debug
    if ctx.invoked_subcommand is None:
        from sim.cli.run import run_default

        run_default()


class Interrupted(Exception):
    """Ctrl-C or SIGTERM inside a command, carried past click (which turns KeyboardInterrupt into a bare
    exit code and loses the message, e.g. where a study's checkpoint is and how to resume it)."""


def _guard_interrupts(callback):
    @functools.wraps(callback)   # typer reads the parameters through __wrapped__
    def guarded(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except KeyboardInterrupt as interrupt:
            raise Interrupted(str(interrupt) or "interrupted") from None
    return guarded


def _guard_all(typer_app: typer.Typer) -> None:
    for command in typer_app.registered_commands:
        if command.callback is not None and not hasattr(command.callback, "__wrapped__"):
            command.callback = _guard_interrupts(command.callback)
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _guard_all(group.typer_instance)


def _register_all() -> None:
    if not app.registered_commands:
        for name in COMMAND_MODULES:
            importlib.import_module(f"sim.cli.{name}").register(app)
    _guard_all(app)


def _is_usage_error(error: Exception) -> bool:
    """A click usage error (missing option, unknown command, bad value), whether raised by click itself or
    by the copy of click that newer typer releases carry inside them (`typer._click`), which
    `isinstance` against `click.ClickException` does not recognise: both classes are named ClickException
    and have `show()` and `exit_code`."""
    return any(cls.__name__ == "ClickException" for cls in type(error).__mro__)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's final flush does not fail on the closed pipe again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns (and exits with) the process exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    _state["debug"] = "--debug" in args
    try:
        _register_all()
        returned = app(args=args, standalone_mode=False, prog_name="sim")
        sys.stdout.flush()   # inside the try: a closed pipe shows up here, not at interpreter exit
        # without standalone mode click returns (not raises) the code of an Exit, e.g. typer's Exit(130)
        # for a Ctrl-C outside any command; the commands themselves return None
        code = returned if isinstance(returned, int) and not isinstance(returned, bool) else 0
        if code == 130:
            print("interrupted", file=sys.stderr)
    except InputError as error:
        print(f"error: {error.message}".replace("\n", "\nerror: "), file=sys.stderr)
        code = 2
    except BrokenPipeError:
        # the reader closed the pipe (`sim standings ... | head`): it has all it asked for
        _silence_stdout()
        code = 0
    except SystemExit:
        # click turns a closed pipe into exit 1 after wrapping stdout in its PacifyFlushWrapper; a reader
        # that stopped early is not a failure of ours (any other SystemExit passes through unchanged)
        if type(sys.stdout).__name__ != "PacifyFlushWrapper":
            raise
        _silence_stdout()
        code = 0
    except typer.Exit as done:
        code = done.exit_code
    except typer.Abort:
        print("aborted", file=sys.stderr)
        code = 130
    except Interrupted as interrupt:
        print(interrupt, file=sys.stderr)
        code = 130
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    except Exception as error:
        if _is_usage_error(error):
            # bad input on the command line: one line like any other (the contract), with where to look
            command = getattr(getattr(error, "ctx", None), "command_path", "") or "sim"
            print(f"error: {error.format_message()} (see `{command} --help`)", file=sys.stderr)
            code = error.exit_code
        else:
            if _state["debug"]:
                traceback.print_exc()
            print(f"internal error: {type(error).__name__}: {error} (run with --debug for the traceback)",
                  file=sys.stderr)
            code = 1
    if argv is None:
        sys.exit(code)
    return code
