"""The one formatting module: numbers, observations, bases and periods as the reports write them,
and the rendering of headline records (:class:`analysis.reports.headlines.Record`).

The index's key findings (:mod:`analysis.build.findings`), README's and docs' results blocks
(:mod:`analysis.build.readme`) and the notebooks' headline cells all render records with
:func:`sentence` / :func:`markdown`, so one record reads the same everywhere.

In a report notebook, the headlines of its run are one line, after the cells that write its
tables (``run.out.tables`` is the run's ``tables/`` folder)::

    from analysis.reports import fmt, growth_headlines
    from analysis.reports.headlines import Context
    display(Markdown(fmt.markdown(growth_headlines.records(Context.of(run.out.tables)))))

(``comparison_headlines``, ``elasticity_headlines`` and ``audit_headlines`` the same way; a run
whose tables are named otherwise than the default run's shows no record, as the headlines are
the default run's.)

>>> pct(0.0908163, 2)
'9.08%'
>>> num(-0.5)
'−0.50'
>>> level(418.9), exact(70570000000.0)
('418.9', '70570000000')
>>> basis("document external")
'nominal; documents + external values'
"""

from __future__ import annotations

import html as _html
import re
import textwrap
from collections.abc import Iterable

import pandas as pd

from analysis.reports.headlines import Record


def pct(v: float, digits: int = 1) -> str:
    """A fraction as a percentage (0.0908 -> '9.1%')."""
    return f"{100 * float(v):.{digits}f}%"


def num(v: float, digits: int = 2) -> str:
    """A number with fixed decimals, trailing zeros kept (a minus sign, not a hyphen)."""
    return f"{float(v):.{digits}f}".replace("-", "−")


def level(v: float) -> str:
    """A level as printed, shortest form: ``418.9``, ``16171``, ``0.65``."""
    return f"{v:g}"


def exact(v: float) -> str:
    """A value without exponent or float noise: ``70570000000``, ``0.3193``."""
    return str(int(v)) if float(v).is_integer() else f"{v:.12g}"


def sized(v: float) -> str:
    """A value with about four significant digits and thousands separators (``1,878``, ``64.21``)."""
    mag = abs(v)
    d = 0 if mag >= 100 else 1 if mag >= 10 else 2 if mag >= 0.1 else 3
    return f"{v:,.{d}f}"


def para(text: str, width: int = 90) -> str:
    """``text`` wrapped as a Markdown paragraph (words and numbers never split)."""
    return textwrap.fill(text, width, break_long_words=False, break_on_hyphens=False)


def years(cell: object) -> list[int]:
    """The years in a cell (``"2013 2014 2019"``, ``"2013-2019"``) as integers."""
    return [int(y) for y in str(cell).replace("-", " ").split() if y.isdigit()]


def period(start: int | str, end: int | str) -> str:
    """``2013-2019``."""
    return f"{int(start)}-{int(end)}"


def as_printed(o: pd.Series) -> str:
    """An observation's value as the document prints it, with its unit (``705.7 亿元``)."""
    return f"{o['value_printed'] or level(o['value'])} {o['unit']}"


# English words of the source units (the exact conversion of a printed value).
UNIT_WORDS = {"元": "yuan", "元/年": "yuan a year", "元/月": "yuan a month", "个": "", "人": "persons"}


def printed(o: pd.Series) -> str:
    """An observation in English units, converted exactly from the printed value.

    418.9 亿元 -> '41.89 bn yuan'; 65.77 万人 -> '657,700 persons'; 1980 元/年 -> '1,980 yuan a year';
    31.93 % -> '31.93%'. The value as printed, with its quote, is in the data catalog.
    """
    p = o["value_printed"] if isinstance(o["value_printed"], str) and o["value_printed"] else f"{o['value']:g}"
    if not re.fullmatch(r"[\d,]+(\.\d+)?", p):  # printed in words or another unit ("60.505 billion CNY")
        p = f"{o['value']:g}"
    dec = len(p.split(".")[1]) if "." in p else 0
    v, unit = float(o["value"]), o["unit"]
    if unit == "亿元":
        return f"{v / 10:,.{dec + 1}f} bn yuan"
    if unit == "万人":
        return f"{v * 1e4:,.0f} persons"
    if unit == "%":
        return f"{p}%"
    if unit in UNIT_WORDS:
        return f"{v:,.{dec}f} {UNIT_WORDS[unit]}".strip()
    return f"{p} {unit}"


def basis(kinds: str, real: bool = False) -> str:
    """Basis text from a ``kinds_used`` cell ('document external' -> 'nominal; documents + external values')."""
    ks = set(str(kinds).replace("/", " ").split()) & {"document", "external", "derived"}
    src = (
        "documents only"
        if ks <= {"document"}
        else (
            "documents + " + " + ".join(f"{k} values" for k in sorted(ks - {"document"}))
            if "document" in ks
            else " + ".join(f"{k} values" for k in sorted(ks)) + " only"
        )
    )
    return f"{'real' if real else 'nominal'}; {src}"


def faster(gap: float) -> str:
    """``faster`` for a positive growth gap, ``slower`` otherwise."""
    return "faster" if gap > 0 else "slower"


# ----------------------------------------------------------------------------- records


def sentence(r: Record) -> str:
    """A record's sentence on one line (the same in the index, README and a notebook)."""
    return " ".join(r.text.split())


def html(r: Record) -> str:
    """A record's sentence, HTML-escaped."""
    return _html.escape(sentence(r), quote=False)


def markdown(records: Iterable[Record], meta: bool = False) -> str:
    """Records as a Markdown list, one bullet per record (``meta``: period and basis after each)."""
    return "\n".join(f"- {sentence(r)}" + (f" *({r.period}; {r.basis})*" if meta else "") for r in records)


def block(r: Record, width: int = 90) -> str:
    """A record as a documentation block: each paragraph wrapped at ``width``, list lines kept whole."""
    return "\n".join(line if not line or line.startswith("- ") else para(line, width) for line in r.text.split("\n"))
