"""Dated observations of a model's descriptors, read from a YAML log.

An observations file holds an optional ``model:`` id and a list ``observations:`` of
entries ``{date, descriptor, variant, intervention?, source, publisher, published,
quote, reliability, note, id?, supersedes?}``. Observations are never overwritten: a
correction is a new entry whose ``supersedes`` names the ``id`` of the entry it
corrects; the corrected entry stays in the history but drops out of :func:`latest`.
An entry without an ``id`` gets ``"#<position>"`` (1-based).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from kizashi.errors import InputError
from kizashi.model import CompiledModel

#: Reliability grades accepted in ``reliability`` (A most reliable, F cannot be judged).
RELIABILITY = ("A", "B", "C", "D", "E", "F")

_KNOWN_KEYS = {
    "id",
    "date",
    "descriptor",
    "variant",
    "intervention",
    "source",
    "publisher",
    "published",
    "quote",
    "reliability",
    "note",
    "supersedes",
    "recorded",
}


@dataclass(frozen=True)
class Observation:
    """One dated observation of a descriptor's variant.

    Attributes
    ----------
    id : str
        The entry's id (given, or ``"#<position>"``).
    date : datetime.date
        Date of the event observed.
    descriptor, variant : str
        The descriptor observed and the variant it was coded as.
    intervention : bool
        True when the descriptor is posed as an intervention (left out of the
        consistency test); otherwise it is tested.
    source, publisher, quote, reliability, note : str or None
        Where the observation comes from, with a verbatim quote and a reliability grade.
    published : datetime.date or None
        Publication date of the source.
    supersedes : str or None
        Id of an earlier observation this one corrects.
    position : int
        Index of the entry in the file (0-based).
    extra : tuple of (str, str)
        Further keys of the entry, as text.
    """

    id: str
    date: dt.date
    descriptor: str
    variant: str
    intervention: bool = False
    source: str | None = None
    publisher: str | None = None
    published: dt.date | None = None
    quote: str | None = None
    reliability: str | None = None
    note: str | None = None
    supersedes: str | None = None
    position: int = 0
    extra: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form, dates as ``YYYY-MM-DD``."""
        out: dict[str, Any] = {
            "id": self.id,
            "date": self.date.isoformat(),
            "descriptor": self.descriptor,
            "variant": self.variant,
            "intervention": self.intervention,
            "source": self.source,
            "publisher": self.publisher,
            "published": self.published.isoformat() if self.published else None,
            "quote": self.quote,
            "reliability": self.reliability,
            "note": self.note,
        }
        if self.supersedes is not None:
            out["supersedes"] = self.supersedes
        out.update(dict(self.extra))
        return out


def _date(
    value: object, *, path: str, where: str, today: dt.date, future_ok: bool = False
) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InputError(
                f"unparsable date {value!r}: expected YYYY-MM-DD", path=path, where=where
            ) from None
    else:
        raise InputError(f"unparsable date {value!r}: expected YYYY-MM-DD", path=path, where=where)
    if not future_ok and parsed > today:
        raise InputError(
            f"date {parsed.isoformat()} is in the future (today is {today.isoformat()})",
            path=path,
            where=where,
        )
    return parsed


def _text(value: object, *, path: str, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise InputError(f"expected text, got {type(value).__name__}", path=path, where=where)


def parse_observations(
    data: object,
    model: CompiledModel,
    *,
    path: str = "<observations>",
    model_id: str | None = None,
    today: dt.date | None = None,
) -> list[Observation]:
    """Validate plain data of an observations file against ``model``.

    Parameters
    ----------
    data : object
        The loaded YAML: a mapping with ``observations:`` (and optionally ``model:``).
    model : CompiledModel
        The model whose descriptors and variants the observations name.
    path : str
        File name used in error messages.
    model_id : str, optional
        When given, a ``model:`` key in the file must equal it.
    today : datetime.date, optional
        The date after which an observation is in the future (default: today, UTC).

    Returns
    -------
    list of Observation
        In file order.

    Raises
    ------
    InputError
        Naming the file and the place (``observations[i].key``) of the first problem.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    if not isinstance(data, Mapping):
        raise InputError(
            "an observations file is a mapping with an 'observations:' list", path=path
        )
    declared = data.get("model")
    if declared is not None and model_id is not None and str(declared) != model_id:
        raise InputError(
            f"the file is for model {declared!r}, not {model_id!r}", path=path, where="model"
        )
    entries = data.get("observations")
    if not isinstance(entries, list):
        raise InputError(
            "'observations:' must be a list of entries", path=path, where="observations"
        )
    out: list[Observation] = []
    ids: dict[str, int] = {}
    for i, entry in enumerate(entries):
        place = f"observations[{i}]"
        if not isinstance(entry, Mapping):
            raise InputError(
                "an observation is a mapping {date, descriptor, variant, source, quote, ...}",
                path=path,
                where=place,
            )
        for key in ("date", "descriptor", "variant"):
            if entry.get(key) is None:
                raise InputError(f"missing required key {key!r}", path=path, where=place)
        when = _date(entry["date"], path=path, where=f"{place}.date", today=today)
        descriptor = _text(entry["descriptor"], path=path, where=f"{place}.descriptor") or ""
        variant = _text(entry["variant"], path=path, where=f"{place}.variant") or ""
        if descriptor not in model.descriptor_ids:
            known = ", ".join(model.descriptor_ids)
            raise InputError(
                f"unknown descriptor {descriptor!r} (descriptors: {known})",
                path=path,
                where=f"{place}.descriptor",
            )
        d = model.index_of(descriptor)
        if variant not in model.variant_ids[d]:
            known = ", ".join(model.variant_ids[d])
            raise InputError(
                f"unknown variant {variant!r} of {descriptor!r} (variants: {known})",
                path=path,
                where=f"{place}.variant",
            )
        intervention = entry.get("intervention", False)
        if not isinstance(intervention, bool):
            raise InputError(
                f"intervention must be true or false, got {intervention!r}",
                path=path,
                where=f"{place}.intervention",
            )
        reliability = _text(entry.get("reliability"), path=path, where=f"{place}.reliability")
        if reliability is not None and reliability not in RELIABILITY:
            raise InputError(
                f"reliability {reliability!r} is not one of {', '.join(RELIABILITY)}",
                path=path,
                where=f"{place}.reliability",
            )
        published_raw = entry.get("published")
        published = (
            None
            if published_raw is None
            else _date(published_raw, path=path, where=f"{place}.published", today=today)
        )
        obs_id = _text(entry.get("id"), path=path, where=f"{place}.id") or f"#{i + 1}"
        if obs_id in ids:
            raise InputError(
                f"id {obs_id!r} is already used by observations[{ids[obs_id]}]",
                path=path,
                where=f"{place}.id",
            )
        ids[obs_id] = i
        extra = tuple(
            (str(k), _text(v, path=path, where=f"{place}.{k}") or "")
            for k, v in entry.items()
            if k not in _KNOWN_KEYS and isinstance(v, (str, int, float, dt.date))
        )
        out.append(
            Observation(
                id=obs_id,
                date=when,
                descriptor=descriptor,
                variant=variant,
                intervention=intervention,
                source=_text(entry.get("source"), path=path, where=f"{place}.source"),
                publisher=_text(entry.get("publisher"), path=path, where=f"{place}.publisher"),
                published=published,
                quote=_text(entry.get("quote"), path=path, where=f"{place}.quote"),
                reliability=reliability,
                note=_text(entry.get("note"), path=path, where=f"{place}.note"),
                supersedes=_text(entry.get("supersedes"), path=path, where=f"{place}.supersedes"),
                position=i,
                extra=extra,
            )
        )
    _check_supersedes(out, ids, path)
    _check_conflicts(out, path)
    return out


def _check_supersedes(
    observations: Sequence[Observation], ids: Mapping[str, int], path: str
) -> None:
    for obs in observations:
        if obs.supersedes is None:
            continue
        where = f"observations[{obs.position}].supersedes"
        target = ids.get(obs.supersedes)
        if target is None:
            raise InputError(
                f"supersedes {obs.supersedes!r}, which is no observation's id",
                path=path,
                where=where,
            )
        if target == obs.position:
            raise InputError("an observation cannot supersede itself", path=path, where=where)
        old = observations[target]
        if old.descriptor != obs.descriptor:
            raise InputError(
                f"supersedes {obs.supersedes!r}, an observation of {old.descriptor!r}, not {obs.descriptor!r}",
                path=path,
                where=where,
            )


def _superseded(observations: Iterable[Observation]) -> set[str]:
    return {o.supersedes for o in observations if o.supersedes is not None}


def _check_conflicts(observations: Sequence[Observation], path: str) -> None:
    gone = _superseded(observations)
    seen: dict[tuple[str, dt.date], Observation] = {}
    for obs in observations:
        if obs.id in gone:
            continue
        key = (obs.descriptor, obs.date)
        prior = seen.get(key)
        if prior is not None and (
            prior.variant != obs.variant or prior.intervention != obs.intervention
        ):
            raise InputError(
                f"conflicts with observations[{prior.position}]: {obs.descriptor} on {obs.date.isoformat()} is "
                f"observed as both {prior.variant!r} and {obs.variant!r} (a correction names the old entry in 'supersedes')",
                path=path,
                where=f"observations[{obs.position}].descriptor",
            )
        seen.setdefault(key, obs)


class _DatesAsText(SafeConstructor):
    """Safe YAML constructor that leaves timestamps as text, so that a bad date is
    reported at its entry rather than failing the whole parse."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot read the observations file: {exc.strerror}", path=str(path)
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the observations file is not UTF-8 text (byte {exc.start})", path=str(path)
        ) from None
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _DatesAsText
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else None
        raise InputError(
            f"malformed YAML in the observations file: {exc.problem or exc.context}",
            path=str(path),
            where=where,
        ) from None
    except YAMLError as exc:
        raise InputError(
            f"malformed YAML in the observations file: {exc}", path=str(path)
        ) from None


def load_observations(
    path: str | Path,
    model: CompiledModel,
    *,
    model_id: str | None = None,
    today: dt.date | None = None,
) -> list[Observation]:
    """Read and validate an observations YAML file.

    Parameters
    ----------
    path : str or Path
        The observations file.
    model : CompiledModel
        The model the observations refer to.
    model_id : str, optional
        The model's id; a ``model:`` key in the file must match it.
    today : datetime.date, optional
        Reference date for "in the future" (default: today, UTC).

    Returns
    -------
    list of Observation
        In file order.

    Raises
    ------
    InputError
        One clear error naming the file and the place of the first problem.
    """
    p = Path(path)
    data = _read(p)
    return parse_observations(data, model, path=str(p), model_id=model_id, today=today)


def latest(
    observations: Iterable[Observation], as_of: dt.date | None = None
) -> dict[str, Observation]:
    """The latest observation of each descriptor up to ``as_of`` (inclusive).

    A superseded observation is left out once the observation that supersedes it is
    dated on or before ``as_of``. Among observations of one descriptor on the same date
    the later entry in the file wins.

    Parameters
    ----------
    observations : iterable of Observation
        The full history.
    as_of : datetime.date, optional
        Cut-off date (default: no cut-off).

    Returns
    -------
    dict
        ``{descriptor id: Observation}``.
    """
    known = [o for o in observations if as_of is None or o.date <= as_of]
    gone = _superseded(known)
    out: dict[str, Observation] = {}
    for obs in sorted(known, key=lambda o: (o.date, o.position)):
        if obs.id in gone:
            continue
        out[obs.descriptor] = obs
    return out
