"""A plan component in pictures and words: the payout curve (server-rendered SVG, no script,
no third-party resource) and a plain-language reading of its tiers (SPEC §7, §9).

The curve is computed with the engine's own tier arithmetic (``engine.tiers``), so what the
picture shows is what a run pays. Tiers on attainment are drawn against a quota: the plan's
fixed quota, or an example quota for ``"quota": "target"`` (each member's own target), said
so on the chart. Decimal throughout; coordinates are rounded to 0.1 px only when written.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from saleshelm.core import numbers
from saleshelm.incentives.engine import types as e
from saleshelm.incentives.engine.tiers import slices, tier_index

EXAMPLE_QUOTA = Decimal(100000)
WIDTH, HEIGHT = Decimal(420), Decimal(280)
LEFT, RIGHT, TOP, BOTTOM = Decimal(58), Decimal(14), Decimal(22), Decimal(40)
SAMPLES = 160
PX = Decimal("0.1")
ZERO = Decimal(0)


# What a plan pays on, as a word inside a sentence ("3% of each part of the revenue ...").
BASIS_WORDS = {
    "revenue": pgettext_lazy("commission basis", "revenue"),
    "gross_margin": pgettext_lazy("commission basis", "gross margin"),
    "units": pgettext_lazy("commission basis", "units"),
}


def _basis(key: str) -> str:
    return str(BASIS_WORDS.get(key, key))


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _percent(value: Decimal) -> str:
    return f"{_plain((value * 100).quantize(Decimal('0.01')))}%"


def _grouped(value: Decimal) -> str:
    """A whole number with thousands separators, for axis labels: 12500 -> "12,500"."""
    return numbers.number(value, 0)


def _money(value: Decimal, currency: str) -> str:
    return numbers.money(value, currency)


@dataclass(frozen=True)
class Curve:
    quota: Decimal | None  # the quota drawn against (None for tiers on amount without one)
    example_quota: bool  # the quota is an example (plan uses each member's target)
    x_max: Decimal  # in basis units
    points: list[tuple[Decimal, Decimal]]  # (basis, payout)


def component_quota(comp: e.Component) -> tuple[Decimal | None, bool]:
    if isinstance(comp.quota, Decimal):
        return comp.quota, False
    if comp.quota == "target":
        return EXAMPLE_QUOTA, True
    return None, False


def payout_at(comp: e.Component, value: Decimal, quota: Decimal | None) -> Decimal:
    """What the component pays for a period (or an order) whose basis is ``value``: tiers,
    threshold, bonuses and cap, exactly as the engine applies them, before rounding."""
    attainment = value / quota if quota else None
    if comp.threshold is not None and (attainment is None or attainment < comp.threshold):
        return ZERO
    scale = quota if comp.tiers_on == "attainment" and quota else Decimal(1)
    bounds = [t.start * scale for t in comp.tiers]
    if comp.flat_amounts:
        reached = tier_index(value, bounds)
        picked = range(reached + 1) if comp.mode == "marginal" else (reached,)
        paid = sum((comp.tiers[i].amount or ZERO for i in picked), ZERO)
    elif comp.mode == "marginal":
        paid = sum(
            (p * (t.rate or ZERO) for p, t in zip(slices(value, bounds), comp.tiers, strict=True)),
            ZERO,
        )
    else:
        paid = value * (comp.tiers[tier_index(value, bounds)].rate or ZERO)
    if attainment is not None:
        paid += sum((b.amount for b in comp.bonuses if attainment >= b.at), ZERO)
    if comp.cap is not None:
        paid = min(paid, comp.cap)
    return paid


def curve(comp: e.Component) -> Curve:
    quota, example = component_quota(comp)
    scale = quota if comp.tiers_on == "attainment" and quota else Decimal(1)
    marks = [t.start * scale for t in comp.tiers]
    if quota:
        marks += [b.at * quota for b in comp.bonuses]
        if comp.threshold is not None:
            marks.append(comp.threshold * quota)
    top = max([*marks, ZERO])
    if top <= 0:
        top = quota or EXAMPLE_QUOTA
    x_max = top * Decimal("1.5")
    if quota and comp.tiers_on == "attainment":
        x_max = max(x_max, quota * Decimal("1.5"))
    step = x_max / SAMPLES
    xs = {step * i for i in range(SAMPLES + 1)}
    # Both sides of every boundary, so steps are drawn as steps.
    nudge = x_max / 100000
    for m in marks:
        if 0 < m <= x_max:
            xs.update({m, m - nudge})
    points = [(x, payout_at(comp, x, quota)) for x in sorted(xs)]
    return Curve(quota, example, x_max, points)


def _nice(value: Decimal) -> Decimal:
    """A round number at or above ``value`` for an axis end (1, 2, 2.5 or 5 × 10^n)."""
    if value <= 0:
        return Decimal(1)
    exponent = value.adjusted()
    base = Decimal(10) ** exponent
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if base * factor >= value:
            return base * factor
    return base * 10


def _px(value: Decimal) -> str:
    return str(value.quantize(PX, rounding=ROUND_HALF_UP))


def curve_svg(comp: e.Component, currency: str) -> SafeString:
    """The payout curve of one component as an inline, accessible SVG."""
    c = curve(comp)
    y_top = _nice(max((p for _x, p in c.points), default=ZERO) * Decimal("1.1"))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def sx(x: Decimal) -> Decimal:
        return LEFT + plot_w * x / c.x_max

    def sy(y: Decimal) -> Decimal:
        return TOP + plot_h - plot_h * y / y_top

    on_attainment = comp.tiers_on == "attainment" and c.quota
    path = " ".join(
        f"{'M' if i == 0 else 'L'}{_px(sx(x))},{_px(sy(y))}" for i, (x, y) in enumerate(c.points)
    )
    parts: list[str] = []
    # Horizontal grid and y labels.
    for i in range(5):
        value = y_top * i / 4
        y = _px(sy(value))
        parts.append(
            f'<line class="pc-grid" x1="{_px(LEFT)}" y1="{y}" x2="{_px(WIDTH - RIGHT)}" y2="{y}"/>'
        )
        parts.append(
            f'<text class="pc-label" x="{_px(LEFT - 6)}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(_grouped(value))}</text>'
        )
    parts.append(
        f'<text class="pc-axis" x="{_px(LEFT - 6)}" y="{_px(TOP - 8)}" '
        f'text-anchor="end">{escape(currency)}</text>'
    )
    # Tier boundaries and x labels.
    scale = c.quota if on_attainment else Decimal(1)
    for tier in comp.tiers:
        x_value = tier.start * (scale or Decimal(1))
        if x_value < 0 or x_value > c.x_max:
            continue
        x = _px(sx(x_value))
        label = _percent(tier.start) if on_attainment else _grouped(tier.start)
        parts.append(
            f'<line class="pc-tier" x1="{x}" y1="{_px(TOP)}" x2="{x}" y2="{_px(HEIGHT - BOTTOM)}"/>'
        )
        parts.append(
            f'<text class="pc-label" x="{x}" y="{_px(HEIGHT - BOTTOM + 16)}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    axis_label = (
        _("Attainment of quota")
        if on_attainment
        else _("Credited %(basis)s") % {"basis": _basis(comp.basis)}
    )
    if c.example_quota:
        axis_label += " · " + _("example quota %(quota)s") % {
            "quota": _money(c.quota or ZERO, currency)
        }
    parts.append(
        f'<text class="pc-axis" x="{_px(LEFT + plot_w / 2)}" y="{_px(HEIGHT - 6)}" '
        f'text-anchor="middle">{escape(axis_label)}</text>'
    )
    parts.append(
        f'<line class="pc-axisline" x1="{_px(LEFT)}" y1="{_px(HEIGHT - BOTTOM)}" '
        f'x2="{_px(WIDTH - RIGHT)}" y2="{_px(HEIGHT - BOTTOM)}"/>'
    )
    parts.append(f'<path class="pc-curve" d="{path}"/>')
    title = _("Payout curve of %(name)s") % {"name": comp.name}
    description = " ".join(explain(comp, currency))
    svg = (
        f'<svg class="payout-curve" viewBox="0 0 {_px(WIDTH)} {_px(HEIGHT)}" role="img" '
        f'aria-labelledby="pc-title pc-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="pc-title">{escape(title)}</title><desc id="pc-desc">{escape(description)}</desc>'
        + "".join(parts)
        + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308  every text above is escaped, numbers are formatted


def explain(comp: e.Component, currency: str) -> list[str]:
    """The component in sentences a salesperson can check a statement against."""
    on_attainment = comp.tiers_on == "attainment"
    out: list[str] = []
    if comp.quota == "target":
        out.append(_("Measured against your own target for the period."))
    elif isinstance(comp.quota, Decimal):
        out.append(_("Measured against a quota of %(q)s.") % {"q": _money(comp.quota, currency)})
    n = len(comp.tiers)
    for i, tier in enumerate(comp.tiers):
        start = _percent(tier.start) if on_attainment else _plain(tier.start)
        end = None
        if i + 1 < n:
            nxt = comp.tiers[i + 1].start
            end = _percent(nxt) if on_attainment else _plain(nxt)
        span = (
            _("From %(start)s up to %(end)s") % {"start": start, "end": end}
            if end is not None
            else _("From %(start)s on") % {"start": start}
        )
        if tier.amount is not None:
            what = _("%(amount)s") % {"amount": _money(tier.amount, currency)}
        elif comp.mode == "marginal":
            what = _("%(rate)s of each part of the %(basis)s in this range") % {
                "rate": _percent(tier.rate or ZERO),
                "basis": _basis(comp.basis),
            }
        else:
            what = _("%(rate)s of the whole %(basis)s once this tier is reached") % {
                "rate": _percent(tier.rate or ZERO),
                "basis": _basis(comp.basis),
            }
        out.append(f"{span}: {what}.")
    if comp.applies_to == "order":
        out.append(_("Tiers are measured on each order separately."))
    if comp.threshold is not None:
        out.append(_("Nothing is paid below %(t)s of quota.") % {"t": _percent(comp.threshold)})
    for bonus in sorted(comp.bonuses, key=lambda b: b.at):
        out.append(
            _("A bonus of %(amount)s at %(at)s of quota, once per period.")
            % {"amount": _money(bonus.amount, currency), "at": _percent(bonus.at)}
        )
    if comp.cap is not None:
        out.append(
            _("The component pays at most %(cap)s per period, bonuses included.")
            % {"cap": _money(comp.cap, currency)}
        )
    return out
