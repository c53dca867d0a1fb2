"""The impact network of one scenario, drawn as a self-contained SVG.

Each descriptor is a node labelled with its name and the variant the scenario chooses;
each non-zero judgement between two chosen variants is an arrow, green when it promotes
and red when it hinders, as thick as its weight and labelled with it. Fixed descriptors
(the intervention) have a dark outline. The drawing is deterministic: same model and
scenario, same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from html import escape

from kizashi.model import Judgement, Model

PROMOTE = "#1a7f37"
HINDER = "#c62828"
WIDTH = 1280
HEIGHT = 860
NODE_W = 184
NODE_H = 42
MARGIN_X = NODE_W / 2 + 14
MARGIN_Y = NODE_H / 2 + 14


@dataclass(frozen=True)
class Edge:
    """An active impact between two chosen variants."""

    source: int
    target: int
    score: float
    judgement: Judgement


def active_edges(model: Model, scenario: Sequence[int]) -> list[Edge]:
    """Judgements whose both ends are in the scenario, strongest first."""
    chosen = {
        f"{d.id}.{d.variants[int(v)].id}": i for i, (d, v) in enumerate(zip(model.descriptors, scenario, strict=True))
    }
    edges = [
        Edge(chosen[j.source_variant], chosen[j.target_variant], float(j.score), j)
        for j in model.judgements
        if j.source_variant in chosen and j.target_variant in chosen
    ]
    return sorted(edges, key=lambda e: (-abs(e.score), e.source, e.target))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _border_point(cx: float, cy: float, tx: float, ty: float) -> tuple[float, float]:
    """Where the segment from a node's centre towards (tx, ty) leaves its box."""
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(
        (NODE_W / 2 + 4) / abs(dx) if dx else math.inf,
        (NODE_H / 2 + 4) / abs(dy) if dy else math.inf,
    )
    return cx + dx * scale, cy + dy * scale


def _spread(count: int, start: float, stop: float, *, inclusive: bool) -> list[float]:
    if count <= 0:
        return []
    if inclusive:
        return [start + (stop - start) * (k / (count - 1) if count > 1 else 0.5) for k in range(count)]
    return [start + (stop - start) * (k + 1) / (count + 1) for k in range(count)]


def layout(n: int) -> list[tuple[float, float]]:
    """Node centres clockwise around the frame: top row, right column, bottom row, left column."""
    top = max(1, math.ceil(n * 0.25)) if n > 2 else n
    bottom = min(top, n - top)
    rest = n - top - bottom
    right = math.ceil(rest / 2)
    left = rest - right
    x0, x1, y0, y1 = MARGIN_X, WIDTH - MARGIN_X, MARGIN_Y, HEIGHT - MARGIN_Y
    pos = [(x, y0) for x in _spread(top, x0, x1, inclusive=True)]
    pos += [(x1, y) for y in _spread(right, y0, y1, inclusive=False)]
    pos += [(x, y1) for x in reversed(_spread(bottom, x0, x1, inclusive=True))]
    pos += [(x0, y) for y in reversed(_spread(left, y0, y1, inclusive=False))]
    return pos


def network_svg(
    model: Model,
    scenario: Sequence[int],
    *,
    fixed: Collection[int] = (),
    min_weight: float = 0.0,
    title: str | None = None,
    element_id: str = "net",
) -> str:
    """The impact network of ``scenario`` (variant index per descriptor) as SVG text."""
    n = len(model.descriptors)
    cx, cy = WIDTH / 2, HEIGHT / 2
    pos = layout(n)
    edges = [e for e in active_edges(model, scenario) if abs(e.score) >= min_weight]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" class="impact-network" id="{escape(element_id)}" font-family="Helvetica, Arial, sans-serif">',
        f"<title>{escape(title or 'Impact network')}</title>",
        "<defs>",
    ]
    for name, colour in (("p", PROMOTE), ("h", HINDER)):
        parts.append(
            f'<marker id="{escape(element_id)}-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" '
            f'markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        )
    parts.append("</defs>")
    parts.append(f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fbfbf8"/>')
    # edges first, drawn weakest first so strong ones sit on top
    for e in reversed(edges):
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        # bend towards the centre (edges along one side stay inside the frame) and a little
        # to the right of the direction, so that a pair A->B, B->A separates
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy) or 1.0
        bend = 0.08 * length
        qx = mx + 0.35 * (cx - mx) - dy / length * bend
        qy = my + 0.35 * (cy - my) + dx / length * bend
        sx, sy = _border_point(x1, y1, qx, qy)
        tx, ty = _border_point(x2, y2, qx, qy)
        colour, marker = (PROMOTE, "p") if e.score > 0 else (HINDER, "h")
        width = 0.6 + 0.9 * abs(e.score)
        label_x, label_y = 0.25 * sx + 0.5 * qx + 0.25 * tx, 0.25 * sy + 0.5 * qy + 0.25 * ty
        ref = f"{e.judgement.source_variant} → {e.judgement.target_variant}"
        parts.append(
            f'<g class="edge {"promote" if e.score > 0 else "hinder"}"><title>{escape(ref)}: {_num(e.score)}</title>'
            f'<path d="M{sx:.1f},{sy:.1f} Q{qx:.1f},{qy:.1f} {tx:.1f},{ty:.1f}" fill="none" stroke="{colour}" '
            f'stroke-opacity="0.72" stroke-width="{width:.1f}" marker-end="url(#{escape(element_id)}-{marker})"/>'
            f'<text x="{label_x:.1f}" y="{label_y + 3:.1f}" font-size="10" text-anchor="middle" fill="{colour}" '
            f'stroke="#fbfbf8" stroke-width="3" paint-order="stroke" font-weight="bold">'
            f"{'+' if e.score > 0 else '−'}{_num(abs(e.score))}</text></g>"
        )
    fixed_set = set(fixed)
    for i, (d, v) in enumerate(zip(model.descriptors, scenario, strict=True)):
        x, y = pos[i]
        variant = d.variants[int(v)]
        is_fixed = i in fixed_set
        parts.append(
            f'<g class="node{" fixed" if is_fixed else ""}" data-descriptor="{escape(d.id)}">'
            f"<title>{escape(d.name or d.id)}: {escape(variant.name or variant.id)}</title>"
            f'<rect x="{x - NODE_W / 2:.1f}" y="{y - NODE_H / 2:.1f}" width="{NODE_W}" height="{NODE_H}" rx="7" '
            f'fill="{"#fff4d6" if is_fixed else "#ffffff"}" stroke="{"#5a4300" if is_fixed else "#8a94a6"}" '
            f'stroke-width="{2.2 if is_fixed else 1}"/>'
            f'<text x="{x:.1f}" y="{y - 4:.1f}" font-size="10" text-anchor="middle" fill="#555f6d">'
            f"{escape(_clip(d.name or d.id, 34))}</text>"
            f'<text x="{x:.1f}" y="{y + 11:.1f}" font-size="11.5" text-anchor="middle" fill="#14213d" font-weight="bold">'
            f"{escape(_clip(variant.name or variant.id, 28))}</text></g>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
