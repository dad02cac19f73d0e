"""Source notes generated from the encodings a figure draws (re-exported by :mod:`analysis.reports.figures`)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from analysis import paths

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
"""Counts up to twelve are written as words in running text (style, not data)."""


def in_words(n: int) -> str:
    """``n`` as a word up to twelve, else in digits: ``in_words(5) == "five"``.

    >>> in_words(5), in_words(13)
    ('five', '13')
    """
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


@lru_cache(maxsize=4)
def _document_count(path: str, mtime: float) -> int:
    sources = pd.read_csv(path, dtype=str, keep_default_na=False)
    return int(sources["file"].str.startswith("documents/").sum())


def documents_phrase() -> str:
    """``the five policy documents``: the number of curated documents of ``data/processed/sources.csv``.

    >>> documents_phrase()
    'the five policy documents'
    """
    path = paths.PROCESSED / "sources.csv"
    return f"the {in_words(_document_count(str(path), path.stat().st_mtime))} policy documents"


def sources_note() -> str:
    """The first sentence of every source note written by :func:`encoding_note` (document count from the data)."""
    return f"Source: curated from {documents_phrase()} (data/raw) and external sources (data/raw/external)."


ENCODINGS = {
    "document": "filled circles: document values",
    "external": "open circles: external (secondary) values",
    "derived": "open diamonds: derived values",
    "gap": "dotted line: years between two observations are not observed (nothing interpolated)",
    "real": "dashed line with crosses: real values",
    "break": "dashed vertical line: series break",
    "preliminary": "p: preliminary figure",
    "revised": "r: revised figure",
}
"""What each encoding a figure can draw means, in the order a source note names them.

A figure collects the keys of the encodings it actually draws (:func:`analysis.reports.figures.plot_points` returns
them) and :func:`encoding_note` names exactly those, so that no note explains a marker the
figure does not use or gives a marker a meaning the figure does not (review F2).
"""


def encoding_note(encodings: Iterable[str], prices: str = "Current prices.", extra: str = "") -> str:
    """The source note of a figure, naming only the encodings it draws.

    Parameters
    ----------
    encodings : iterable of str
        Keys of :data:`ENCODINGS` that the figure draws.
    prices : str
        The price-basis sentence (empty for none).
    extra : str
        Further sentences (e.g. :func:`external_note`).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For an encoding not in :data:`ENCODINGS`.

    Examples
    --------
    >>> encoding_note({"external", "gap"}, prices="")
    'Source: curated from the five policy documents (data/raw) and external sources (data/raw/external). Encodings: open circles: external (secondary) values; dotted line: years between two observations are not observed (nothing interpolated).'
    """
    used = set(encodings)
    unknown = sorted(used - set(ENCODINGS))
    if unknown:
        raise ValueError(f"unknown figure encoding(s) {unknown}; known: {', '.join(ENCODINGS)}")
    drawn = [text for key, text in ENCODINGS.items() if key in used]
    parts = [sources_note()]
    if drawn:
        parts.append("Encodings: " + "; ".join(drawn) + ".")
    parts += [t for t in (prices, extra) if t]
    return " ".join(parts)


def note_of(fig_or_note: str) -> set[str]:
    """The :data:`ENCODINGS` keys a source note names (the inverse of :func:`encoding_note`).

    >>> sorted(note_of(encoding_note({"derived", "document"})))
    ['derived', 'document']
    """
    return {key for key, text in ENCODINGS.items() if text in fig_or_note}
