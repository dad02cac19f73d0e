"""Plausibility checks: each curated value against its neighbours in the same series.

A unit slip (万元 typed for 亿元) or an index read as a change installs a value that
passes every provenance check: the printed number is in the quote, only its unit is
wrong. ``make data`` (and so ``make external``) therefore compares every document and
external value with the other values of its series (region, indicator) and refuses:

* **a jump in a level series.** For indicators whose ``measure`` in ``indicators.csv`` is
  in :data:`LEVEL_MEASURES` (levels and standards: GDP, income, population, dibao
  standards; not counts, flows, cumulative totals or rates, which legitimately start
  from small numbers or change sign), each value (in base units) is compared with its
  nearest observed years before and after, and with the other rows of its own year
  (an external figure beside a document one, alternatives of another vintage). The
  value is refused when it differs from *every* such neighbour by more than
  ``min(MAX_YEARLY_FACTOR ** gap, MAX_FACTOR)`` (``gap`` the distance in years, at
  least 1), naming file, row and column ``value`` and the unit slip the ratio suggests
  ("10,000 times smaller than its neighbours: 万元 for 亿元?");
* **a rate or share out of range.** A ``rate`` in base unit ``fraction`` must lie in
  [-1, 1] (-100% .. +100%), a ``share`` in [0, 1]: an index with the preceding year =
  100 read as a change in percent (103.6 instead of 3.6) is refused.

A value that really jumps (a census revision, a change of definition) passes when its
row states the break: its ``note`` contains :data:`BREAK_MARKER` followed by the reason,
e.g. ``[series break] fourth economic census revision``. Zero values are not compared
(no ratio), and derived values are computed from checked inputs.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

import pandas as pd

from analysis.data.units import Unit
from analysis.errors import Problem

LEVEL_MEASURES = ("level", "standard")
"""Measures (``indicators.csv``) whose values are compared with their neighbours."""

MAX_YEARLY_FACTOR = 5.0
"""Largest plausible change of a level between neighbouring years: a factor of 5. The
largest in the data is China's rural poor population 2018 -> 2019 (1660 -> 551 万人,
a factor of 3.0) as poverty approached zero."""

MAX_FACTOR = 1000.0
"""Largest plausible factor between two values of one level series however far apart, so
that a unit slip (10^4 for 万, 10^8 for 亿) is caught even across a long gap. The largest
in the data is Xiangxi's poor population 2013 -> 2019 (65.77 -> 1.56 万人, a factor of 42)."""

FRACTION_RANGE = {"rate": (Decimal(-1), Decimal(1)), "share": (Decimal(0), Decimal(1))}
"""Range of a rate and a share in base unit ``fraction`` (by measure, not by indicator)."""

BIG = Decimal("1e15")  # ratios beyond are shown in scientific notation

BREAK_MARKER = "[series break]"
"""Written in a row's ``note`` (with the reason after it), it exempts the row from the
neighbour comparison: the row states that its series breaks there."""


def _times(ratio: Decimal) -> str:
    """``10,000 times larger`` / ``10,000 times smaller`` / ``7.3 times larger``."""
    big = ratio if ratio >= 1 else 1 / ratio
    shown = f"{big:.1E}" if big >= BIG else f"{big:,.0f}" if big >= 100 else f"{big:.1f}"
    return f"{shown} times {'larger' if ratio >= 1 else 'smaller'}"


def slip_hint(ratio: Decimal, unit: str, units: dict[str, Unit]) -> str:
    """The unit slip a ratio suggests: the units whose factor would bring the value in line.

    Parameters
    ----------
    ratio : Decimal
        The value over its neighbour (both in base units).
    unit : str
        The unit the row prints.
    units : dict
        The unit table.

    Returns
    -------
    str
        ``" 万元 for 亿元?"``, a generic hint for another power of ten, or ``""`` when the
        ratio is not near a power of ten.
    """
    exponent = float(ratio.log10())
    power = round(exponent)
    if power == 0 or abs(exponent - power) > 0.35 or unit not in units:
        return ""
    own = units[unit]
    wanted = own.factor / Decimal(10) ** power
    fits = sorted(u.unit for u in units.values() if u.base_unit == own.base_unit and u.factor == wanted)
    if not fits:
        return f" A slip of 10^{abs(power)} (the wrong unit or misplaced zeros)?"
    return f" {unit} for {' or '.join(fits)}?"


def _unit_of(r: dict, units: dict[str, Unit]) -> str:
    """The unit as the row's file prints it (an external row is kept in its series unit)."""
    printed = r.get("unit_printed")
    return printed if isinstance(printed, str) and printed in units else str(r["unit"])


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _reference(values: list[Decimal]) -> Decimal:
    """The typical value of a year: the median of its rows (base units)."""
    return Decimal(statistics.median(values))


def _shown(r: dict, units: dict[str, Unit]) -> str:
    """The row's value in the unit its file prints, e.g. ``705.7 亿元``."""
    u = units[_unit_of(r, units)]
    return f"{_plain((r['_base'] - u.offset) / u.factor)} {u.unit}"


def check_series(obs: pd.DataFrame, indicators: pd.DataFrame, units: dict[str, Unit]) -> list[Problem]:
    """Refuse implausible values (see the module docstring) among the curated observations.

    Parameters
    ----------
    obs : pandas.DataFrame
        Document and external rows as :func:`analysis.data.raw.load_raw` builds them
        (``region, indicator, year, unit, value_decimal, note, source_file, source_row``).
    indicators : pandas.DataFrame
        ``indicators.csv`` (``indicator``, ``measure``).
    units : dict
        The unit table.

    Returns
    -------
    list of Problem
        One per refused row, naming its file, row and column ``value``.
    """
    measure = dict(zip(indicators["indicator"], indicators["measure"], strict=True))
    problems: list[Problem] = []
    rows = []
    for r in obs.to_dict("records") if len(obs) else []:
        v, unit = r.get("value_decimal"), r.get("unit")
        if (
            not isinstance(v, Decimal)
            or unit not in units
            or pd.isna(r.get("year"))
            or r.get("indicator") not in measure
        ):
            continue
        u = units[unit]
        base = v * u.factor + u.offset
        m = measure[r["indicator"]]
        where = (str(r["source_file"]), int(r["source_row"]))
        if m in FRACTION_RANGE and u.base_unit == "fraction":
            lo, hi = FRACTION_RANGE[m]
            if not lo <= base <= hi:
                problems.append(
                    Problem(
                        *where,
                        "value",
                        f"{r['region']} {r['indicator']} {r['year']}: {r['value']} {unit} is {float(base):.1%}, "
                        f"outside the range of a {m} ({lo:.0%} to {hi:.0%}). An index printed with the preceding "
                        "year = 100 read as a change (use the unit 上年=100), or the wrong unit?",
                    )
                )
        if m in LEVEL_MEASURES and base > 0:
            rows.append({**r, "_base": base, "_where": where})
    series: dict[tuple[str, str], dict[int, list[dict]]] = {}
    for r in rows:
        series.setdefault((r["region"], r["indicator"]), {}).setdefault(int(r["year"]), []).append(r)
    for by_year in series.values():
        years = sorted(by_year)
        for k, year in enumerate(years):
            # up to two observed years on each side: a value beside one slipped neighbour still
            # agrees with the next one, so only the slipped row is refused
            around = years[max(0, k - 2) : k] + years[k + 1 : k + 3]
            for r in by_year[year]:
                if BREAK_MARKER in str(r.get("note", "")):
                    continue
                neighbours = (
                    [(year, [o["_base"] for o in by_year[year] if o is not r])] if len(by_year[year]) > 1 else []
                )
                neighbours += [(y, [o["_base"] for o in by_year[y]]) for y in around]
                ratios = []
                for y, values in neighbours:
                    ratio = r["_base"] / _reference(values)  # decimal: 1e308 does not overflow
                    limit = Decimal(min(MAX_YEARLY_FACTOR ** max(abs(y - year), 1), MAX_FACTOR))
                    ratios.append((ratio, limit))
                if not ratios or any(1 / limit <= ratio <= limit for ratio, limit in ratios):
                    continue
                ratio = min((t[0] for t in ratios), key=lambda x: abs(x.ln()))
                unit = _unit_of(r, units)
                shown = ", ".join(f"{y}: {_shown(by_year[y][0], units)}" for y in around)
                problems.append(
                    Problem(
                        r["_where"][0],
                        r["_where"][1],
                        "value",
                        f"{r['region']} {r['indicator']} {year}: {_shown(r, units)} is {_times(ratio)} than "
                        f"its neighbours in the series ({shown}).{slip_hint(ratio, unit, units)} If the series "
                        f"really breaks here, say so in the row's note: '{BREAK_MARKER} <reason>'.",
                    )
                )
    return problems
