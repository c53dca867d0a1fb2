"""Lenient decoding and line splitting shared by the file formats.

ScenarioWizard (Weimer-Jehle, ZIRIUS Stuttgart) is a Windows program: its files use a
Windows code page and CRLF line endings. We decode with cp1252 and fall back to latin-1
(which never fails), accept CRLF, LF and CR endings, and remember which was used so that
writing reproduces the original bytes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from kizashi.errors import InputError

MAX_FILE_BYTES = 200 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Lines:
    """A text split into lines, with what is needed to join it back byte for byte."""

    lines: list[str]
    newline: str
    final_newline: bool
    encoding: str


def read_bytes(path: str | Path) -> bytes:
    """Read a file, raising ``InputError`` (naming the file) when it cannot be read."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(f"the file is too large ({size} bytes)", path=str(p))
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path=str(p)) from None


def decode(data: bytes | str) -> tuple[str, str]:
    """Decode leniently: UTF-8 with a byte-order mark, else cp1252, else latin-1."""
    if isinstance(data, str):
        return data, "cp1252"
    if data.startswith(_BOM):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def split_lines(text: str, encoding: str = "cp1252") -> Lines:
    """Split on the file's line ending (CRLF, LF or CR, whichever the text uses)."""
    if "\r\n" in text:
        newline = "\r\n"
    elif "\n" in text:
        newline = "\n"
    elif "\r" in text:
        newline = "\r"
    else:
        newline = "\r\n"
    final = text.endswith(newline)
    body = text[: -len(newline)] if final else text
    lines = body.split(newline) if body or final else []
    if newline == "\r\n" and any("\n" in line for line in lines):
        # Mixed endings: accept them (the bytes of such a file are not reproduced).
        lines = [part.rstrip("\r") for line in lines for part in line.split("\n")]
    return Lines(lines, newline, final, encoding)


def join_lines(lines: list[str], newline: str, final_newline: bool) -> str:
    """Inverse of ``split_lines``."""
    text = newline.join(lines)
    return text + newline if final_newline and lines else text


def encode(text: str, encoding: str) -> bytes:
    """Encode for writing; characters the code page lacks become ``?``."""
    return text.encode(encoding, errors="replace")


def parse_number(cell: str) -> float | None:
    """A finite number written as an integer or decimal; None if it is not one."""
    s = cell.strip()
    if not s:
        return None
    try:
        value = float(int(s))
    except ValueError:
        try:
            value = float(s)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def vb_number(value: float) -> str:
    """A number as Visual Basic prints a Single: 7 significant digits, no leading zero.

    ``16777216`` -> ``1.677722E+07``, ``0.5`` -> ``.5``, ``-0.5`` -> ``-.5``, ``4`` -> ``4``.
    """
    if value == 0:
        return "0"
    if float(value).is_integer() and abs(value) < 1e7:
        return str(int(value))
    text = f"{value:.7G}"
    if "E" in text:
        mantissa, exponent = text.split("E")
        sign = exponent[0]
        digits = exponent[1:].lstrip("0").rjust(2, "0")
        text = f"{mantissa}E{sign}{digits}"
    if text.startswith("0."):
        text = text[1:]
    elif text.startswith("-0."):
        text = "-" + text[2:]
    return text


def vb_str(value: float) -> str:
    """Visual Basic ``Str()``: a leading space for non-negative numbers."""
    text = vb_number(value)
    return text if text.startswith("-") else " " + text
