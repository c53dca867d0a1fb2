"""The ``kizashi`` command line: a thin shell over the layers.

Each command group lives in its own module and registers itself on the Typer app.
Errors a user can cause (``KizashiError``) print one line naming file and place and
exit with code 2; no traceback reaches the user.
"""

from __future__ import annotations

import sys
from importlib import import_module

import typer
from rich.console import Console

from kizashi.errors import KizashiError

app = typer.Typer(
    name="kizashi",
    help="Evidence-grounded scenario analysis (cross-impact balance) for foreign-policy questions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)

# Command modules; each defines ``register(app)``. Modules that are absent (a layer not
# installed yet) are skipped so the engine commands always work.
COMMAND_MODULES = (
    "kizashi.cli.engine_cmds",
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


def run(argv: list[str] | None = None) -> None:
    """Entry point: run the app and turn user errors into one line and exit code 2."""
    try:
        result = app(args=argv, standalone_mode=False)
        if isinstance(result, int) and result:
            sys.exit(result)
    except KizashiError as exc:
        err_console.print(f"[bold red]error:[/] {exc.describe()}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        from click.exceptions import ClickException

        if isinstance(exc, ClickException):
            exc.show()
            sys.exit(2)
        raise


if __name__ == "__main__":
    run()
