"""The right deflator: rural money by the rural CPI, urban by the urban CPI, one index per window.

Hand computations from the external figures (data/raw/external/figures.csv, processed into
data/processed/observations.csv). Rates of the year over the previous one, in %:

=====  ========  ==========  ==========
year   CPI       rural CPI   urban CPI
=====  ========  ==========  ==========
2011   5.4       5.8         5.3
2012   2.6       2.5         2.7
2013   2.6       2.8         2.6
2014   2.0       1.8         2.1
2015   1.4       1.3         1.5
2016   2.0       --          --
2017   1.6       1.3         1.7
2018   2.1       --          --
2019   2.9       --          --
2020   2.5       --          --
=====  ========  ==========  ==========

(rows china.cpi_change.<year>.ext, china.rural_cpi_change.<year>.ext, china.urban_cpi_change.<year>.ext;
the rural and urban 2010, 2011 and 2017 rates are printed as indices with the preceding year = 100).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.data.build import build
from analysis.data.deflators import default_rules, read_deflator_rules
from analysis.data.load import get_series, load_observations
from analysis.errors import DataError
from analysis.metrics import prices as pr
from analysis.metrics.audit import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, audit_claims
from analysis.reports import growth as gr
from analysis.reports import real_terms as rt
from helpers import read_rows, write_rows

C, X, N = CONSISTENT, INCONSISTENT, NOT_CHECKABLE
KINDS = ("document", "external", "derived")
XIANGXI_PROXY = "China index used for Xiangxi, which has no price index of its own in the data"


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return load_observations()


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return audit_claims().set_index("claim_id")


# ------------------------------------------------------------------------- the audit's real growth claims

REJUDGED = {
    # claim: (verdict before with the national CPI, value before; verdict now with the rural CPI, value now)
    # ext.c10, China rural disposable income 2017 (13432 / 12363 = 1.086467), stated 7.3 [7.25, 7.35]:
    # national CPI 1.6%: 1.086467 / 1.016 = 1.069357, 6.94% (inconsistent);
    # rural CPI 1.3% (china.rural_cpi_change.2017.ext, printed 101.3): 1.086467 / 1.013 = 1.072524, 7.25%
    "ext.c10": (X, 100 * ((13432 / 12363) / 1.016 - 1), C, 100 * ((13432 / 12363) / 1.013 - 1)),
    # ext.c19, China rural net income 2011 (6977 / 5919 = 1.178746), stated 11.4:
    # national 5.4%: 11.84% (inconsistent); rural 5.8% (printed 105.8): 1.178746 / 1.058 = 1.114127, 11.41%
    "ext.c19": (X, 100 * ((6977 / 5919) / 1.054 - 1), C, 100 * ((6977 / 5919) / 1.058 - 1)),
    # ext.c20, China rural net income 2012 (7917 / 6977 = 1.134729), stated 10.7:
    # national 2.6%: 10.60% (consistent only through the input rounding); rural 2.5%: 1.107053, 10.71%
    "ext.c20": (C, 100 * ((7917 / 6977) / 1.026 - 1), C, 100 * ((7917 / 6977) / 1.025 - 1)),
}

MISSING_RURAL_CPI = {
    # claim: (year, verdict before with the national CPI, value before); now not checkable
    "ext.c08": (2016, C, 100 * ((12363 / 11422) / 1.020 - 1)),  # 6.12 vs 6.2, only through the input rounding
    "ext.c12": (2018, C, 100 * ((14617 / 13432) / 1.021 - 1)),  # 6.58 vs 6.6
    "ext.c14": (2019, X, 100 * ((16021 / 14617) / 1.029 - 1)),  # 6.52 vs 6.2
    "ext.c16": (2020, X, 100 * ((17131 / 16021) / 1.025 - 1)),  # 4.32 vs 3.8
}


@pytest.mark.parametrize("claim_id", sorted(REJUDGED))
def test_real_growth_claims_deflated_by_the_rural_cpi(claims, claim_id):
    _, before, verdict, value = REJUDGED[claim_id]
    r = claims.loc[claim_id]
    assert r.verdict == verdict, r.reason
    assert r.recomputed == pytest.approx(value, rel=1e-9)
    assert abs(r.recomputed - before) > 0.1  # the national CPI gave another value
    assert "deflated with the rural CPI, china.rural_cpi_change." in r.reason
    assert "rural_cpi_change" in r.inputs and "china.cpi_change" not in r.inputs


def test_the_hand_values_of_the_brief(claims):
    # 13432/12363 = 1.086467, /1.013 = 1.072524: 7.25% against 7.3 (stands for 7.25 to 7.35)
    assert round(claims.loc["ext.c10", "recomputed"], 2) == 7.25
    assert round(claims.loc["ext.c19", "recomputed"], 2) == 11.41
    assert round(claims.loc["ext.c20", "recomputed"], 2) == 10.71
    # ext.c06 (2015) and ext.c18 (2013) were already deflated by the rural CPI and stay consistent:
    # (11422 / 10489) / 1.013 = 7.50%; (8896 / 7917) / 1.028 = 9.31%
    assert claims.loc["ext.c06", "verdict"] == C and round(claims.loc["ext.c06", "recomputed"], 2) == 7.50
    assert claims.loc["ext.c18", "verdict"] == C and round(claims.loc["ext.c18", "recomputed"], 2) == 9.31


@pytest.mark.parametrize("claim_id", sorted(MISSING_RURAL_CPI))
def test_real_growth_claims_without_their_rural_cpi_are_not_checkable(claims, claim_id):
    year, _, before = MISSING_RURAL_CPI[claim_id]
    r = claims.loc[claim_id]
    assert r.verdict == N and math.isnan(r.recomputed) and r.missing == "deflator"
    assert f"the rural CPI of {year} (china.rural_cpi_change.{year}) is not in the data" in r.reason
    # the national CPI of the year is in the data, named, and not used
    assert f"china.cpi_change.{year}.ext" in r.reason and "not used in its place" in r.reason
    assert not math.isnan(before)


BEFORE = {cid: (v[0], v[1]) for cid, v in REJUDGED.items()} | {
    cid: (v[1], v[2]) for cid, v in MISSING_RURAL_CPI.items()
}


@pytest.mark.parametrize("claim_id", sorted(BEFORE))
def test_the_verdicts_before_with_the_national_cpi(obs, claim_id):
    """The same arithmetic on the national CPI of the year (the register's old third input) gives the old verdict."""
    from analysis.data.load import load_claims
    from analysis.metrics.claims import Claim, Context, evaluate

    row = load_claims().set_index("claim_id").loc[claim_id]
    claim = Claim.from_row({**row.to_dict(), "claim_id": claim_id})
    ctx = Context.of(obs)
    a, b = (ctx.by_id[i] for i in claim.inputs[:2])
    p = ctx.by_id[f"china.cpi_change.{b.year}.ext"]
    res = evaluate(claim, lambda x, y, z: 100 * ((y / x) / (1 + z / 100) - 1), [a, b, p], "old")
    verdict, value = BEFORE[claim_id]
    assert res.verdict == verdict and res.recomputed == pytest.approx(value, rel=1e-9)


def test_real_growth_verdict_counts(claims):
    ext = claims[claims["source_id"] == "external"]
    real = ext[ext["claim_type"] == "real_growth"]
    # 9 real growth claims: 5 consistent (c06, c10, c18, c19, c20), 4 not checkable (c08, c12, c14, c16);
    # with the national CPI they were 5 consistent (c06, c08, c12, c18, c20) and 4 inconsistent
    assert dict(real["verdict"].value_counts()) == {C: 5, N: 4}
    assert (ext["verdict"] == X).sum() == 0  # was 4 (ext.c10, c14, c16, c19)


def _register(claim_id: str, **change: str) -> pd.DataFrame:
    from analysis.data.load import load_claims

    reg = load_claims()
    reg = reg[reg["claim_id"] == claim_id].copy()
    for k, v in change.items():
        reg[k] = v
    return reg


def test_the_national_cpi_given_for_rural_income_is_refused_not_judged(obs):
    # the register row of ext.c10 as it was (national CPI 2017): now not checkable, never 6.94% inconsistent
    old = _register(
        "ext.c10",
        inputs="china.rural_disposable_income.2016.ext china.rural_disposable_income.2017.ext china.cpi_change.2017.ext",
    )
    r = audit_claims(old, obs).iloc[0]
    assert r.verdict == N and r.missing == "deflator"
    assert "the register deflates with china.cpi_change.2017.ext" in r.reason
    assert "deflated by the rural CPI (deflator of rural_disposable_income in data/raw/indicators.csv)" in r.reason


def test_a_rural_cpi_added_to_the_data_makes_the_claim_checkable(obs):
    # the two-level row of ext.c08 looks its deflator up: with a (synthetic) 2016 rural CPI of 1.9%
    # (12363 / 11422) / 1.019 = 1.082385 / 1.019 = 1.062203: 6.22% against 6.2 -> consistent
    row = obs[obs["obs_id"] == "china.rural_cpi_change.2017.ext"].copy()
    row["obs_id"], row["year"], row["value"], row["value_base"] = "china.rural_cpi_change.2016.ext", 2016, 1.9, 0.019
    row["value_printed"], row["unit_printed"] = "1.9", "%"
    r = audit_claims(_register("ext.c08"), pd.concat([obs, row], ignore_index=True)).iloc[0]
    assert r.verdict == C and r.recomputed == pytest.approx(100 * ((12363 / 11422) / 1.019 - 1), rel=1e-9)
    assert "china.rural_cpi_change.2016.ext" in r.reason


# ------------------------------------------------------------------------- the index of a real growth rate


def _real(region: str, indicator: str, start: int, end: int, obs: pd.DataFrame) -> rt.RealGrowth:
    return rt.real_growth(get_series(region, indicator, KINDS), start, end, KINDS, obs)


def test_xiangxi_rural_income_2014_2018_uses_the_national_cpi_as_a_named_proxy(obs):
    g = _real("Xiangxi", "rural_disposable_income", 2014, 2018, obs)
    # the rural CPI lacks 2016 and 2018, so the CPI of all residents deflates every year:
    # 1.014 * 1.020 * 1.016 * 1.021 = 1.072896; 9183 / 5891 = 1.558818; (1.558818 / 1.072896)^(1/4) - 1 = 9.79%
    assert round(100 * g.real_cagr, 2) == 9.79
    assert g.index == f"China CPI (proxy: the rural CPI lacks 2016, 2018; {XIANGXI_PROXY})"
    assert g.index_series == "china.cpi_change" and g.proxy.startswith("proxy: the rural CPI lacks 2016, 2018")
    # a mix (rural 2015 1.3 and 2017 1.3, national 2016 2.0 and 2018 2.1) would give
    # (1.558818 / (1.013 * 1.020 * 1.013 * 1.021))^(1/4) - 1 = 9.90%, which is not what is used
    mixed = (9183 / 5891 / (1.013 * 1.020 * 1.013 * 1.021)) ** 0.25 - 1
    assert round(100 * mixed, 2) == 9.90


def test_a_window_the_rural_cpi_covers_is_deflated_by_it(obs):
    g = _real("China", "rural_net_income", 2010, 2013, obs)
    # rural CPI 2011-2013: 1.058 * 1.025 * 1.028 = 1.114820; 8896 / 5919 = 1.502957;
    # (1.502957 / 1.114820)^(1/3) - 1 = 10.47%; official real growth 11.4, 10.7, 9.3% chained:
    # (1.114 * 1.107 * 1.093)^(1/3) - 1 = 10.46%; gap +0.01 pp a year
    assert g.index == "China rural CPI" and g.proxy == "" and g.index_series == "china.rural_cpi_change"
    assert round(100 * g.real_cagr, 2) == 10.47 and round(100 * g.official, 2) == 10.46
    assert round(100 * g.gap, 2) == 0.01
    # Xiangxi 2012-2015 (4229 -> 6648): the national rural CPI, a proxy only for the region:
    # 6648 / 4229 = 1.571530; 1.028 * 1.018 * 1.013 = 1.060102; (1.571530 / 1.060102)^(1/3) - 1 = 14.03%
    x = _real("Xiangxi", "rural_disposable_income", 2012, 2015, obs)
    assert x.index == f"China rural CPI (proxy: {XIANGXI_PROXY})" and round(100 * x.real_cagr, 2) == 14.03


def test_one_index_per_window_never_a_mix(obs):
    # China rural income 2015 -> 2017 (11422 -> 13432): the rural CPI has 2017 (1.3) but not 2016, so the
    # national CPI deflates both years: (13432 / 11422) / (1.020 * 1.016) = 1.175976 / 1.03632 = 1.134758,
    # sqrt - 1 = 6.53% (with the rural 2017 rate mixed in it would be sqrt(1.175976 / 1.03326) - 1 = 6.68%)
    s = get_series("China", "rural_disposable_income", KINDS)
    s = s[s["year"].isin([2015, 2017])]
    g = rt.real_growth(s, 2015, 2017, KINDS, obs)
    assert round(100 * g.real_cagr, 2) == 6.53
    assert g.index == "China CPI (proxy: the rural CPI lacks 2016)"


def test_urban_income_by_the_urban_cpi_else_the_national_cpi(obs):
    # Xiangxi urban income 2015 -> 2017 (19267 -> 22790): the urban CPI lacks 2016, so the CPI:
    # 22790 / 19267 = 1.182851; / (1.020 * 1.016) = 1.141396; sqrt - 1 = 6.84%
    g = _real("Xiangxi", "urban_disposable_income", 2015, 2017, obs)
    assert round(100 * g.real_cagr, 2) == 6.84
    assert g.index == f"China CPI (proxy: the urban CPI lacks 2016; {XIANGXI_PROXY})"
    # a window the urban CPI covers (synthetic China series 100 -> 120, 2012-2015):
    # 1.026 * 1.021 * 1.015 = 1.063264; (1.2 / 1.063264)^(1/3) - 1 = 4.12%
    s = pd.DataFrame(
        {"region": "China", "indicator": "urban_disposable_income", "year": [2012, 2015], "value": [100.0, 120.0]}
    )
    u = rt.real_growth(s, 2012, 2015, KINDS, obs)
    assert u.index == "China urban CPI" and round(100 * u.real_cagr, 2) == 4.12


def test_gdp_and_gdp_per_capita_follow_the_vocabulary(obs):
    assert [c.indicator for c in rt.candidates("China", "gdp", KINDS, obs)] == ["gdp_real_growth"]
    g = _real("Xiangxi", "gdp_per_capita", 2013, 2019, obs)
    assert g.real_cagr is None and g.reason == default_rules().rule("gdp_per_capita").real_note
    assert "a CPI is not a GDP deflator" in g.reason
    assert not rt.is_money("poverty_incidence") and rt.candidates("Xiangxi", "poverty_incidence", KINDS, obs) == []


def test_choose_index_names_what_the_preferred_index_lacks():
    want = {"wanted": "rural CPI", "for_region": "China"}
    rural = pr.PriceIndex("China rural CPI", "China", "rural_cpi_change", {2015: 0.013}, what="rural CPI", **want)
    cpi = pr.PriceIndex("China CPI", "China", "cpi_change", {2015: 0.014, 2016: 0.02}, what="CPI", **want)
    assert pr.choose_index([rural, cpi], 2014, 2015) is rural
    assert pr.choose_index([rural, cpi], 2014, 2016).description == "China CPI (proxy: the rural CPI lacks 2016)"
    assert pr.choose_index([cpi], 2014, 2016).description == "China CPI (proxy: no rural CPI in the data)"


def test_growth_table_names_the_index_and_the_proxy(tmp_path):
    run = gr.prepare(
        region="Xiangxi", indicator="rural_disposable_income", start_year=2014, end_year=2018, output_dir=str(tmp_path)
    )
    r = gr.build_table(run).iloc[0]
    assert (int(r["start_year"]), int(r["end_year"])) == (2014, 2018) and round(100 * r["real_cagr"], 2) == 9.79
    assert r["price_index_series"] == "china.cpi_change"
    assert r["price_index_proxy"] == f"proxy: the rural CPI lacks 2016, 2018; {XIANGXI_PROXY}"
    assert r["price_index"] == f"China CPI ({r['price_index_proxy']})"


# ------------------------------------------------------------------------- the vocabulary refuses bad rules


def _indicators(tmp_path: Path, edit) -> Path:
    from analysis import paths

    rows = read_rows(paths.RAW / "indicators.csv")
    edit({r["indicator"]: r for r in rows})
    out = tmp_path / "indicators.csv"
    write_rows(out, rows)
    return out


@pytest.mark.parametrize(
    ("edit", "row", "column", "needle"),
    [
        (
            lambda r: r["rural_disposable_income"].update(deflator="rural_CPI"),
            7,
            "deflator",
            "unknown deflator; valid: rural_cpi, urban_cpi, cpi, volume, none, or empty (got 'rural_CPI')",
        ),
        (
            lambda r: r["cpi_change"].update(price_index="national"),
            None,
            "price_index",
            "unknown price_index; valid: rural_cpi, urban_cpi, cpi, or empty",
        ),
        (lambda r: r["gdp"].update(real_growth_indicator=""), 2, "real_growth_indicator", "needs the indicator"),
        (lambda r: r["gdp_per_capita"].update(real_note=""), 3, "real_note", "needs the reason"),
        (
            lambda r: r["rural_net_income"].update(real_growth_indicator="rural_net_income"),
            None,
            "real_growth_indicator",
            "is not a rate",
        ),
        (lambda r: r["cpi_change"].update(price_index="rural_cpi"), None, "price_index", "already declared"),
    ],
)
def test_a_bad_deflator_rule_is_refused_with_file_row_column(tmp_path, edit, row, column, needle):
    path = _indicators(tmp_path, edit)
    with pytest.raises(DataError) as exc:
        read_deflator_rules(path)
    problems = [str(p) for p in exc.value.problems]
    where = f", row {row}, " if row else ", row "
    hits = [p for p in problems if "indicators.csv" in p and where in p and f"column '{column}'" in p and needle in p]
    assert hits, problems


def test_make_data_refuses_an_unknown_deflator(raw_copy):
    rows = read_rows(raw_copy / "indicators.csv")
    rows[5]["deflator"] = "rural"  # line 7: rural_disposable_income (header is line 1)
    assert rows[5]["indicator"] == "rural_disposable_income"
    write_rows(raw_copy / "indicators.csv", rows)
    with pytest.raises(DataError) as exc:
        build(raw_copy, raw_copy.parent / "out_unused")
    problems = [str(p) for p in exc.value.problems]
    assert any(
        "indicators.csv, row 7, column 'deflator'" in p and "valid: rural_cpi, urban_cpi, cpi, volume, none" in p
        for p in problems
    ), problems
