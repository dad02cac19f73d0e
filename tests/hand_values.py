"""Values computed by hand from the data: the one table the tests that pin a data value import.

Each entry is the value as arithmetic on the printed numbers (or the count it is), with the data
rows it rests on. When the data change on purpose (a new external value, a corrected quote), the
failing check says which entry and which rows; update the entry here, with its new arithmetic.
When the data did not change, the code is wrong.

* :data:`VALUES`: single values (counts of rows, headline rates) as :class:`Hand` entries, checked
  with :func:`pinned`;
* :data:`CLAIM_VALUES` and :data:`CLAIM_MISSING`: the claims register (``data/raw/claims.csv``; a
  claim's inputs are the ``obs_id`` rows its ``inputs`` column names), every claim pinned once:
  verdict and recomputed value, or the words of what is missing;
* :data:`CHECKS`: the consistency register (``data/raw/consistency.csv``): verdict and both sides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from analysis.metrics.audit import CONSISTENT, INCONSISTENT, NOT_CHECKABLE
from analysis.metrics.consistency import AGREE, DIFFERENT, DISAGREE, NOT_DECIDABLE

UPDATE = "if the data changed on purpose, update tests/hand_values.py ({key}) with the new arithmetic; if not, the code is wrong"
"""The last sentence of every pinned-value failure."""


@dataclass(frozen=True)
class Hand:
    """A value computed by hand: ``value``, the arithmetic ``how``, and the data ``rows`` it rests on."""

    value: Any
    how: str
    rows: tuple[str, ...]

    def hint(self, key: str) -> str:
        """What a failure says: the hand value, how it was computed, its rows and where to update it."""
        return f"{key} = {self.value!r} by hand ({self.how}); rests on {', '.join(self.rows)}; " + UPDATE.format(
            key=key
        )


def pinned(actual: Any, key: str, *, rel: float = 1e-6, abs_: float = 1e-9) -> None:
    """Assert that ``actual`` is the hand value ``VALUES[key]`` (numbers to ``rel``/``abs_``); the failure
    names the rows the value rests on and where to update it."""
    hand = VALUES[key]
    if isinstance(hand.value, float) and isinstance(actual, int | float):
        ok = math.isclose(actual, hand.value, rel_tol=rel, abs_tol=abs_)
    else:
        ok = actual == hand.value
    assert ok, f"got {actual!r}: " + hand.hint(key)


def shown(key: str, fmt: str) -> str:
    """The hand value ``VALUES[key]`` as a report prints it (``fmt``, e.g. ``"{:.2%}"`` gives ``9.08%``)."""
    return fmt.format(VALUES[key].value)


def assert_mentions(text: str, fragment: str, key: str) -> None:
    """Assert that ``text`` contains ``fragment`` (a sentence built with :func:`shown`); the failure names
    the hand value, the rows it rests on and where to update it."""
    assert fragment in text, f"{fragment!r} not in the text: " + VALUES[key].hint(key)


def claim_verdicts() -> dict[str, str]:
    """The verdict of every claim of the register, by hand (:data:`CLAIM_VALUES` and :data:`CLAIM_MISSING`)."""
    return {**{k: verdict for k, (verdict, _) in CLAIM_VALUES.items()}, **dict.fromkeys(CLAIM_MISSING, NOT_CHECKABLE)}


def register_hint(kind: str, row_id: str, rows: str = "") -> str:
    """The failure text of a register entry: its row, its inputs, where to update it."""
    where = "data/raw/claims.csv" if kind == "claim" else "data/raw/consistency.csv"
    inputs = f" (inputs: {rows})" if rows else ""
    table = "CLAIM_VALUES/CLAIM_MISSING" if kind == "claim" else "CHECKS"
    return f"{kind} {row_id} of {where}{inputs}: " + UPDATE.format(key=f"{table}[{row_id!r}]")


C, X, N = CONSISTENT, INCONSISTENT, NOT_CHECKABLE
FIGURES = "data/raw/external/figures.csv"
XIANGXI = "data/raw/observations_xiangxi.csv"

VALUES: dict[str, Hand] = {
    "external rows": Hand(175, "data lines 2-176 of figures.csv, one observation each", (f"{FIGURES}: every row",)),
    "external rows by region": Hand(
        {"China": 104, "Xiangxi": 46, "Hunan": 25},
        "rows of figures.csv per region column (its README lists the same counts)",
        (f"{FIGURES}: every row",),
    ),
    "external rows preferred, alternatives": Hand(
        (153, 22),
        "rows with preferred=yes, rows with preferred=no (the alternatives kept for sensitivity)",
        (f"{FIGURES}: every row",),
    ),
    "xiangxi gdp cagr 2013-2019": Hand(
        (705.7 / 418.9) ** (1 / 6) - 1,
        "(705.7 / 418.9)^(1/6) - 1 = 1.684650^(1/6) - 1 = 0.0908163, 9.08% a year",
        (f"{XIANGXI}: xiangxi.gdp.2013 (418.9 亿元), xiangxi.gdp.2019 (705.7 亿元), both doc004",),
    ),
    "xiangxi incidence elasticity 2013-2019": Hand(
        math.log(0.65 / 31.93) / math.log(26691 / 16171),
        "ln(0.65 / 31.93) / ln(26691 / 16171) = -3.894329 / 0.501107 = -7.7715",
        (
            f"{XIANGXI}: xiangxi.poverty_incidence.2013 (31.93%), xiangxi.poverty_incidence.2019 (0.65%)",
            f"{XIANGXI}: xiangxi.gdp_per_capita.2013 (16171 元), xiangxi.gdp_per_capita.2019 (26691 元), doc004",
        ),
    ),
    "china rural income cagr 2014-2019": Hand(
        (16021 / 10489) ** (1 / 5) - 1,
        "(16021 / 10489)^(1/5) - 1 = 0.088406, 8.84% a year",
        (f"{FIGURES}: rural_disposable_income China 2014 (10489 元, line 93) and 2019 (16021 元, line 98)",),
    ),
}

# ------------------------------------------------------------------------- claims with a value

CLAIM_VALUES: dict[str, tuple[str, float]] = {
    # document claims
    "doc004.c01": (X, 100 * ((26691 / 16171) ** (1 / 6) - 1)),
    "doc004.c03": (C, 100 * (705.7 / 418.9 - 1)),
    "doc004.c04": (C, 100 * (26691 / 16171 - 1)),
    # 497.19 (2015, provincial ranking) < 500 <= 551.7 (2016, own basis): 2016 at face value; different bases,
    # so not checkable (was consistent; see tests/metrics/test_audit_verdicts.py)
    "doc004.c07": (N, 2016),
    # 100 * 156484 / (1.56万 / 0.65%) = 100 * 156484 / 2400000 = 6.52% against 约6.6% (was not checkable)
    "doc004.c13": (C, 100 * 156484 / (15600 / 0.0065)),
    "doc004.c08": (C, 2018),  # 585 (2017, external preliminary) < 600 <= 605.05 (2018)
    "doc004.c09": (C, 2019),
    "doc004.c10": (C, 1),
    "doc004.c14": (C, 100 * (3927 / 1980 - 1)),
    "doc004.c15": (C, 100 * (206 / 106 - 1)),
    "doc004.c16": (C, 100 * (4800 / 2640 - 1)),
    "doc004.c17": (N, 100 * 1726 / 1567),  # one home per village is not stated: not checkable (was inconsistent)
    # external claims: growth between curated external levels
    "ext.c01": (C, 100 * (7413 / 6648 - 1)),
    "ext.c02": (C, 100 * (20810 / 19267 - 1)),
    "ext.c03": (C, 100 * (8300 / 7413 - 1)),
    "ext.c04": (C, 100 * (22790 / 20810 - 1)),
    "ext.c05": (C, 100 * (11422 / 10489 - 1)),
    "ext.c06": (C, 100 * ((11422 / 10489) / 1.013 - 1)),  # rural CPI 2015
    "ext.c07": (C, 100 * (12363 / 11422 - 1)),
    "ext.c09": (C, 100 * (13432 / 12363 - 1)),
    "ext.c10": (C, 100 * ((13432 / 12363) / 1.013 - 1)),  # rural CPI 2017: 7.25 vs 7.3 (national CPI gave 6.94, X)
    "ext.c11": (C, 100 * (14617 / 13432 - 1)),
    "ext.c13": (C, 100 * (16021 / 14617 - 1)),
    "ext.c15": (C, 100 * (17131 / 16021 - 1)),
    "ext.c17": (C, 100 * (8896 / 7917 - 1)),
    "ext.c18": (C, 100 * ((8896 / 7917) / 1.028 - 1)),  # rural CPI 2013
    "ext.c19": (C, 100 * ((6977 / 5919) / 1.058 - 1)),  # rural CPI 2011: 11.41 vs 11.4 (national gave 11.84, X)
    "ext.c20": (C, 100 * ((7917 / 6977) / 1.025 - 1)),  # rural CPI 2012: 10.71 (national gave 10.60)
    "ext.c21": (C, 6977 - 5919),
    "ext.c22": (C, 9899 - 4335),
    "ext.c23": (C, (9899 - 4335) / 4),
    "ext.c24": (C, 10.2 - 4.5),
    "ext.c25": (C, (10.2 - 4.5) / 4),
    "ext.c26": (C, 4335 - 3046),
    "ext.c27": (C, 4.5 - 3.1),
    "ext.c28": (C, 3046 - 1660),
    "ext.c29": (C, 3.1 - 1.7),
    "ext.c30": (C, 1660 - 551),
    "ext.c31": (C, 1.7 - 0.6),
    "ext.c32": (C, 100 * (1 - 551 / 1660)),
    "ext.c33": (C, 7017 - 5575),
    "ext.c34": (C, 9899 - 8249),
    # 12800 - 9899 = 2901 [2850.5, 2951.5] against 2339: the 2011 level is the poverty office's count, another
    # definition: not checkable (was consistent only through a 5% band on 约1.28亿)
    "ext.c35": (N, 12800 - 9899),
    "ext.c36": (C, 16600 - 9899),
}

# ------------------------------------------------------------------------- not checkable, with what is missing

CLAIM_MISSING: dict[str, str] = {
    "doc000.c01": "2010 rural per-capita income of the Wuling",
    "doc001.c01": "Hunan poor population at end-2013 and end-2015",
    "doc001.c02": "Hunan poverty incidence of 2013",
    "doc001.c03": "2013 rural per-capita disposable income of the 40 key",  # cumulative since 2013 (was 2014)
    "doc001.c04": "2014 provincial special poverty fund",
    "doc001.c05": "2014 special poverty funds of Hunan prefectures",
    "doc001.c06": "budgeted at the same point of 2015",  # was inconsistent against the 2015 allocation
    "doc001.c07": "policy floor",
    "doc001.c08": "policy target",
    "doc003.c01": "number of poor villages",
    "doc003.c02": "number of rural poor insured",
    "doc003.c03": "inpatient costs of the poor",
    "doc004.c02": "ethnic-minority population",
    "doc004.c05": "unobserved level of 2012",
    "doc004.c06": "2012 is not observed",
    "doc004.c11": "Dapo villagers' income before and after",
    "doc004.c12": "Shibadong shareholders' income before and after",
    "doc004.c18": "villages with 4G coverage",
    "doc004.c19": "villages with broadband",
    "doc004.c20": "lifted out of poverty through tourism",
    # real growth of China's rural income in years whose rural CPI is not in the data (tests/metrics/test_deflators.py);
    # with the national CPI they were ext.c08 6.12 C, ext.c12 6.58 C, ext.c14 6.52 X, ext.c16 4.32 X
    "ext.c08": "the rural CPI of 2016 (china.rural_cpi_change.2016) is not in the data",
    "ext.c12": "the rural CPI of 2018 (china.rural_cpi_change.2018) is not in the data",
    "ext.c14": "the rural CPI of 2019 (china.rural_cpi_change.2019) is not in the data",
    "ext.c16": "the rural CPI of 2020 (china.rural_cpi_change.2020) is not in the data",
}

# ------------------------------------------------------------------------- consistency checks

CHECKS: dict[str, tuple[str, float, float]] = {
    # check id: (verdict, a by hand, b by hand) in the check's unit
    "doc004.k01": (DIFFERENT, 1726 / 0.919, 1567),  # homes are not villages (was disagree)
    "doc004.k02": (DISAGREE, 65.77 / 0.3193, 1.56 / 0.0065),
    "doc004.k03": (AGREE, 1.56 / 0.0065, 156484 / 0.066 / 1e4),
    "doc004.k04": (DISAGREE, 65.77 / 0.3193, 156484 / 0.066 / 1e4),
    "doc004.k05": (AGREE, 1.56 / 0.0065, 299.3),
    "doc004.k06": (AGREE, 211, 309),  # 厂房式 is one of the 309's forms: at_most (was different definitions)
    "doc004.k07": (DIFFERENT, 20000, 5349),
    "doc004.k08": (AGREE, 1.9 + 1.1, 2.5),  # each part <= 2.5万多 (was different definitions)
    "doc004.k09": (AGREE, 636 + 210, 2221),
    "doc004.k10": (AGREE, 2000, 5100),
    "doc004.k11": (AGREE, 5360, 8200),
    "doc004.k12": (AGREE, 8200, 12600),
    "doc004.k13": (AGREE, 25, 86),
    "doc004.k14": (AGREE, 68.6, 300),
    "doc004.k15": (AGREE, 2, 5),
    "doc004.k16": (DIFFERENT, 105, 115),
    "doc004.k17": (DIFFERENT, 1813, 1567),
    "doc004.k18": (AGREE, 57.2 / 10.6, 5),
    "doc004.k19": (DISAGREE, 8.9527, 65.77 - 1.56),
    "doc004.k20": (DISAGREE, 12.4, 2.4531),
    "doc004.k21": (AGREE, 31.93 - 0.65, 31.93 - 0.65),
    "doc004.k22": (DIFFERENT, 20363, 17600),
    "doc004.k23": (NOT_DECIDABLE, 11000, 5349),  # 110 among the 309? not stated (was different definitions)
    "doc004.k24": (AGREE, 45, 65.77),
    "doc004.k25": (AGREE, 1.56, 49),
    "doc004.k26": (AGREE, 1.56 / 0.0065, (66 - 55.42) / 0.0439),
    "doc004.k27": (DISAGREE, 65.77 / 0.3193, (66 - 55.42) / 0.0439),
    "doc004.k28": (DIFFERENT, 65.77, 66),  # cumulative registered total vs a 2013 stock (was agree)
    "doc000.k01": (NOT_DECIDABLE, 793 / 0.263, 49 / 0.017),  # assumes a constant population (was disagree)
    "doc000.k02": (AGREE, 7.3, 6300),
    "doc000.k03": (AGREE, 70, 71),
    "doc001.k01": (AGREE, 6 + 6, 12),
    "doc001.k02": (AGREE, 8, 10),
    "doc001.k03": (AGREE, 14, 17),
    "doc003.k01": (AGREE, 832, 832),
    "doc003.k02": (AGREE, 22, 22),
    # registered derived statements (issue 27, item 4): each with the document's printed numbers
    "doc004.k41": (AGREE, 1.56 / 0.0065, 218 / 0.03),  # 240万 within 7267万 (218万 / 3个多 points: 5438 to 7283)
    "doc001.k05": (AGREE, 60, 300),  # 2016 microcredit 60亿 within the five-year 300亿
    "doc001.k06": (AGREE, 4, 25.35),  # 不少于4亿 for industry projects within the 25.35亿 budget
    "doc004.k29": (AGREE, 315, (263.5e4 + 28e4) / 2866),  # Dapo: 315 poor within 291.5万元 / 2866元 = 1017
    "doc004.k30": (AGREE, 1.28e4 * 4800 / 1e8, 3.1),  # tekun: 1.28万 * 4800元 = 0.6144亿 within 3.1亿
    "doc004.k31": (AGREE, (143.6e4 * 50 + 139e4 * 50) / 1e8, 2),  # 1.413亿 at 2016 standards within 近2亿
    "doc004.k32": (AGREE, 2221, 25000),  # Rebamei's 2221 within the women's workshops' 2.5万多
    "doc004.k33": (AGREE, 1.76, 19.02),  # poor labourers trained within all vocational training
    "doc004.k34": (AGREE, 45 + 10, 65.77),  # 近45万 + 10万多 within the 2013 poor population
    "doc004.k35": (AGREE, 7, 7 + 1),  # 7 deep-poverty counties within 7县 + 1市
    "doc004.k36": (NOT_DECIDABLE, 705.7e8 / 26691 / 1e4, 299.3),  # 264.4万 per-capita base vs 总人口 299.3万
    "doc004.k37": (AGREE, 105, 124),  # townships with supervisors within the 124 supervisors
    "doc004.k38": (AGREE, 244, 1567),  # tourism key villages within the established villages
    "doc004.k39": (AGREE, 7, 70),  # Xiangxi's counties among the Wuling area's 70 that exited
    "doc004.k40": (AGREE, 7, 40),  # Xiangxi's counties among Hunan's 40 key and contiguous-area counties
    "doc003.k03": (AGREE, 832, 832),  # e-commerce coverage of all 832 poverty counties
    "doc003.k04": (AGREE, 832, 1172),  # 832 counties, 1172 paired county hospitals
    "doc002.k01": (AGREE, 23, 23),  # all 23 Luoxiao counties exited
}
