"""The `sim` console command: thin wrappers that parse arguments, call the API and print.

Each sub-module registers its commands on `app`; errors map to exit codes here
(InputError -> one line on stderr and exit 2; anything else -> exit 1, traceback with --debug).
"""

from __future__ import annotations

import importlib
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
)

# Command modules, each with `register(app)`. Listed here so the order in --help is stable.
COMMAND_MODULES = ("run", "standings", "validate", "race", "season", "montecarlo", "calendar")

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


def _register_all() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"sim.cli.{name}").register(app)


def _is_usage_error(error: Exception) -> bool:
    """A click usage error (missing option, unknown command, bad value), whether raised by click itself or
    by the copy of click that newer typer releases carry inside them (`typer._click`), which
    `isinstance` against `click.ClickException` does not recognise: both classes are named ClickException
    and have `show()` and `exit_code`."""
    return any(cls.__name__ == "ClickException" for cls in type(error).__mro__)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns (and exits with) the process exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    _state["debug"] = "--debug" in args
    try:
        _register_all()
        app(args=args, standalone_mode=False, prog_name="sim")
        code = 0
    except InputError as error:
        print(f"error: {error.message}".replace("\n", "\nerror: "), file=sys.stderr)
        code = 2
    except typer.Exit as done:
        code = done.exit_code
    except typer.Abort:
        print("aborted", file=sys.stderr)
        code = 130
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    except Exception as error:
        if _is_usage_error(error):
            error.show()   # usage and the problem (missing option, unknown command, bad value); exit 2
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
