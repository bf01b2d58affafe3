"""Errors in what a user gives netsim: scenario files, experiment files, ``--set`` overrides.

A :class:`NetsimInputError` carries the file, the key path and what was wrong, and prints as
one readable message (one line per problem). The command line turns it into a message on
stderr and exit code 2, without a traceback; anything else that goes wrong is a bug and keeps
its traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

#: One problem: (key path or None, what is wrong).
Issue = tuple[str | None, str]


class NetsimInputError(Exception):
    """Bad user input: names the file, the key path and what was expected.

    ``file``, ``key_path`` and ``problem`` describe the first problem; ``issues`` lists every
    problem found in one pass, as ``(key_path, problem)`` pairs, so one exception can report
    all mistakes of a file at once.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        key_path: str | None = None,
        issues: Iterable[Issue] = (),
    ) -> None:
        more = list(issues)
        self.issues: list[Issue] = more if more else [(key_path, problem)]
        self.file = file
        self.key_path, self.problem = self.issues[0]
        super().__init__(str(self))

    @classmethod
    def combine(cls, issues: Sequence[Issue], *, file: str | None = None) -> NetsimInputError:
        """One exception reporting several problems of the same file."""
        if not issues:
            raise ValueError("combine() needs at least one issue")
        return cls(issues[0][1], file=file, key_path=issues[0][0], issues=issues)

    def with_file(self, file: str | None) -> NetsimInputError:
        """A copy naming ``file`` (unless this error already names one)."""
        if self.file is not None or file is None:
            return self
        return NetsimInputError(self.problem, file=file, issues=self.issues)

    def __str__(self) -> str:
        return "\n".join(_line(self.file, key, problem) for key, problem in self.issues)

    def __reduce__(self):  # keep pickling (multiprocessing) working with keyword-only args
        return (_rebuild, (self.problem, self.file, self.issues))


def _rebuild(problem: str, file: str | None, issues: list[Issue]) -> NetsimInputError:
    return NetsimInputError(problem, file=file, issues=issues)


def _line(file: str | None, key_path: str | None, problem: str) -> str:
    parts = [p for p in (file, key_path) if p]
    return ": ".join([*parts, problem])


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to ``word`` (case-insensitive), or None if nothing is close."""
    choices = list(choices)
    by_lower = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(str(word).lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[match[0]] if match else None


def unknown_name_problem(word: str, choices: Iterable[str], what: str = "key") -> str:
    """``unknown key; did you mean 'y'? (allowed: a, b, c)`` for the misspelt ``word``.

    ``what`` names the kind of thing, e.g. ``"key"`` or ``"graph generator 'foo'"``.
    """
    choices = sorted(choices)
    text = f"unknown {what}"
    best = did_you_mean(word, choices)
    if best is not None:
        text += f"; did you mean {best!r}?"
    if choices:
        text += f" (allowed: {', '.join(choices)})"
    return text
