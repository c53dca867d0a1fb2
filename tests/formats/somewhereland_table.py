"""The Somewhereland teaching example of the ScenarioWizard manual (Weimer-Jehle),
transcribed from ``reference/scenariowizard.md``: structure, the impact table (each row's
impacts on the other descriptors; its own block is zero) and the ten consistent
scenarios with their total impact score, consistency value and volume weight.
"""

from __future__ import annotations

DESCRIPTORS: list[tuple[str, list[str]]] = [
    ("A. Government", ["A1 Patriots party", "A2 Prosperity party", "A3 Social party"]),
    ("B. Foreign policy", ["B1 Cooperation", "B2 Rivalry", "B3 Conflict"]),
    ("C. Economy", ["C1 Shrinking", "C2 Stagnant", "C3 Dynamic"]),
    ("D. Distribution of wealth", ["D1 Balanced", "D2 Strong contrasts"]),
    ("E. Social cohesion", ["E1 Social peace", "E2 Tensions", "E3 Riots"]),
    ("F. Social values", ["F1 Meritocratic", "F2 Solidarity", "F3 Family"]),
]

# row label -> impacts on A | B | C | D | E | F ("" = own block)
TABLE = """
A1 | | -2 1 1 | 0 0 0 | 0 0 | -2 1 1 | 0 0 0
A2 | | 2 1 -3 | -2 -1 3 | -2 2 | 0 0 0 | 2 -1 -1
A3 | | 0 0 0 | 0 2 -2 | 3 -3 | 2 -1 -1 | -2 2 0
B1 | 0 0 0 | | -2 1 1 | 0 0 | 0 0 0 | 0 0 0
B2 | 0 0 0 | | 0 1 -1 | 0 0 | 1 0 -1 | 0 0 0
B3 | 3 -1 -2 | | 3 0 -3 | 0 0 | 3 -1 -2 | -2 1 1
C1 | 2 1 -3 | 0 0 0 | | -2 2 | -3 1 2 | 0 0 0
C2 | -1 2 -1 | 0 0 0 | | 0 0 | 0 0 0 | 0 0 0
C3 | 0 0 0 | 0 0 0 | | -2 2 | 3 -1 -2 | 0 0 0
D1 | 0 0 0 | 0 0 0 | 0 0 0 | | 3 -1 -2 | -2 1 1
D2 | 0 -3 3 | 0 0 0 | 0 0 0 | | -3 1 2 | 2 -1 -1
E1 | 0 0 0 | 0 0 0 | -2 -1 3 | 0 0 | | 2 -1 -1
E2 | 0 0 0 | -1 0 1 | 1 1 -2 | 0 0 | | -1 0 1
E3 | 2 -1 -1 | -3 1 2 | 3 0 -3 | 0 0 | | -2 -1 3
F1 | 0 3 -3 | 0 0 0 | -3 0 3 | -3 3 | -2 1 1 |
F2 | 1 -2 1 | 0 0 0 | -1 2 -1 | 2 -2 | 2 -1 -1 |
F3 | 0 0 0 | 0 0 0 | -1 2 -1 | 1 -1 | 2 -1 -1 |
"""

# scenario (variant labels), TIS, CV, volume weight
CONSISTENT = """
A1 B3 C2 D1 E1 F3 | 12 | 0 | 178
A1 B3 C1 D2 E3 F3 | 21 | 1 | 127
A1 B3 C2 D1 E1 F2 | 14 | 0 | 55
A1 B2 C2 D1 E1 F2 | 9 | 0 | 35
A2 B1 C3 D2 E2 F1 | 17 | 0 | 28
A3 B1 C3 D2 E1 F1 | 9 | 0 | 24
A2 B2 C3 D2 E2 F1 | 15 | 0 | 19
A3 B2 C3 D2 E1 F1 | 8 | 0 | 14
A3 B1 C2 D1 E1 F2 | 18 | 0 | 3
A3 B2 C2 D1 E1 F2 | 19 | 0 | 3
"""


def table_rows() -> dict[str, list[list[int] | None]]:
    """Row label -> per-descriptor impact lists (None for the row's own block)."""
    rows: dict[str, list[list[int] | None]] = {}
    for line in TABLE.strip().splitlines():
        label, *blocks = (part.strip() for part in line.split("|"))
        rows[label] = [[int(x) for x in b.split()] if b else None for b in blocks]
    return rows


def consistent_rows() -> list[tuple[tuple[int, ...], int, int, int]]:
    """(0-based scenario, TIS, CV, weight) in the reference's order."""
    out = []
    for line in CONSISTENT.strip().splitlines():
        labels, tis, cv, weight = (part.strip() for part in line.split("|"))
        scenario = tuple(int(label[1:]) - 1 for label in labels.split())
        out.append((scenario, int(tis), int(cv), int(weight)))
    return out
