"""The one error type for bad input: it names the file, the row and the column."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problem:
    """One problem found in an input file.

    Attributes
    ----------
    file : str
        File name relative to the project root.
    row : int or None
        1-based line number in the file (the header is line 1), or None for the file.
    column : str or None
        Column name, or None when the problem concerns a whole row or file.
    message : str
        A full sentence a reader can act on.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


@dataclass
class DataError(Exception):
    """Raised when input data fail validation; carries every problem found.

    Parameters
    ----------
    problems : list of Problem
        All problems found (validation is lazy: it reports as many as it can at once).
    """

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the input data:"
        lines = [f"  - {p}" for p in self.problems[:50]]
        if n > 50:
            lines.append(f"  ... and {n - 50} more")
        return "\n".join([head, *lines])

    @classmethod
    def one(cls, file: str, row: int | None, column: str | None, message: str) -> DataError:
        """Build an error with a single problem."""
        return cls([Problem(file, row, column, message)])
