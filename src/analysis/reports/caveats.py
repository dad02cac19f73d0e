"""Caveats ranked by how much they can change a reading, shown beside the key findings they touch.

Each report lists its caveats as :class:`Caveat` records (in its ``*_text`` module), each
with the *effect* it can have on a reading and the key findings it touches (their keys in
:mod:`analysis.build.findings`, anchors ``finding-<key>`` of ``reports/index.html``). A
caveat is listed only when the run uses the data it is about (the report decides, from the
run's series and tables), so a run without a 2015 GDP value never carries the 2015 caveat.

Ranking rule (:func:`rank`): by :data:`EFFECTS` (a caveat that can reverse a sign or a
verdict before one that changes a magnitude, before one that limits what a number covers,
before a procedural rule), then by the number of key findings it touches (more first), then
in the report's order. The first :data:`TOP` are shown first as "the caveats that most change
a reading", each with links to its findings; the rest follow; rules that apply to every row
(boilerplate) are stated once at the end (:func:`render`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

EFFECTS = ("sign", "magnitude", "scope", "procedure")
"""How much a caveat can change a reading, most first: it can reverse a sign or verdict; it
changes a magnitude; it limits what the number covers; it states how the numbers are made."""

EFFECT_WORDS = {
    "sign": "can reverse a sign or verdict",
    "magnitude": "changes a magnitude",
    "scope": "limits what the number covers",
    "procedure": "how the numbers are made",
}

TOP = 3
"""How many caveats lead the section."""


@dataclass(frozen=True)
class Caveat:
    """One caveat of a report.

    Attributes
    ----------
    title : str
        Bold lead words.
    text : str
        The caveat (Markdown).
    effect : str
        One of :data:`EFFECTS`.
    findings : tuple of str
        Keys of the key findings it touches (may be empty).
    """

    title: str
    text: str
    effect: str
    findings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.effect not in EFFECTS:
            raise ValueError(f"caveat {self.title!r}: effect {self.effect!r} is not one of {', '.join(EFFECTS)}")


def rank(caveats: Iterable[Caveat]) -> list[Caveat]:
    """The caveats in ranking order (see the module docstring).

    >>> a = Caveat("a", "", "procedure", ("x", "y"))
    >>> b = Caveat("b", "", "magnitude", ("x",))
    >>> c = Caveat("c", "", "magnitude", ("x", "y"))
    >>> [k.title for k in rank([a, b, c])]
    ['c', 'b', 'a']
    """
    items = list(caveats)
    return sorted(items, key=lambda c: (EFFECTS.index(c.effect), -len(c.findings), items.index(c)))


def finding_links(keys: Sequence[str]) -> str:
    """Markdown links to the key findings on the index page (``index.html#finding-<key>``)."""
    return ", ".join(f"[{k}](index.html#finding-{k})" for k in keys)


def render(caveats: Iterable[Caveat], boilerplate: Sequence[str] = ()) -> str:
    """Markdown: the :data:`TOP` ranked caveats, then the others, then the rules stated once.

    >>> print(render([Caveat("Base.", "The base differs.", "sign", ("gdp-growth",))], ["Same year only."]))
    **The caveats that most change a reading** (ranked: reverses a sign or verdict, then changes a magnitude, then limits scope, then procedure; ties by the key findings touched):
    <BLANKLINE>
    1. **Base.** The base differs. *(can reverse a sign or verdict; key findings: [gdp-growth](index.html#finding-gdp-growth))*
    <BLANKLINE>
    **Stated once for every row of this report:** Same year only.
    """
    ranked = rank(caveats)
    out = [
        (
            "**The caveats that most change a reading** (ranked: reverses a sign or verdict, then changes a "
            "magnitude, then limits scope, then procedure; ties by the key findings touched):"
        ),
        "",
    ]
    for i, c in enumerate(ranked[:TOP], 1):
        touched = f"; key findings: {finding_links(c.findings)}" if c.findings else ""
        out.append(f"{i}. **{c.title}** {c.text} *({EFFECT_WORDS[c.effect]}{touched})*")
    if len(ranked) > TOP:
        out += ["", "**Further caveats:**", ""]
        out += [f"- **{c.title}** {c.text}" for c in ranked[TOP:]]
    if boilerplate:
        out += ["", "**Stated once for every row of this report:** " + " ".join(boilerplate)]
    return "\n".join(out)


def table(caveats: Iterable[Caveat]) -> pd.DataFrame:
    """The ranked caveats as a table (``tables/<run>_caveats.csv``): the index reads it to show each
    caveat beside the key findings it touches.

    Columns: ``rank`` (1 = changes a reading most), ``title``, ``effect``, ``findings`` (keys,
    space-separated) and ``text``.
    """
    ranked = rank(caveats)
    return pd.DataFrame(
        {
            "rank": range(1, len(ranked) + 1),
            "title": [c.title.rstrip(".") for c in ranked],
            "effect": [c.effect for c in ranked],
            "findings": [" ".join(c.findings) for c in ranked],
            "text": [c.text for c in ranked],
        },
        columns=["rank", "title", "effect", "findings", "text"],
    )
