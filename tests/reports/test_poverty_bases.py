"""Issue 26 (poverty parts): one register, one denominator, one concept per series; measurement systems apart.

Every expected value is computed by hand from the data rows named in the comments
(``data/raw/observations_xiangxi.csv`` doc004 rows, ``data/raw/external/figures.csv`` rows).
"""

from __future__ import annotations

import csv
import io
import math
import shutil

import pandas as pd
import pytest

from analysis import paths
from analysis.data.load import load_observations
from analysis.data.raw import load_raw
from analysis.errors import DataError
from analysis.reports import comparison as cr
from analysis.reports import comparison_national as nat
from analysis.reports import elasticity as er
from analysis.reports import growth as gr
from analysis.reports import poverty_bases as pb
from analysis.reports.params import EXIT_THRESHOLD, POVERTY_LINE_CONCEPT, REGISTER_ADJUSTMENT, series_breaks
from hand_values import pinned


def _obs(obs_id: str) -> pd.Series:
    o = load_observations()
    return o[o["obs_id"] == obs_id].iloc[0]


def test_common_base_incidence_is_derived_from_the_2013_count_and_the_2019_base():
    # doc004: poor population 65.77万 (2013), 1.56万 (2019), incidence 0.65% (2019)
    # 65.77 / (1.56 / 0.65%) = 65.77 * 0.65 / 1.56 = 27.4042 -> 27.40%
    # rounding range: 65.765 * 0.645 / 1.565 = 27.1044; 65.775 * 0.655 / 1.555 = 27.7059
    r = _obs("xiangxi.poverty_incidence_common_base.2013.derived")
    assert r["kind"] == "derived" and r["unit"] == "%"
    assert float(r["value"]) == pytest.approx(27.40)
    assert (float(r["value_low"]), float(r["value_high"])) == (27.10, 27.71)
    assert "65.77 / (1.56 / 0.65%)" in r["note"] and "xiangxi.poor_population.2013" in r["note"]
    # the end of the series is the 2019 incidence on its own base (doc004: 0.65%)
    assert float(_obs("xiangxi.poverty_incidence_common_base.2019.derived")["value"]) == 0.65
    # only registered regions get one: Wuling (not stated) has poor population and incidence too, but no variant
    assert load_observations().query("region == 'Wuling' and indicator == 'poverty_incidence_common_base'").empty


def test_regions_declare_measurement_systems_and_the_register_break():
    assert (pb.poverty_measure("Xiangxi"), pb.poverty_measure("Hunan")) == ("registered", "registered")
    assert (pb.poverty_measure("China"), pb.poverty_measure("Wuling"), pb.poverty_measure("Luoxiao")) == (
        "survey",
        "not stated",
        "",
    )
    assert series_breaks("Xiangxi", "poverty_incidence") == {2018: REGISTER_ADJUSTMENT}
    assert series_breaks("China", "poverty_incidence") == {}  # the survey has no register
    assert series_breaks("Xiangxi", "poor_population") == {}
    assert series_breaks("China", "poverty_line_current_prices") == {2014: POVERTY_LINE_CONCEPT, 2020: EXIT_THRESHOLD}
    assert POVERTY_LINE_CONCEPT.no_growth_across and EXIT_THRESHOLD.no_growth_across
    assert not REGISTER_ADJUSTMENT.no_growth_across
    assert pb.across_systems("Xiangxi", "China", "poverty_incidence")
    assert pb.across_systems("Xiangxi", "Wuling", "poor_population")  # Wuling: system not stated
    assert not pb.across_systems("Xiangxi", "Hunan", "poverty_incidence")  # both registered
    assert not pb.across_systems("Xiangxi", "China", "gdp")


@pytest.mark.parametrize(
    ("row", "column", "text", "says"),
    [
        (2, "register_break", "2018", "needs poverty_measure 'registered'"),  # China is a survey
        (5, "register_break", "20x8", "must be a year or empty"),
        (5, "poverty_measure", "registred", "unknown poverty_measure"),
    ],
)
def test_bad_measurement_cells_are_named(tmp_path, row, column, text, says):
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw, ignore=shutil.ignore_patterns("documents"))
    (raw / "documents").symlink_to(paths.RAW / "documents", target_is_directory=True)
    path = raw / "regions.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row - 1][rows[0].index(column)] = text
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_raw(raw)
    named = [
        str(p) for p in exc.value.problems if p.file.endswith("regions.csv") and p.row == row and p.column == column
    ]
    assert named and says in named[0], [str(p) for p in exc.value.problems]


@pytest.fixture(scope="module")
def growth(tmp_path_factory) -> pd.DataFrame:
    run = gr.prepare(
        region="Xiangxi",
        indicator=["poverty_incidence", "poverty_incidence_common_base", "poor_population"],
        start_year=2013,
        end_year=2019,
        output_dir=str(tmp_path_factory.mktemp("growth")),
        run_name="poverty_bases",
    )
    return gr.build_table(run)


def _g(t: pd.DataFrame, sid: str, start: int, end: int) -> pd.Series:
    hit = t[(t["series_id"] == sid) & (t["start_year"] == start) & (t["end_year"] == end)]
    assert len(hit) == 1, (sid, start, end)
    return hit.iloc[0]


def test_registered_incidence_is_shown_in_register_segments(growth):
    # doc004 31.93% (2013), external 16.14 (2016), 10.52 (2017), 4.39 (2018), doc004 0.65% (2019)
    full = _g(growth, "xiangxi.poverty_incidence", 2013, 2019)
    assert full["change"] == pytest.approx(0.65 - 31.93) and full["crosses_break"] == "2018"  # -31.28 pp, labelled
    before = _g(growth, "xiangxi.poverty_incidence", 2013, 2017)  # original register: 10.52 - 31.93 = -21.41
    assert before["change"] == pytest.approx(-21.41) and before["segment"] == "before break"
    after = _g(growth, "xiangxi.poverty_incidence", 2018, 2019)  # adjusted register: 0.65 - 4.39 = -3.74
    assert after["change"] == pytest.approx(-3.74) and after["segment"] == "from break"
    assert "doc004.k02, k04, k27" in full["note"] and "common-base row" in full["note"]
    assert "agricultural-hukou population" in full["note"]  # the population basis is stated


def test_common_base_row_beside_the_headline(growth):
    # 0.65 - 27.40 = -26.75 pp (-4.4583 a year over 6 years); ln(0.65 / 27.40) = -3.7413
    cb = _g(growth, "xiangxi.poverty_incidence_common_base", 2013, 2019)
    assert cb["change"] == pytest.approx(-26.75)
    assert cb["change_per_year"] == pytest.approx(-26.75 / 6)
    assert cb["log_change"] == pytest.approx(math.log(0.65 / 27.40)) and cb["crosses_break"] == ""
    assert cb["log_change"] == pytest.approx(-3.7413, abs=1e-4)


def test_poor_population_fall_is_labelled_as_certified_exits(growth):
    # doc004: 65.77 - 1.56 = -64.21万; external xiangxi.poverty_reduction_cumulative.2018.ext 55.42万 and doc004
    # 89527 people lifted in 2019: 55.42 + 8.9527 = 64.3727万 cumulative certified exits
    r = _g(growth, "xiangxi.poor_population", 2013, 2019)
    assert r["change"] == pytest.approx(-64.21)
    assert "55.42万 exited by end-2018 + 8.9527万 in 2019 = 64.37万" in r["note"]
    assert "flow identity" in r["note"]
    total, _ = pb.certified_exits(load_observations(), "Xiangxi", 2019) or (None, "")
    assert total == pytest.approx(64.3727)


def test_no_growth_across_the_poverty_line_concepts(tmp_path):
    run = gr.prepare(
        region="China",
        indicator="poverty_line_current_prices",
        start_year=2011,
        end_year=2016,
        output_dir=str(tmp_path),
        run_name="line",
    )
    t = gr.build_table(run)
    full = _g(t, "china.poverty_line_current_prices", 2011, 2016)
    # was 3.08% nominal and 0.95% real a year across the net-income / disposable-income concepts
    assert pd.isna(full["cagr"]) and pd.isna(full["real_cagr"]) and pd.isna(full["trend_growth"])
    assert "change of concept" in full["real_note"]
    # net-income line (external 2536, 2736): (2736/2536)^(1/2) - 1 = 3.8684%
    assert _g(t, "china.poverty_line_current_prices", 2011, 2013)["cagr"] == pytest.approx(0.038684, abs=1e-6)
    # disposable-income line (external 2800, 2952): (2952/2800)^(1/2) - 1 = 2.6784%
    assert _g(t, "china.poverty_line_current_prices", 2014, 2016)["cagr"] == pytest.approx(0.026784, abs=1e-6)


def test_elasticity_common_base_variant(tmp_path):
    run = er.prepare(
        outcome=["poverty_incidence", "poverty_incidence_common_base"],
        driver="gdp_per_capita",
        region="Xiangxi",
        output_dir=str(tmp_path),
    )
    t = er.build_table(run)

    def el(run_id: str, variant: str) -> pd.Series:
        return t[(t["run"] == run_id) & (t["variant"] == variant)].iloc[0]

    # GDP per capita doc004 16171 (2013), 26691 (2019): ln(26691/16171) = 0.50111
    # published rates: ln(0.65/31.93) / 0.50111 = -3.8943 / 0.50111 = -7.7715
    pub = el("xiangxi.poverty_incidence ~ gdp_per_capita", "log_arc")
    pinned(pub["elasticity"], "xiangxi incidence elasticity 2013-2019")
    assert "outcome crosses the 2018 series break (register adjustment" in pub["note"]
    # common base: ln(0.65/27.40) / 0.50111 = -3.7413 / 0.50111 = -7.4661
    cb = el("xiangxi.poverty_incidence_common_base ~ gdp_per_capita", "log_arc")
    assert cb["elasticity"] == pytest.approx(-7.4661, abs=1e-4)
    # semi-elasticity: (0.65 - 27.40) / (100 * 0.50111) = -0.5338 (published -0.624)
    assert el("xiangxi.poverty_incidence_common_base ~ gdp_per_capita", "semi")["elasticity"] == pytest.approx(
        -0.5338, abs=1e-4
    )
    assert "65.77 / (1.56 / 0.65%)" in cb["note"] and "population basis: registered" in cb["note"]


@pytest.fixture(scope="module")
def comparisons(tmp_path_factory) -> pd.DataFrame:
    run = cr.prepare(
        regions=["Xiangxi", "Wuling", "Hunan"],
        indicator=["poverty_incidence", "poor_population"],
        output_dir=str(tmp_path_factory.mktemp("cmp")),
        run_name="poverty_bases",
    )
    return cr.build_table(run)


def test_registered_against_survey_is_never_a_gap(comparisons):
    t = comparisons
    nat_rows = t[(t["section"] == nat.SECTION) & t["metric"].str.startswith(("poverty_incidence", "poor_population"))]
    computed = nat_rows[nat_rows["status"] != "not observed"]
    assert not computed.empty and set(computed["status"]) == {pb.ACROSS_SYSTEMS}
    assert computed["gap"].isna().all() and computed["ratio"].isna().all()
    # Xiangxi 2016-19 (external 16.14 -> doc004 0.65): ln(0.65/16.14) = -3.2121; China (external 4.5 -> 0.6):
    # ln(0.6/4.5) = -2.0149 (was "matched", ratio 3.97 of the pp changes, gap -11.59 pp)
    ch = t[(t["metric"] == "poverty_incidence vs China: change over common years") & (t["region"] == "Xiangxi")].iloc[0]
    assert (ch["year_or_period"], ch["unit"]) == ("2016-2019", "log change")
    assert ch["value"] == pytest.approx(-3.2121, abs=1e-4) and ch["benchmark_value"] == pytest.approx(-2.0149, abs=1e-4)
    assert "crosses its 2018 register break" in ch["note"]
    lvl = t[
        (t["metric"] == "poverty_incidence vs China: gap at common year")
        & (t["region"] == "Xiangxi")
        & (t["year_or_period"].astype(str) == "2019")
    ].iloc[0]
    assert (lvl["value"], lvl["benchmark_value"]) == (0.65, 0.6) and pd.isna(lvl["gap"])  # was a gap of +0.05 pp
    assert "agricultural-hukou population" in lvl["note"] and "rural resident population" in lvl["note"]


def test_china_2011_is_labelled_the_poverty_office_count(comparisons):
    w = comparisons[
        (comparisons["metric"] == "poverty_incidence vs China: change over common years")
        & (comparisons["region"] == "Wuling")
    ].iloc[0]
    # external china.rural_poor_population.2012.ext 9899万 + claim ext.c35 (the stated 2012 fall) 2339万 = 12238万
    assert "9899 + 2339 = 12238万 (derived" in w["note"]
    assert "2010 and 2012 equal the NBS survey figures" in w["note"]
    assert "not stated by the source" in w["note"]  # Wuling's system
    # Xiangxi against Hunan: both registered, a gap is allowed (2019: doc004 0.65 - external 0.36 = 0.29 pp)
    xh = comparisons[
        (comparisons["metric"] == "poverty_incidence: gap at matched year") & (comparisons["benchmark"] == "Hunan")
    ].iloc[0]
    assert xh["status"] == "matched" and xh["gap"] == pytest.approx(0.29)


def test_no_elasticity_across_the_exit_threshold(tmp_path):
    run = er.prepare(outcome="rural_dibao_standard", driver="poverty_line_current_prices", output_dir=str(tmp_path))
    er.build_table(run)
    nc = pd.read_csv(tmp_path / "tables" / "elasticities_not_computed.csv")
    # the sensitivity with the driver to 2020 (was (ln(3927/1980)/5) / (ln(4000/2800)/6) = 2.30) is not computed:
    # 2020 is the exit threshold, another concept than the indexed line
    w = nc[nc["run"].str.endswith("[driver 2014-2020]") & (nc["variant"] == "window")]
    assert len(w) == 1 and "crosses the 2020 change of concept (exit threshold" in w.iloc[0]["reason"]
    t = pd.read_csv(tmp_path / "tables" / "elasticities.csv")
    # within the disposable-income line 2014-16: (ln(3927/1980)/5) / (ln(2952/2800)/2) = 5.1815 (unchanged)
    assert t[t["variant"] == "window"]["elasticity"].tolist() == pytest.approx([5.1815], abs=1e-4)
