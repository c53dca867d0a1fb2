"""Monitoring commands: ``track`` and ``observations``."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kizashi.cli.render import console
from kizashi.errors import InputError
from kizashi.formats import load_system
from kizashi.formats.loader import LoadedSystem
from kizashi.monitor.observations import Observation, load_observations
from kizashi.monitor.track import track


class TrackFormat(StrEnum):
    """Output formats of the monitoring commands."""

    table = "table"
    json = "json"


ModelArg = Annotated[
    str, typer.Argument(help="A model file, or the id of a bundled model (us-japan-alliance).")
]
ObsOpt = Annotated[
    Path | None,
    typer.Option(
        "--observations", help="Observations YAML (default: the model's bundled observation log)."
    ),
]


def _data_dir(kind: str) -> Path:
    return Path(str(resources.files("kizashi") / "data" / kind))


def _load(model: str) -> tuple[LoadedSystem, str]:
    path = Path(model)
    if not path.exists():
        bundled = _data_dir("models") / f"{model}.yaml"
        if not bundled.exists():
            raise InputError(f"no model file {model!r} and no bundled model of that id", path=model)
        path = bundled
    loaded = load_system(path)
    model_id = loaded.model.id if loaded.model is not None else path.stem
    return loaded, model_id


def _observations(loaded: LoadedSystem, model_id: str, file: Path | None) -> list[Observation]:
    if file is None:
        file = _data_dir("observations") / f"{model_id}.yaml"
        if not file.exists():
            raise InputError(
                f"model {model_id!r} has no bundled observation log; pass --observations FILE"
            )
    return load_observations(file, loaded.compiled, model_id=model_id)


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of {value!r}: expected YYYY-MM-DD") from None


def _track(
    model: ModelArg,
    observations: ObsOpt = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Last date considered (YYYY-MM-DD).")
    ] = None,
    output: Annotated[
        TrackFormat, typer.Option("--format", help="table or json.")
    ] = TrackFormat.table,
) -> None:
    """Per date where observations change: the futures that remain, the distance from the model, the drift."""
    loaded, model_id = _load(model)
    history = _observations(loaded, model_id, observations)
    timeline = track(loaded.compiled, history, _parse_date(as_of), model_id=model_id)
    data = timeline.to_dict()
    if output is TrackFormat.json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{model_id}: observed state against the model")
    for col in (
        "date",
        "observed",
        "remaining (t=0)",
        "t<=1",
        "t<=2",
        "inconsistency",
        "contradicting",
        "drift steps",
    ):
        table.add_column(col)
    for e in data["timeline"]:
        at = e["remaining"]["counts_at_tolerance"]
        table.add_row(
            e["date"],
            str(len(e["observed"])),
            str(e["remaining"]["count"]),
            f"{at['1']['count']}{'' if at['1']['complete'] else '+'}",
            f"{at['2']['count']}{'' if at['2']['complete'] else '+'}",
            str(e["inconsistency"]),
            ", ".join(f"{c['descriptor']} ({c['by']})" for c in e["contradictions"]) or "-",
            str(e["drift"]["steps"]),
        )
    console.print(table)
    if data["timeline"]:
        last = data["timeline"][-1]
        console.print(
            f"as of {last['date']}: {len(last['contradictions'])} observed descriptor(s) contradict the model"
        )
        for c in last["contradictions"]:
            console.print(
                f"  {c['descriptor']}: observed {c['observed']}, model prefers {c['model_prefers']} by {c['by']}"
            )


def _list_observations(
    model: ModelArg,
    observations: ObsOpt = None,
    output: Annotated[
        TrackFormat, typer.Option("--format", help="table or json.")
    ] = TrackFormat.table,
) -> None:
    """List the observations of a model (its bundled log by default)."""
    loaded, model_id = _load(model)
    history = _observations(loaded, model_id, observations)
    if output is TrackFormat.json:
        typer.echo(json.dumps([o.to_dict() for o in history], indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{model_id}: {len(history)} observation(s)")
    for col in ("date", "descriptor", "variant", "reliability", "source"):
        table.add_column(col)
    for o in history:
        variant = o.variant + (" (intervention)" if o.intervention else "")
        table.add_row(
            o.date.isoformat(), o.descriptor, variant, o.reliability or "", o.source or ""
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the monitoring commands to the app."""
    app.command("track")(_track)
    app.command("observations")(_list_observations)
