"""The ``kizashi`` command line: a thin shell over the layers.

Each command group lives in its own module and registers itself on the Typer app.
Errors a user can cause print one line naming file and place and exit with code 2; no
traceback reaches the user. That covers kizashi's own input errors (``KizashiError``),
usage errors (an unknown command or option, a missing argument, a bad option value) and
operating-system errors on the files a user names (no permission, a directory where a
file is expected).
"""

from __future__ import annotations

import sys
from importlib import import_module

import typer
from rich.console import Console
from rich.markup import escape

from kizashi import __version__
from kizashi.errors import KizashiError

app = typer.Typer(
    name="kizashi",
    help="Evidence-grounded scenario analysis (cross-impact balance) for foreign-policy questions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"kizashi {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        callback=_print_version,
        is_eager=True,
    ),
) -> None:
    """Evidence-grounded scenario analysis (cross-impact balance) for foreign-policy questions."""


# Command modules; each defines ``register(app)``. Modules that are absent (a layer not
# installed yet) are skipped so the engine commands always work.
COMMAND_MODULES = (
    "kizashi.cli.engine_cmds",
    "kizashi.cli.analysis_cmds",
    "kizashi.cli.model_cmds",
    "kizashi.cli.format_cmds",
    "kizashi.cli.evidence_cmds",
    "kizashi.cli.claims_cmds",
    "kizashi.cli.monitor_cmds",
    "kizashi.cli.report_cmds",
    "kizashi.cli.web_cmds",
)

for _name in COMMAND_MODULES:
    try:
        _module = import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:
            raise
        continue
    _module.register(app)


def _fail(message: str) -> None:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    sys.exit(2)


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or exc.__class__.__name__
    if exc.filename is not None:
        return f"{exc.filename}: {reason.lower()}"
    return reason.lower()


def run(argv: list[str] | None = None) -> None:
    """Entry point: run the app and turn user errors into one line and exit code 2."""
    try:
        result = app(args=argv, prog_name="kizashi", standalone_mode=False)
        if isinstance(result, int) and result:
            sys.exit(result)
    except KizashiError as exc:
        _fail(escape(exc.describe()))
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        sys.exit(130)
    except SystemExit:
        raise
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.TyperException as exc:
        # Usage errors: an unknown command or option, a missing argument, a bad value.
        format_message = getattr(exc, "format_message", None)
        message = format_message() if callable(format_message) else str(exc)
        if not message:  # no arguments at all: the help was printed
            sys.exit(2)
        command = getattr(getattr(exc, "ctx", None), "command_path", "kizashi")
        _fail(escape(f"{message} (see '{command} --help')"))
    except OSError as exc:
        _fail(escape(_os_message(exc)))


if __name__ == "__main__":
    run()
