"""Which price index makes a money series real: the deflator columns of ``data/raw/indicators.csv``.

The facts live in the vocabulary, one row per indicator; this module reads and checks them,
and :mod:`analysis.reports.real_terms` (reports) and :mod:`analysis.metrics.audit` (the
``real_growth`` claims) apply them.

``deflator``
    How a money series is made real: ``rural_cpi`` (rural incomes, assistance standards and
    the poverty line: money of rural households), ``urban_cpi`` (urban incomes and
    standards), ``cpi`` (any other consumer money), ``volume`` (output: chain the official
    real growth rates named in ``real_growth_indicator``; a CPI is not a GDP deflator),
    ``none`` (money with no acceptable real counterpart; ``real_note`` says why), or empty
    (not deflated: rates, counts, shares, and amounts the reports do not put in real terms).
``real_growth_indicator``
    For ``volume``: the official real growth rates (比上年增长, comparable prices) to chain.
    For a CPI deflator: the official real growth NBS publishes for the series
    (扣除价格因素实际增长), the check on the CPI-deflated growth. Must be an indicator of the
    vocabulary with measure ``rate``.
``price_index``
    On an inflation indicator (``cpi_change`` ...): which of ``rural_cpi``, ``urban_cpi``,
    ``cpi`` it measures. Each is declared once; every CPI deflator in use must be declared.
``real_note``
    For ``none``: the reason shown wherever a real value is refused.

Unknown values are refused by :data:`analysis.data.schema.INDICATOR_SCHEMA` (file, row,
column and the valid choices); the rules across rows by :func:`deflator_problems`.

Examples
--------
>>> rules = default_rules()
>>> rules.rule("rural_disposable_income").deflator, rules.price_indicator("rural_cpi")
('rural_cpi', 'rural_cpi_change')
>>> kind_label("rural_cpi"), kind_label("cpi")
('rural CPI', 'CPI')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.data.csvio import iter_rows, read_table
from analysis.data.schema import INDICATOR_SCHEMA, PRICE_INDICES, validate
from analysis.errors import DataError, Problem

GENERAL_CPI = "cpi"
"""The ``price_index`` of all residents: the fallback of the rural and the urban CPI."""
VOLUME = "volume"
NONE = "none"


def kind_label(kind: str) -> str:
    """How text names a price index kind: ``rural_cpi`` -> ``rural CPI``, ``cpi`` -> ``CPI``."""
    return kind.replace("_", " ").replace("cpi", "CPI")


@dataclass(frozen=True)
class DeflatorRule:
    """The deflator columns of one indicator (empty strings where blank)."""

    indicator: str
    deflator: str = ""
    real_growth_indicator: str = ""
    real_note: str = ""

    @property
    def is_money(self) -> bool:
        """Whether the series is money that has (or is refused) a real counterpart."""
        return bool(self.deflator)

    @property
    def by_cpi(self) -> bool:
        """Whether the series is deflated by a consumer price index."""
        return self.deflator in PRICE_INDICES


@dataclass(frozen=True)
class DeflatorRules:
    """The rules of every indicator and the inflation indicator of each price index kind."""

    rules: Mapping[str, DeflatorRule]
    price_indicators: Mapping[str, str]
    """``price_index`` kind -> inflation indicator (``rural_cpi`` -> ``rural_cpi_change``)."""

    def rule(self, indicator: str) -> DeflatorRule:
        """The rule of ``indicator`` (an empty rule for an indicator not in the vocabulary)."""
        return self.rules.get(indicator, DeflatorRule(indicator))

    def price_indicator(self, kind: str) -> str:
        """The inflation indicator of a price index kind (``""`` if none is declared)."""
        return self.price_indicators.get(kind, "")

    def kind_of(self, indicator: str) -> str:
        """The price index kind an inflation indicator measures (``""`` if it is not one)."""
        return next((k for k, i in self.price_indicators.items() if i == indicator), "")


def deflator_problems(df: pd.DataFrame) -> list[Problem]:
    """Rules across the rows of ``indicators.csv`` the column schema cannot see.

    ``volume`` needs ``real_growth_indicator``; ``none`` needs ``real_note``;
    ``real_growth_indicator`` must name a ``rate`` indicator of the vocabulary; a
    ``price_index`` kind is declared once; every CPI deflator used has its index declared.
    """
    name = df.attrs.get("file", "data/raw/indicators.csv")
    measures = dict(zip(df["indicator"], df["measure"], strict=True))
    out: list[Problem] = []
    declared: dict[str, int] = {}
    for row, r in iter_rows(df):
        d, g = r["deflator"], r["real_growth_indicator"]
        if d == VOLUME and not g:
            out.append(Problem(name, row, "real_growth_indicator", "deflator 'volume' needs the indicator to chain."))
        if d == NONE and not r["real_note"]:
            out.append(Problem(name, row, "real_note", "deflator 'none' needs the reason (real_note)."))
        if g and measures.get(g) != "rate":
            what = "is not an indicator of this file" if g not in measures else "is not a rate"
            out.append(Problem(name, row, "real_growth_indicator", f"'{g}' {what}; name a growth-rate indicator."))
        if g and d not in (VOLUME, *PRICE_INDICES):
            out.append(Problem(name, row, "real_growth_indicator", f"only a deflated series has one (deflator '{d}')."))
        k = r["price_index"]
        if k and k in declared:
            out.append(Problem(name, row, "price_index", f"'{k}' is already declared on row {declared[k]}."))
        elif k:
            declared[k] = row
    for row, r in iter_rows(df):
        if r["deflator"] in PRICE_INDICES and r["deflator"] not in declared:
            out.append(
                Problem(name, row, "deflator", f"no indicator declares price_index '{r['deflator']}' in this file.")
            )
    return out


def rules_from_table(df: pd.DataFrame) -> DeflatorRules:
    """Build the rules from a validated ``indicators.csv`` table (text cells)."""
    rules = {
        r["indicator"]: DeflatorRule(r["indicator"], r["deflator"], r["real_growth_indicator"], r["real_note"])
        for _, r in iter_rows(df)
    }
    kinds = {r["price_index"]: r["indicator"] for _, r in iter_rows(df) if r["price_index"]}
    return DeflatorRules(rules, kinds)


def read_deflator_rules(path: Path | None = None) -> DeflatorRules:
    """Read, validate and return the deflator rules of ``indicators.csv``.

    Raises
    ------
    DataError
        An unknown ``deflator`` or ``price_index`` (with the valid choices) or a broken
        rule across rows, each with file, row and column.
    """
    df = read_table(path or paths.RAW / "indicators.csv", required=list(INDICATOR_SCHEMA.columns))
    problems = validate(INDICATOR_SCHEMA, df) + deflator_problems(df)
    if problems:
        raise DataError(problems)
    return rules_from_table(df)


@lru_cache(maxsize=1)
def default_rules() -> DeflatorRules:
    """The project's deflator rules (``data/raw/indicators.csv``, cached)."""
    return read_deflator_rules()
