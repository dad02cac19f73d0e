"""Derived values: computed from curated observations, labelled ``derived``, never typed.

Each derivation names its formula and inputs. Its ``value_low``/``value_high`` carry the
rounding range the inputs imply (each input is taken as +-half a unit of its last
printed digit), so a reader sees how much a stated "3.3倍" leaves open.

Derivations (``docs/methods.md``, section 1):

* ``rural_disposable_income`` in the base year of a stated multiple
  (Wuling 2010 = 2019 income / 3.3);
* ``resident_population_implied`` = GDP / GDP per capita (same region, year, source);
* ``poverty_base_population_implied`` = poor population / poverty incidence (the
  population the incidence is measured against);
* ``poverty_incidence_common_base`` (regions whose ``poverty_measure`` is ``registered``) = poor
  population in year t / (poor population / incidence in the end year T): the year-t incidence on the
  end year's population base (Xiangxi 2013 on the 2019 base: 65.77 / (1.56 / 0.65%) = 27.40%); the end
  year's row is its own incidence.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, getcontext

import pandas as pd

from analysis.data.numbers import decimals_of

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


def _exact_docs(obs: pd.DataFrame, indicator: str) -> pd.DataFrame:
    return obs[(obs["indicator"] == indicator) & (obs["kind"] == "document") & (obs["qualifier"] == "exact")]


def implied_base_year_income(obs: pd.DataFrame) -> list[dict]:
    """Income in the base year of a stated multiple: ``income_T / multiple``."""
    out = []
    for _, m in _exact_docs(obs, "rural_income_multiple_2010").iterrows():
        inc = _exact_docs(obs, "rural_disposable_income")
        inc = inc[(inc["region"] == m["region"]) & (inc["year"] == m["year"])]
        if inc.empty:
            continue
        y, k = _input(inc.iloc[0]), _input(m)
        out.append(
            _row(
                m["region"],
                "rural_disposable_income",
                2010,
                y.value / k.value,
                y.low / k.high,
                y.high / k.low,
                y.unit,
                [y, k],
                f"{m['year']} rural income / stated multiple of 2010 ({y.value} / {k.value})",
            )
        )
    return out


def _ratio(
    obs: pd.DataFrame,
    num: str,
    den: str,
    target: str,
    unit: str,
    convert: Callable[[Input, Input, Decimal, Decimal], Decimal],
    formula: str,
) -> list[dict]:
    out = []
    a = _exact_docs(obs, num)
    b = _exact_docs(obs, den)
    for _, ra in a.iterrows():
        rb = b[(b["region"] == ra["region"]) & (b["year"] == ra["year"]) & (b["source_id"] == ra["source_id"])]
        if rb.empty:
            continue
        x, z = _input(ra), _input(rb.iloc[0])
        out.append(
            _row(
                ra["region"],
                target,
                int(ra["year"]),
                convert(x, z, x.value, z.value),
                convert(x, z, x.low, z.high),
                convert(x, z, x.high, z.low),
                unit,
                [x, z],
                formula.format(a=f"{x.value} {x.unit}", b=f"{z.value} {z.unit}"),
            )
        )
    return out


def _population(x: Input, z: Input, a: Decimal, b: Decimal) -> Decimal:
    # GDP in 亿元 over GDP per capita in 元, expressed in 万人.
    return a * Decimal(10) ** 8 / b / Decimal(10) ** 4


def _base_population(x: Input, z: Input, a: Decimal, b: Decimal) -> Decimal:
    # poor population in 万人 over incidence in %, expressed in 万人.
    return a / (b / 100)


def common_base_incidence(obs: pd.DataFrame, regions: Iterable[str]) -> list[dict]:
    """Registered poverty incidence on one population base: that of the last year with both a poor
    population and an incidence (exact document values of one source).

    ``H*_t = P_t / (P_T / H_T) = P_t * H_T / P_T``; the end year T gets ``H_T`` itself, so the series has
    the two ends of a change on one denominator. Only ``regions`` (those whose register changed its
    base) are derived.
    """
    out = []
    poor, inc = _exact_docs(obs, "poor_population"), _exact_docs(obs, "poverty_incidence")
    for region in sorted(set(regions)):
        p = poor[(poor["region"] == region) & (poor["unit"] == "万人")]
        h = inc[(inc["region"] == region) & (inc["unit"] == "%")]
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
                    "poverty_incidence_common_base",
                    int(r["year"]),
                    x.value * ht.value / pt.value,
                    x.low * ht.low / pt.high,
                    x.high * ht.high / pt.low,
                    "%",
                    [x, pt, ht],
                    f"{r['year']} poor population / ({end['year']} poor population / {end['year']} incidence) "
                    f"= {x.value} / ({pt.value} / {ht.value}%): the {r['year']} incidence on the {end['year']} base",
                )
            )
        out.append(
            _row(
                region,
                "poverty_incidence_common_base",
                int(end["year"]),
                ht.value,
                ht.low,
                ht.high,
                "%",
                [ht],
                f"the {end['year']} incidence on its own base ({ht.value}%), the end of the common-base series",
            )
        )
    return out


def derive_all(obs: pd.DataFrame, registered: Iterable[str] = ()) -> pd.DataFrame:
    """Compute every derived value from the validated raw observations.

    Parameters
    ----------
    obs : pandas.DataFrame
        ``RawData.observations`` (document and external rows, with ``value_decimal``).
    registered : iterable of str
        Regions whose poverty figures come from the 建档立卡 register (``poverty_measure`` of
        ``regions.csv``): they get a common-base incidence (:func:`common_base_incidence`).

    Returns
    -------
    pandas.DataFrame
        One row per derived value with columns :data:`DERIVED_COLUMNS`.
    """
    rows = implied_base_year_income(obs)
    gdp = obs[(obs["indicator"] == "gdp") & (obs["unit"] == "亿元")]
    pc = obs[(obs["indicator"] == "gdp_per_capita") & (obs["unit"] == "元")]
    rows += _ratio(
        pd.concat([gdp, pc]),
        "gdp",
        "gdp_per_capita",
        "resident_population_implied",
        "万人",
        _population,
        "GDP / GDP per capita ({a} / {b})",
    )
    poor = obs[(obs["indicator"] == "poor_population") & (obs["unit"] == "万人")]
    inc = obs[(obs["indicator"] == "poverty_incidence") & (obs["unit"] == "%")]
    rows += _ratio(
        pd.concat([poor, inc]),
        "poor_population",
        "poverty_incidence",
        "poverty_base_population_implied",
        "万人",
        _base_population,
        "poor population / poverty incidence ({a} / {b})",
    )
    rows += common_base_incidence(obs, registered)
    return pd.DataFrame(rows, columns=list(DERIVED_COLUMNS))
