"""The formats layer: ScenarioWizard ``.scw`` projects and ``.sl`` solution lists, CSV
matrices, JSON, and ``load_system`` to read any of them (or a YAML model) by extension.

Depends on ``kizashi.model`` only (never on the engine).
"""

from kizashi.formats.csv_matrix import (
    format_csv_matrix,
    parse_csv_matrix,
    read_csv_matrix,
    write_csv_matrix,
)
from kizashi.formats.json_io import dumps as json_dumps
from kizashi.formats.json_io import loads as json_loads
from kizashi.formats.json_io import read_json, write_json
from kizashi.formats.loader import LoadedSystem, load_system
from kizashi.formats.scw import (
    ScwDescriptor,
    ScwProject,
    ScwText,
    format_scw,
    parse_scw,
    read_scw,
    scw_from_compiled,
    scw_from_model,
    write_scw,
)
from kizashi.formats.sl import (
    SolutionList,
    SolutionRow,
    compare_solutions,
    format_sl,
    parse_sl,
    read_sl,
    write_sl,
)

__all__ = [
    "LoadedSystem",
    "ScwDescriptor",
    "ScwProject",
    "ScwText",
    "SolutionList",
    "SolutionRow",
    "compare_solutions",
    "format_csv_matrix",
    "format_scw",
    "format_sl",
    "json_dumps",
    "json_loads",
    "load_system",
    "parse_csv_matrix",
    "parse_scw",
    "parse_sl",
    "read_csv_matrix",
    "read_json",
    "read_scw",
    "read_sl",
    "scw_from_compiled",
    "scw_from_model",
    "write_csv_matrix",
    "write_json",
    "write_scw",
    "write_sl",
]
