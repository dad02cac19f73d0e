"""The claims audit: formulas, tolerances, qualifiers, verdicts on the real register, notebook runs.

Synthetic observation frames exercise each claim type both ways (consistent and
inconsistent) and every not-checkable path; the real register pins the hand-computed
results listed in the issue; papermill runs the notebook with default and non-default
parameters and with a bad one.
"""

from __future__ import annotations

import math

import nbformat
import pandas as pd
import pytest

from analysis import paths
from analysis.data.load import UnknownChoice
from analysis.data.schema import CLAIM_TYPES
from analysis.metrics import audit
from analysis.metrics.audit import (
    AUDIT_COLUMNS,
    CHECKS,
    CONSISTENT,
    INCONSISTENT,
    NOT_CHECKABLE,
    Claim,
    audit_claims,
    half_unit,
    rounding_of,
    stated_interval,
)
from analysis.reports import audit as audit_report
from analysis.reports import audit_figures as af
from hand_values import CLAIM_MISSING, CLAIM_VALUES, claim_verdicts

NOTEBOOK = paths.NOTEBOOKS / "claims_audit.ipynb"
KERNEL = "poverty-analysis"


# ------------------------------------------------------------------------- synthetic data


def obs_row(
    obs_id: str,
    value: float,
    year: int,
    printed: str | None = None,
    unit: str = "亿元",
    kind: str = "document",
    qualifier: str = "exact",
    quote: str = "",
    basis: str = "",
    note: str = "",
) -> dict:
    region, indicator = obs_id.split(".")[:2]
    return {
        "series_id": f"{region}.{indicator}",
        "obs_id": obs_id,
        "region": region,
        "indicator": indicator,
        "label": indicator,
        "year": year,
        "value": float(value),
        "unit": unit,
        "value_low": math.nan,
        "value_high": math.nan,
        "kind": kind,
        "qualifier": qualifier,
        "value_printed": f"{value:g}" if printed is None else printed,
        "quote": quote or f"q {obs_id}",
        "basis": basis,
        "note": note,
    }


def frame(*rows: dict) -> pd.DataFrame:
    df = pd.DataFrame(list(rows))
    df["year"] = df["year"].astype("Int64")
    return df


def claims(*rows: dict) -> pd.DataFrame:
    base = {
        "claim_id": "doc009.c01",
        "source_id": "doc009",
        "quote": "q",
        "stated_printed": "",
        "stated": "",
        "unit": "%",
        "qualifier": "exact",
        "rounding": "",
        "claim_type": "percent_change",
        "inputs": "",
        "params": "",
        "note": "",
    }
    out = []
    for i, r in enumerate(rows):
        row = {**base, "claim_id": f"doc009.c{i + 1:02d}", **{k: str(v) for k, v in r.items()}}
        row["stated_printed"] = row["stated_printed"] or row["stated"]
        out.append(row)
    return pd.DataFrame(out)


def one(obs: pd.DataFrame, **claim: object) -> pd.Series:
    """Audit a single synthetic claim and return its row."""
    return audit_claims(claims(claim), obs).iloc[0]


LEVELS = frame(
    obs_row("x.gdp.2013", 418.9, 2013),
    obs_row("x.gdp.2019", 705.7, 2019),
    obs_row("x.pc.2013", 16171, 2013, unit="元"),
    obs_row("x.pc.2019", 26691, 2019, unit="元"),
    obs_row("x.part.2019", 25, 2019, unit="万人"),
    obs_row("x.whole.2019", 200, 2019, unit="万人"),
)


@pytest.fixture(scope="module")
def real() -> pd.DataFrame:
    """The real register, audited (indexed by claim id)."""
    return audit_claims().set_index("claim_id")


# ------------------------------------------------------------------------- structure


def test_dispatch_table_covers_every_claim_type():
    assert set(CHECKS) == set(CLAIM_TYPES)
    assert all(callable(f) and f.__doc__ for f in CHECKS.values())


def test_columns_are_exactly_the_required_ones_first(real):
    t = audit_claims()
    assert tuple(t.columns[: len(AUDIT_COLUMNS)]) == AUDIT_COLUMNS
    assert len(t) == 68 and t["claim_id"].is_unique
    assert set(t["verdict"]) <= set(audit.VERDICTS)
    assert t["stated"].dtype == float and t["recomputed"].dtype == float and t["tolerance"].dtype == float
    assert t["reason"].str.len().gt(20).all() and not t["reason"].str.contains("\n").any()


# ------------------------------------------------------------------------- tolerance and rounding


def claim_obj(**kw: object) -> Claim:
    return Claim.from_row(claims(kw).iloc[0].to_dict())


@pytest.mark.parametrize(
    ("printed", "rounding", "low", "high"),
    [("98", "", 97.5, 98.5), ("68.47", "", 68.465, 68.475), ("3.3", "0.1", 3.25, 3.35), ("205", "1", 204.5, 205.5)],
)
def test_stated_value_stands_for_half_a_rounding_unit_either_side(printed, rounding, low, high):
    tol, lo, hi = stated_interval(claim_obj(stated=printed, rounding=rounding))
    assert (lo, hi) == pytest.approx((low, high))
    assert tol == pytest.approx((high - low) / 2)


def test_rounding_inferred_from_printed_decimals():
    assert rounding_of("", "68.47") == pytest.approx(0.01)
    assert rounding_of("", "98") == 1.0
    assert rounding_of("", "四") == 1.0
    assert rounding_of("0.5", "98") == 0.5


def test_input_half_unit_in_the_observation_unit():
    assert half_unit(705.7, "705.7") == pytest.approx(0.05)
    assert half_unit(16171, "16171") == pytest.approx(0.5)
    assert half_unit(605.05, "60.505") == pytest.approx(0.005)  # printed in billions, stored in 亿元
    assert half_unit(4, "四") == pytest.approx(0.5)


def test_input_rounding_can_make_a_claim_consistent():
    obs = frame(obs_row("x.a.2013", 16171, 2013, unit="元"), obs_row("x.b.2019", 26691, 2019, unit="元"))
    # 26691/16171 - 1 = 65.0547%: inside 65.05 +- 0.005 only barely; 65.06 needs the inputs' rounding
    r = one(obs, stated="65.06", claim_type="percent_change", inputs="x.a.2013 x.b.2019")
    assert r.verdict == CONSISTENT and "only through the input rounding" in r.reason
    assert r.recomputed_low < 65.055 < r.recomputed_high
    r = one(obs, stated="65.08", claim_type="percent_change", inputs="x.a.2013 x.b.2019")
    assert r.verdict == INCONSISTENT


def test_point_just_outside_stated_interval_without_input_slack_is_inconsistent():
    # exact integers printed with many digits leave almost no input slack
    obs = frame(obs_row("x.a.2014", 100000, 2014, unit="元"), obs_row("x.b.2019", 168470, 2019, unit="元"))
    assert one(obs, stated="68.47", claim_type="percent_change", inputs="x.a.2014 x.b.2019").verdict == CONSISTENT
    r = one(obs, stated="68.46", claim_type="percent_change", inputs="x.a.2014 x.b.2019")
    assert r.verdict == INCONSISTENT and r.tolerance == pytest.approx(0.005)


# ------------------------------------------------------------------------- each claim type both ways


@pytest.mark.parametrize(
    ("kw", "verdict", "value"),
    [
        (dict(stated="68.47", claim_type="percent_change", inputs="x.gdp.2013 x.gdp.2019"), CONSISTENT, 68.465),
        (dict(stated="70", claim_type="percent_change", inputs="x.gdp.2013 x.gdp.2019"), INCONSISTENT, 68.465),
        (dict(stated="1.68", unit="倍", claim_type="multiple", inputs="x.gdp.2013 x.gdp.2019"), CONSISTENT, 1.68465),
        (dict(stated="1.7", unit="倍", claim_type="multiple", inputs="x.gdp.2013 x.gdp.2019"), CONSISTENT, 1.68465),
        (dict(stated="1.6", unit="倍", claim_type="multiple", inputs="x.gdp.2013 x.gdp.2019"), INCONSISTENT, 1.68465),
        (dict(stated="8.71", claim_type="cagr", inputs="x.pc.2013 x.pc.2019"), CONSISTENT, 8.7105),
        (dict(stated="9", claim_type="cagr", inputs="x.pc.2013 x.pc.2019"), CONSISTENT, 8.7105),  # 9 = [8.5, 9.5]
        (dict(stated="9.0", claim_type="cagr", inputs="x.pc.2013 x.pc.2019"), INCONSISTENT, 8.7105),
        (
            dict(stated="8", qualifier="more_than", claim_type="cagr_at_least", inputs="x.pc.2013 x.pc.2019"),
            CONSISTENT,
            8.7105,
        ),
        (
            dict(stated="9", qualifier="more_than", claim_type="cagr_at_least", inputs="x.pc.2013 x.pc.2019"),
            INCONSISTENT,
            8.7105,
        ),
        (dict(stated="286.8", unit="亿元", claim_type="difference", inputs="x.gdp.2013 x.gdp.2019"), CONSISTENT, 286.8),
        (dict(stated="280", unit="亿元", claim_type="difference", inputs="x.gdp.2013 x.gdp.2019"), INCONSISTENT, 286.8),
        (dict(stated="12.5", claim_type="share_of", inputs="x.part.2019 x.whole.2019"), CONSISTENT, 12.5),
        (dict(stated="13", claim_type="share_of", inputs="x.part.2019 x.whole.2019"), CONSISTENT, 12.5),
        (dict(stated="15", claim_type="share_of", inputs="x.part.2019 x.whole.2019"), INCONSISTENT, 12.5),
    ],
)
def test_formula_claims(kw, verdict, value):
    r = one(LEVELS, **kw)
    assert r.verdict == verdict, r.reason
    assert r.recomputed == pytest.approx(value, abs=1e-3)
    assert r.recomputed_low <= r.recomputed <= r.recomputed_high


def test_difference_decrease_is_a_positive_fall():
    obs = frame(obs_row("x.rate.2013", 11.5, 2013, unit="%"), obs_row("x.rate.2015", 8.2, 2015, unit="%"))
    r = one(
        obs,
        stated="3.3",
        unit="百分点",
        claim_type="difference",
        inputs="x.rate.2013 x.rate.2015",
        params="direction=decrease",
    )
    assert r.verdict == CONSISTENT and r.recomputed == pytest.approx(3.3)
    r = one(
        obs,
        stated="3",
        unit="百分点",
        qualifier="more_than",
        claim_type="difference",
        inputs="x.rate.2013 x.rate.2015",
        params="direction=decrease",
    )
    assert r.verdict == CONSISTENT
    r = one(
        obs,
        stated="4",
        unit="百分点",
        qualifier="more_than",
        claim_type="difference",
        inputs="x.rate.2013 x.rate.2015",
        params="direction=decrease",
    )
    assert r.verdict == INCONSISTENT
    r = one(obs, stated="3.3", unit="百分点", claim_type="difference", inputs="x.rate.2013 x.rate.2015")
    assert r.verdict == INCONSISTENT and r.recomputed == pytest.approx(-3.3)


def test_percent_change_tries_same_sentence_bases():
    q = "安排资金7.2亿元,同时还安排7亿元"
    obs = frame(
        obs_row("h.funds.2015", 7.2, 2015, quote=q),
        obs_row("h.bond.2015", 7, 2015, quote=q),
        obs_row("h.funds.2016", 25.35, 2016),
    )
    r = one(obs, stated="78.5", rounding="0.1", claim_type="percent_change", inputs="h.funds.2015 h.funds.2016")
    assert r.verdict == INCONSISTENT and "reproduces it)" in r.reason and "h.bond.2015" in r.reason
    r = one(obs, stated="205", claim_type="percent_change", inputs="h.funds.2015 h.funds.2016")
    assert r.verdict == INCONSISTENT and "neither" in r.reason and "8.31" in r.reason


# ------------------------------------------------------------------------- qualifiers


@pytest.mark.parametrize(
    ("qualifier", "stated", "verdict"),
    [
        ("more_than", "12", CONSISTENT),
        ("more_than", "12.5", CONSISTENT),
        ("more_than", "12.6", INCONSISTENT),
        ("at_least", "12.5", CONSISTENT),
        ("at_least", "12.6", INCONSISTENT),
        ("less_than", "13", CONSISTENT),
        ("less_than", "12.4", INCONSISTENT),
        ("nearly", "13", CONSISTENT),
        ("nearly", "12.5", CONSISTENT),
        ("nearly", "12", INCONSISTENT),
        ("nearly", "20", INCONSISTENT),
        ("about", "13", CONSISTENT),
        ("about", "12", CONSISTENT),
        ("about", "14", INCONSISTENT),
        ("exact", "13", CONSISTENT),
        ("exact", "12", CONSISTENT),
        ("exact", "12.0", INCONSISTENT),
    ],
)
def test_qualifier_rules(qualifier, stated, verdict):
    # 100 * 25 / 200 = 12.5 exactly; inputs printed as integers carry +-0.5 each
    obs = frame(obs_row("x.part.2019", 25000, 2019, unit="人"), obs_row("x.whole.2019", 200000, 2019, unit="人"))
    r = one(obs, stated=stated, qualifier=qualifier, claim_type="share_of", inputs="x.part.2019 x.whole.2019")
    assert r.verdict == verdict, r.reason
    if qualifier in ("more_than", "at_least", "less_than"):
        assert r.tolerance == 0
    if qualifier == "about":
        # 约 is rounding at the last significant digit, no 5% band: 约13 = 13 +- 0.5, 约12 = 12 +- 0.5
        # (before: max(1, 5% of the stated value))
        assert r.tolerance == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("qualifier", "verdict"),
    [("more_than", INCONSISTENT), ("at_least", CONSISTENT), ("less_than", INCONSISTENT), ("nearly", CONSISTENT)],
)
def test_bounds_are_strict_or_not_at_the_stated_value(qualifier, verdict):
    c = claim_obj(stated="12.5", qualifier=qualifier, claim_type="share_of")
    assert audit.judge(c, 12.5, 12.5).verdict == verdict


def test_cagr_at_least_reads_a_lower_bound_whatever_the_qualifier():
    c = claim_obj(stated="9", qualifier="exact", claim_type="cagr_at_least")
    assert audit.judge(c, 9.6, 9.6).verdict == CONSISTENT  # 9.6 is outside 9 +- 0.5 but above the bound
    assert audit.judge(c, 8.71, 8.71).verdict == INCONSISTENT


def test_qualified_input_widens_its_interval():
    obs = frame(obs_row("x.a.2015", 100, 2015, qualifier="more_than"), obs_row("x.b.2016", 150, 2016))
    r = one(obs, stated="40", claim_type="percent_change", inputs="x.a.2015 x.b.2016")
    assert r.verdict == CONSISTENT  # a is "100多": any base above 100 gives less than 50%
    r = one(obs, stated="60", claim_type="percent_change", inputs="x.a.2015 x.b.2016")
    assert r.verdict == INCONSISTENT


# ------------------------------------------------------------------------- not checkable


@pytest.mark.parametrize(
    ("inputs", "needle", "missing"),
    [
        ("", "no inputs: neither the a (base level) nor the b (later level)", "inputs"),
        ("x.gdp.2019", "only one of a (base level) and b (later level) is given (x.gdp.2019 = 705.7 亿元", "one input"),
        ("x.gdp.2013 x.nothing.2019", "input x.nothing.2019 is not among the curated observations", "unknown input"),
    ],
)
def test_missing_inputs_are_not_checkable(inputs, needle, missing):
    r = one(LEVELS, stated="68.47", claim_type="percent_change", inputs=inputs)
    assert r.verdict == NOT_CHECKABLE and needle in r.reason and r.missing == missing
    assert math.isnan(r.recomputed)


def test_share_with_only_the_part_names_it():
    r = one(LEVELS, stated="6.6", qualifier="about", claim_type="share_of", inputs="x.part.2019")
    assert r.verdict == NOT_CHECKABLE and "part and whole" in r.reason and "x.part.2019" in r.reason


# ------------------------------------------------------------------------- thresholds

GDP = [
    (2013, 418.9, "document"),
    (2015, 497.19, "external"),
    (2016, 551.7, "external"),
    (2018, 605.05, "external"),
    (2019, 705.7, "document"),
]


def gdp(extra: list[tuple[int, float, str]] = (), drop: tuple[int, ...] = ()) -> pd.DataFrame:
    rows = [
        obs_row(f"x.gdp.{y}" + (".ext" if k == "external" else ""), v, y, kind=k)
        for y, v, k in [*GDP, *extra]
        if y not in drop
    ]
    return frame(*rows)


def test_threshold_crossed_consistent_and_previous_year_looked_up():
    r = one(
        gdp(),
        stated="2016",
        unit="年",
        claim_type="threshold_crossed_in",
        inputs="x.gdp.2016.ext",
        params="threshold=500",
    )
    assert r.verdict == CONSISTENT and r.recomputed == 2016 and "497.19 亿元 in 2015 < 500" in r.reason


def test_threshold_prefers_document_value_for_the_previous_year():
    obs = gdp(extra=[(2015, 512, "document")])
    r = one(
        obs,
        stated="2016",
        unit="年",
        claim_type="threshold_crossed_in",
        inputs="x.gdp.2016.ext",
        params="threshold=500",
    )
    assert r.verdict == INCONSISTENT and "512 亿元 in 2015 had already reached 500" in r.reason


def test_threshold_below_in_stated_year_is_inconsistent():
    r = one(
        gdp(),
        stated="2016",
        unit="年",
        claim_type="threshold_crossed_in",
        inputs="x.gdp.2016.ext",
        params="threshold=600",
    )
    assert r.verdict == INCONSISTENT and "below 600" in r.reason


def test_threshold_without_previous_year_is_not_checkable_but_says_the_level_is_above():
    r = one(
        gdp(),
        stated="2018",
        unit="年",
        claim_type="threshold_crossed_in",
        inputs="x.gdp.2018.ext",
        params="threshold=600",
    )
    assert r.verdict == NOT_CHECKABLE and "is above 600, but 2017 is not observed" in r.reason
    assert "2017 or 2018" in r.reason and (r.recomputed_low, r.recomputed_high) == (2017, 2018)
    r = one(
        gdp(), stated="2019", unit="年", claim_type="threshold_crossed_in", inputs="x.gdp.2019", params="threshold=700"
    )
    assert r.verdict == CONSISTENT
    r = one(gdp(), stated="2019", unit="年", claim_type="threshold_crossed_in", inputs="", params="threshold=700")
    assert r.verdict == NOT_CHECKABLE and r.missing == "inputs"


COUNT = dict(unit="次", rounding="1", claim_type="count_thresholds", params="series=x.gdp;step=100;start=2013;end=2019")
GAP = dict(
    unit="年",
    rounding="1",
    claim_type="min_years_between_thresholds",
    params="series=x.gdp;step=100;start=2013;end=2019",
)


def test_count_thresholds_all_years_observed():
    full = gdp(extra=[(2012, 395, "external"), (2014, 450, "external"), (2017, 580, "external")])
    assert one(full, stated="4", **COUNT).verdict == CONSISTENT
    r = one(full, stated="3", **COUNT)
    assert r.verdict == INCONSISTENT and r.recomputed == 4
    assert one(full, stated="1", **GAP).verdict == CONSISTENT
    r = one(full, stated="2", **GAP)
    assert r.verdict == INCONSISTENT and r.recomputed == 1


def test_count_thresholds_depends_on_unobserved_year():
    r = one(gdp(), stated="4", **COUNT)
    assert r.verdict == NOT_CHECKABLE and r.missing == "unobserved years"
    assert (r.recomputed_low, r.recomputed_high) == (3, 4) and "2012" in r.reason
    # whatever the 2012 level, 500, 600 and 700 were crossed: 2 is impossible in every completion
    assert one(gdp(), stated="2", **COUNT).verdict == INCONSISTENT
    # with 2012 known below 400, the count is 4
    assert one(gdp(extra=[(2012, 380, "external")]), stated="4", **COUNT).verdict == CONSISTENT


def test_min_gap_agrees_across_completions_or_is_not_checkable():
    # 600 in 2017 or 2018: the shortest gap is 1 either way
    r = one(gdp(), stated="1", **GAP)
    assert r.verdict == CONSISTENT and r.recomputed == 1
    assert one(gdp(), stated="2", **GAP).verdict == INCONSISTENT
    # without 2016 the 500 crossing may be 2016 or 2017 and 600 2017 or 2018: gaps of 0..2 are possible
    r = one(gdp(drop=(2016,)), stated="1", **GAP)
    assert r.verdict == NOT_CHECKABLE and r.missing == "unobserved years"


def test_threshold_params_missing_or_falling_series():
    r = one(gdp(), stated="4", unit="次", claim_type="count_thresholds", params="series=x.gdp;step=100")
    assert r.verdict == NOT_CHECKABLE and "start, end" in r.reason
    falling = gdp(extra=[(2017, 500, "external")])
    r = one(falling, stated="4", **COUNT)
    assert r.verdict == NOT_CHECKABLE and "falls" in r.reason


# ------------------------------------------------------------------------- the real register


def test_real_register_reasons(real):
    assert "nominal" in real.loc["doc004.c01", "reason"] and "real" in real.loc["doc004.c01", "reason"]
    c06 = real.loc["doc001.c06", "reason"]  # was: "different base ... neither 7.2 亿元 ..." (inconsistent)
    assert "same point of 2015" in c06 and "budget" in c06 and "only one of" in c06
    c07 = real.loc["doc004.c07", "reason"]
    assert "497.19" in c07 and "512" in c07 and "511.9" in c07 and "cigarette" in c07 and "different definitions" in c07
    assert "census" in real.loc["doc004.c09", "reason"]
    r = real.loc["doc004.c06"]
    assert r.verdict == NOT_CHECKABLE and "is above 400" in r.reason and "not observed" in r.reason
    c08 = real.loc["doc004.c08"]
    assert c08.verdict == CONSISTENT and "585 亿元 in 2017" in c08.reason and "preliminary" in c08.reason
    assert real.loc["doc004.c05", "verdict"] == NOT_CHECKABLE


def test_real_register_not_checkable_name_what_is_missing(real):
    nc = real[real["verdict"] == NOT_CHECKABLE]
    blank = nc[nc["inputs"] == ""]
    assert (
        blank.index.difference(["doc004.c05"]).size
        and (blank.drop(index="doc004.c05")["reason"].str.startswith("no inputs")).all()
    )
    single = nc[nc["missing"] == "one input"]
    assert set(single.index) == {
        "doc000.c01",
        "doc001.c02",
        "doc001.c03",
        "doc001.c04",
        "doc001.c05",
        "doc001.c06",  # the base of 同比 is not stated (was inconsistent against the 2015 allocation)
        "doc004.c02",
        # doc004.c13 left: checkable from doc004's own 1.56万/0.65%
    }
    assert all(i in r for i, r in zip(single["inputs"], single["reason"], strict=True))


# ------------------------------------------------------------------------- report module


def test_prepare_rejects_unknown_choices_listing_valid_ones(tmp_path):
    with pytest.raises(UnknownChoice, match=r"unknown document 'doc999'; valid choices: all, doc000, doc001"):
        audit_report.prepare(document="doc999", output_dir=tmp_path)
    with pytest.raises(UnknownChoice, match=r"valid choices: all, consistent, inconsistent, not checkable"):
        audit_report.prepare(verdict="wrong", output_dir=tmp_path)
    with pytest.raises(UnknownChoice, match=r"valid choices: agree, all, different definitions, disagree"):
        audit_report.prepare(check_verdict="fine", output_dir=tmp_path)
    # one rule for every report (analysis.reports.params.as_bool): "no" is False, "maybe" is refused
    with pytest.raises(UnknownChoice, match="include_external='maybe' must be True or False"):
        audit_report.prepare(include_external="maybe", output_dir=tmp_path)
    with pytest.raises(UnknownChoice, match="file stem"):
        audit_report.prepare(run_name="../x", output_dir=tmp_path)


def test_report_tables_and_figure(tmp_path):
    run = audit_report.prepare(document=["doc004", "doc001"], verdict="all", output_dir=tmp_path, run_name="t")
    t = audit_report.build_table(run)
    # the claims of doc004, doc001 and the external sources in the register (tests/hand_values.py): 28 + 36 = 64
    hand = {k: v for k, v in claim_verdicts().items() if k.split(".")[0] in ("doc004", "doc001", "ext")}
    assert set(t["source_id"]) == {"doc001", "doc004", "external"} and len(t) == len(hand)
    written = pd.read_csv(tmp_path / "tables" / "t.csv", dtype=str, keep_default_na=False)
    assert list(written["claim_id"]) == list(t["claim_id"])
    assert list(written.columns[: len(AUDIT_COLUMNS)]) == list(AUDIT_COLUMNS)
    s = audit_report.summary(run).set_index("document")

    # doc004: c07 out of and c13 into consistent (9); doc001.c06 no longer inconsistent (0); external: the
    # real growth claims are judged with the rural CPI or not checkable (was 4 inconsistent with the national CPI)
    def count(prefix: str, verdict: str) -> int:
        return sum(1 for k, v in hand.items() if k.startswith(prefix) and v == verdict)

    assert s.loc["all", "total"] == len(hand)
    assert s.loc["doc004", "consistent"] == count("doc004.", CONSISTENT)
    assert s.loc["doc001", "inconsistent"] == count("doc001.", INCONSISTENT) == 0
    assert s.loc["external", "inconsistent"] == count("ext.", INCONSISTENT) == 0
    checks = audit_report.build_consistency_table(run)
    assert (tmp_path / "tables" / "t_consistency.csv").exists() and "doc004.k01" in set(checks["check_id"])
    assert "doc003.k01" not in set(checks["check_id"])
    counts = audit_report.counts(run).set_index(["document", "kind"])
    # disagree: k02, k04, k19, k20, k27 (k01 is different definitions now): 6 - 1 = 5
    assert counts.loc[("doc004", "consistency check"), "disagree"] == 5
    # different definitions: k07, k16, k17, k22 + k01, k28 (k06, k08 agree, k23 not decidable): 7 - 3 + 2 = 6
    assert counts.loc[("doc004", "consistency check"), "different definitions"] == 6
    # not decidable: k23 and the new k36 (doc000.k01 is counted under doc000)
    assert counts.loc[("doc004", "consistency check"), "not decidable"] == 2
    assert counts.loc[("doc004", "claim (document)"), "inconsistent"] == 1  # doc004.c01 (doc004.c17 not checkable)
    assert (tmp_path / "tables" / "t_counts.csv").exists()
    assert (tmp_path / "tables" / "t_summary.csv").exists()
    saved = af.fig_stated_vs_recomputed(run)
    first = {k: p.read_bytes() for k, p in saved.items()}
    again = af.fig_stated_vs_recomputed(run)
    assert {k: p.read_bytes() for k, p in again.items()} == first
    assert "doc004.c01" in audit_report.inconsistencies(run)


def test_report_filter_by_verdict(tmp_path):
    run = audit_report.prepare(document="doc004", verdict="inconsistent", output_dir=tmp_path, include_external=False)
    t = audit_report.build_table(run)
    assert list(t["claim_id"]) == ["doc004.c01"]  # doc004.c17 is not checkable now (one home per village not stated)
    assert audit_report.not_checkable_table(run).empty
    # without the external figures the crossing years that need them cannot be checked
    run = audit_report.prepare(document="doc004", verdict="not checkable", output_dir=tmp_path, include_external=False)
    assert {"doc004.c07", "doc004.c08", "doc004.c09"} <= set(audit_report.build_table(run)["claim_id"])
    with_ext = audit_report.prepare(document="doc004", verdict="not checkable", output_dir=tmp_path)
    assert {"ext.c08", "ext.c14"} <= set(audit_report.build_table(with_ext)["claim_id"])  # no rural CPI of the year


def test_findings_open_with_every_inconsistency_and_disagreement_with_its_size(tmp_path):
    from analysis.reports import audit_text

    run = audit_report.prepare(output_dir=tmp_path)
    text = audit_text.findings(run)
    # doc004.c17 and doc001.c06 are not checkable now and doc004.k06 agrees; doc004.k28 (different
    # definitions) and doc000.k01, doc004.k23 (not decidable) are findings; ext.c10 is consistent with the
    # rural CPI (7.25% against 7.3), no longer a finding
    for cid in ("doc004.c01", "doc004.k01", "doc004.k02", "doc004.k28", "doc000.k01", "doc004.k23"):
        assert f"**{cid}**" in text
    for cid in ("doc004.c17", "doc001.c06", "doc004.k06", "doc004.k03", "ext.c10"):  # agreements, not checkable
        assert f"**{cid}**" not in text
    assert "1726 个 / 91.9% = 1,878 个 against 1567 个, a ratio of 1.199" in text
    assert "65.77 万人 / 31.93% = 206 万人 against 1.56 万人 / 0.65% = 240 万人, a ratio of 0.858" in text
    assert "different definitions: “建成留守儿童之家1726个" in text
    assert "not decidable: the comparison assumes that the Wuling rural population was the same" in text


# ------------------------------------------------------------------------- the notebook (papermill)


def _texts(nb) -> list[str]:
    out = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            if o.output_type == "stream":
                out.append(o.text)
            for mime in ("text/plain", "text/markdown", "text/html"):
                if mime in o.get("data", {}) and not o["data"].get("image/png"):
                    out.append(o["data"][mime])
    return out


def test_notebook_structure():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == KERNEL
    assert [c.id for c in nb.cells] == [f"cell-{i:02d}" for i in range(len(nb.cells))]
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "'" not in params[0].source
    assert "prepare(" in nb.cells[2].source
    assert all(
        c.get("outputs") or c.cell_type == "markdown" or not c.source.strip()
        for c in nb.cells
        if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
    ), "commit with outputs"


def test_default_run_table_and_committed_outputs(report_tables):
    """The default run's table (the session's in-process build, the notebook's own calls) and the committed
    notebook's outputs, which nbval checks are what the cells give now (no second execution here)."""
    t = pd.read_csv(report_tables / "claims_audit.csv", dtype=str, keep_default_na=False)
    assert set(t["claim_id"]) == set(CLAIM_VALUES) | set(CLAIM_MISSING)  # every claim of the register, once
    assert (report_tables / "claims_audit_consistency.csv").exists()
    committed = nbformat.read(NOTEBOOK, as_version=4)
    text = "\n".join(_texts(committed))
    # the document claims of the register (tests/hand_values.py): 9 consistent, 1 inconsistent (doc004.c01),
    # 22 not checkable
    docs = [v for k, v in claim_verdicts().items() if not k.startswith("ext.")]
    counts = {v: docs.count(v) for v in (CONSISTENT, INCONSISTENT, NOT_CHECKABLE)}
    assert (
        f"Claims of the documents ({len(docs)}): **{counts[CONSISTENT]} consistent**, "
        f"**{counts[INCONSISTENT]} inconsistent**, **{counts[NOT_CHECKABLE]} not checkable**" in text
    )
    assert text.index("**doc004.c01**") < text.index(f"Claims of the documents ({len(docs)})")  # findings first
    assert str(paths.ROOT) not in text and " at 0x" not in text
    assert _texts(committed)[0].startswith("Exploratory run: tables and figures go to build/interactive/claims_audit/")


def test_notebook_filtered_run(interactive):
    """Plain papermill without output_dir: reports/ untouched, outputs in build/interactive/test_audit_doc004/."""
    nb, out = interactive(
        "claims_audit", "test_audit_doc004", document="doc004", verdict="inconsistent", include_external=False
    )
    t = pd.read_csv(out / "tables" / "test_audit_doc004.csv", dtype=str, keep_default_na=False)
    assert list(t["claim_id"]) == ["doc004.c01"]  # doc004.c17 is not checkable now
    text = "\n".join(_texts(nb))
    assert "Nominal vs real" in text and "doc001.c06" not in text
    assert "No claim in this selection is not checkable." in text


def test_notebook_first_cell_validates_with_prepare(tmp_path):
    """A bad parameter fails in the notebook's first code cell, which calls prepare()."""
    nb = nbformat.read(paths.NOTEBOOKS / "claims_audit.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata["tags"] and "prepare(" in code[1].source
    with pytest.raises(UnknownChoice, match="valid choices: all, consistent, inconsistent, not checkable"):
        audit_report.prepare(verdict="wrong", output_dir=str(tmp_path))


def test_threshold_input_must_be_the_stated_year():
    r = one(
        gdp(), stated="2016", unit="年", claim_type="threshold_crossed_in", inputs="x.gdp.2019", params="threshold=500"
    )
    assert r.verdict == NOT_CHECKABLE and "not the stated year 2016" in r.reason
