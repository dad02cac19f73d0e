"""Derived values: computed from curated observations, labelled ``derived``, never typed.

What is derived, from which indicators and in which units, is data: one row per derived
indicator in ``data/raw/derivations.csv`` (validated by :func:`analysis.data.vocab.check_derivations`).
This module holds only the formulas of its three ``rule`` values (``docs/methods.md``, section 1):

* ``base_year``: the ``numerator`` indicator in the base ``year`` of a stated multiple
  (``denominator``, a multiple of that year's level): ``level_T / multiple``;
* ``ratio``: ``numerator / denominator`` of the same region, year and source, converted with
  the factors of ``data/raw/units.csv`` from the inputs' units to the rule's ``unit``
  (GDP in 亿元 over GDP per capita in 元 is a population in 万人);
* ``common_base`` (regions whose ``poverty_measure`` is ``registered``): the rate
  ``denominator`` of year t put on the base of the end year T, the last year with both a
  ``numerator`` (a count) and the rate: ``P_t / (P_T / H_T)``; the end year's row is its own rate.

Each derivation names its formula and inputs (the rule's ``formula`` column). Its
``value_low``/``value_high`` carry the rounding range the inputs imply (each input is taken
as +-half a unit of its last printed digit), so a reader sees how much a stated "3.3倍" leaves open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, getcontext

import pandas as pd

from analysis.data.csvio import iter_rows
from analysis.data.numbers import decimals_of
from analysis.data.units import Unit
from analysis.errors import DataError, Problem

getcontext().prec = 28

DERIVED_COLUMNS = (
    "obs_id",
    "region",
    "indicator",
    "year",
    "value",
    "unit",
    "value_low",
    "value_high",
    "kind",
    "source_id",
    "quote",
    "note",
)


@dataclass(frozen=True)
class Input:
    """A curated observation with its printed precision."""

    value: Decimal
    unit: str
    half: Decimal  # half a unit of the last printed digit
    source_id: str
    quote: str
    obs_id: str

    @property
    def low(self) -> Decimal:
        return self.value - self.half

    @property
    def high(self) -> Decimal:
        return self.value + self.half


def _input(r: pd.Series) -> Input:
    half = Decimal(1).scaleb(-decimals_of(r["value_printed"])) / 2
    return Input(Decimal(str(r["value_decimal"])), r["unit"], half, r["source_id"], r["quote"], r["obs_id"])


def _row(
    region: str,
    indicator: str,
    year: int,
    value: Decimal,
    low: Decimal,
    high: Decimal,
    unit: str,
    inputs: list[Input],
    formula: str,
    places: int = 2,
) -> dict:
    q = Decimal(1).scaleb(-places)
    lo, hi = sorted((low, high))
    return {
        "obs_id": f"{region.lower()}.{indicator}.{year}.derived",
        "region": region,
        "indicator": indicator,
        "year": year,
        "value": value.quantize(q),
        "unit": unit,
        "value_low": lo.quantize(q),
        "value_high": hi.quantize(q),
        "kind": "derived",
        "source_id": " ".join(dict.fromkeys(i.source_id for i in inputs)),
        "quote": " | ".join(dict.fromkeys(i.quote for i in inputs)),
        "note": f"derived: {formula} (inputs {', '.join(i.obs_id for i in inputs)}); "
        f"range from input rounding {lo.quantize(q)}-{hi.quantize(q)}",
    }


def _exact_docs(obs: pd.DataFrame, indicator: str, unit: str = "") -> pd.DataFrame:
    """Exact document values of ``indicator`` (in ``unit`` when one is given)."""
    keep = (obs["indicator"] == indicator) & (obs["kind"] == "document") & (obs["qualifier"] == "exact")
    if unit:
        keep &= obs["unit"] == unit
    return obs[keep]


def _formula(rule: Mapping[str, str], **fields: object) -> str:
    return str(rule["formula"]).format(**fields)


def implied_base_year_income(obs: pd.DataFrame, rule: Mapping[str, str]) -> list[dict]:
    """A level in the base year of a stated multiple: ``level_T / multiple`` (a ``base_year`` rule)."""
    out = []
    base = int(rule["year"])
    levels = _exact_docs(obs, rule["numerator"], rule["numerator_unit"])
    for _, m in _exact_docs(obs, rule["denominator"], rule["denominator_unit"]).iterrows():
        inc = levels[(levels["region"] == m["region"]) & (levels["year"] == m["year"])]
        if inc.empty:
            continue
        y, k = _input(inc.iloc[0]), _input(m)
        out.append(
            _row(
                m["region"],
                rule["derived"],
                base,
                y.value / k.value,
                y.low / k.high,
                y.high / k.low,
                y.unit,
                [y, k],
                _formula(rule, year=m["year"], base=base, num=y.value, den=k.value),
            )
        )
    return out


def _ratio(obs: pd.DataFrame, rule: Mapping[str, str], units: Mapping[str, Unit]) -> list[dict]:
    """``numerator / denominator`` of one region, year and source, in the rule's ``unit`` (a ``ratio`` rule)."""
    f_num, f_den = units[rule["numerator_unit"]].factor, units[rule["denominator_unit"]].factor
    f_out = units[rule["unit"]].factor

    def convert(a: Decimal, b: Decimal) -> Decimal:
        return a * f_num / (b * f_den) / f_out

    out = []
    a = _exact_docs(obs, rule["numerator"], rule["numerator_unit"])
    b = _exact_docs(obs, rule["denominator"], rule["denominator_unit"])
    for _, ra in a.iterrows():
        rb = b[(b["region"] == ra["region"]) & (b["year"] == ra["year"]) & (b["source_id"] == ra["source_id"])]
        if rb.empty:
            continue
        x, z = _input(ra), _input(rb.iloc[0])
        out.append(
            _row(
                ra["region"],
                rule["derived"],
                int(ra["year"]),
                convert(x.value, z.value),
                convert(x.low, z.high),
                convert(x.high, z.low),
                rule["unit"],
                [x, z],
                _formula(rule, num=x.value, num_unit=x.unit, den=z.value, den_unit=z.unit),
            )
        )
    return out


def common_base_incidence(obs: pd.DataFrame, regions: Iterable[str], rule: Mapping[str, str]) -> list[dict]:
    """A rate on one population base: that of the last year with both a count and the rate (exact
    document values of one source); a ``common_base`` rule (registered poverty incidence).

    ``H*_t = P_t / (P_T / H_T) = P_t * H_T / P_T``; the end year T gets ``H_T`` itself, so the series has
    the two ends of a change on one denominator. Only ``regions`` (those whose register changed its
    base) are derived.
    """
    out = []
    poor = _exact_docs(obs, rule["numerator"], rule["numerator_unit"])
    inc = _exact_docs(obs, rule["denominator"], rule["denominator_unit"])
    for region in sorted(set(regions)):
        p = poor[poor["region"] == region]
        h = inc[inc["region"] == region]
        both = p.merge(h, on=["year", "source_id"], suffixes=("_p", "_h"))
        if both.empty:
            continue
        end = both.sort_values("year").iloc[-1]
        r_end = p[(p["year"] == end["year"]) & (p["source_id"] == end["source_id"])].iloc[0]
        h_end = h[(h["year"] == end["year"]) & (h["source_id"] == end["source_id"])].iloc[0]
        pt, ht = _input(r_end), _input(h_end)
        for _, r in p[(p["year"] < end["year"]) & (p["source_id"] == end["source_id"])].iterrows():
            x = _input(r)
            out.append(
                _row(
                    region,
                    rule["derived"],
                    int(r["year"]),
                    x.value * ht.value / pt.value,
                    x.low * ht.low / pt.high,
                    x.high * ht.high / pt.low,
                    rule["unit"],
                    [x, pt, ht],
                    _formula(rule, year=r["year"], end=end["year"], num=x.value, num_end=pt.value, den_end=ht.value),
                )
            )
        out.append(
            _row(
                region,
                rule["derived"],
                int(end["year"]),
                ht.value,
                ht.low,
                ht.high,
                rule["unit"],
                [ht],
                f"the {end['year']} incidence on its own base ({ht.value}%), the end of the common-base series",
            )
        )
    return out


RULES: dict[str, Callable[[pd.DataFrame, Mapping[str, str], Mapping[str, Unit], Iterable[str]], list[dict]]] = {
    "base_year": lambda obs, rule, units, registered: implied_base_year_income(obs, rule),
    "ratio": lambda obs, rule, units, registered: _ratio(obs, rule, units),
    "common_base": lambda obs, rule, units, registered: common_base_incidence(obs, registered, rule),
}
"""The formula of each ``rule`` of ``data/raw/derivations.csv`` (:data:`analysis.data.schema.DERIVATION_RULES`)."""


def derive_all(
    obs: pd.DataFrame, rules: pd.DataFrame, units: Mapping[str, Unit], registered: Iterable[str] = ()
) -> pd.DataFrame:
    """Compute every derived value from the validated raw observations.

    Parameters
    ----------
    obs : pandas.DataFrame
        ``RawData.observations`` (document and external rows, with ``value_decimal``).
    rules : pandas.DataFrame
        ``data/raw/derivations.csv`` as :func:`analysis.data.vocab.load_derivations` returns it
        (validated; index = line numbers, ``attrs['file']`` its name).
    units : mapping of str to Unit
        The unit table (``RawData.units``): the factors of a ``ratio`` rule.
    registered : iterable of str
        Regions whose poverty figures come from the 建档立卡 register (``poverty_measure`` of
        ``regions.csv``): they get a ``common_base`` rule's series (:func:`common_base_incidence`).

    Returns
    -------
    pandas.DataFrame
        One row per derived value with columns :data:`DERIVED_COLUMNS`.

    Raises
    ------
    DataError
        A rule that derives no value from the data (its indicators or units match no exact
        document values), naming the file, row and ``numerator`` column.
    """
    registered = list(registered)
    rows: list[dict] = []
    problems: list[Problem] = []
    name = rules.attrs.get("file", "data/raw/derivations.csv")
    for row, rule in iter_rows(rules):
        got = RULES[rule["rule"]](obs, rule, units, registered)
        if not got:
            problems.append(
                Problem(
                    name,
                    row,
                    "numerator",
                    f"the {rule['rule']} rule for '{rule['derived']}' derives no value: no exact document values of "
                    f"'{rule['numerator']}' ({rule['numerator_unit'] or 'any unit'}) and '{rule['denominator']}' "
                    f"({rule['denominator_unit'] or 'any unit'}) of one region and year.",
                )
            )
        rows += got
    if problems:
        raise DataError(problems)
    return pd.DataFrame(rows, columns=list(DERIVED_COLUMNS))
