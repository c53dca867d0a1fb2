"""The command line's outer boundary: usage and operating-system errors.

Every mistake a user can make on the command line ends in one line on stderr and exit
code 2, never a traceback, and leaves what is stored untouched. These run the real
entry point in a subprocess, as a user's shell does.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from kizashi import __version__

FLAGSHIP = Path(__file__).resolve().parents[1] / "src/kizashi/data/models/us-japan-alliance.yaml"


def kizashi(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kizashi.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["no-such-command"], ["No such command", "kizashi --help"]),
        (["sources", "--no-such-option"], ["No such option", "kizashi sources --help"]),
        (["scenarios"], ["Missing argument", "kizashi scenarios --help"]),
        (["link", str(FLAGSHIP), "--accept", "abc"], ["--accept"]),
        (["serve", "--port", "0"], ["--port"]),
        (["scenarios", str(FLAGSHIP), "-t", "minus"], ["-t"]),
    ],
)
def test_usage_errors_print_one_line_and_exit_2(
    args: list[str], needles: list[str], tmp_path: Path
) -> None:
    assert_one_line_error(kizashi(*args, cwd=tmp_path), *needles)


def test_a_text_file_given_as_the_store_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("these are my notes, not a database\n", encoding="utf-8")
    before = hashlib.sha256(notes.read_bytes()).hexdigest()
    result = kizashi("sources", "--db", str(notes), cwd=tmp_path)
    assert_one_line_error(result, "notes.txt", "not a database")
    assert hashlib.sha256(notes.read_bytes()).hexdigest() == before


def test_a_directory_given_as_the_store_or_the_model_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    assert_one_line_error(kizashi("sources", "--db", str(folder), cwd=tmp_path), "folder")
    assert_one_line_error(kizashi("check", str(folder), cwd=tmp_path), "folder")
    assert_one_line_error(kizashi("scenarios", str(folder) + ".yaml", cwd=tmp_path), "folder")


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    result = kizashi("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"kizashi {__version__}"
