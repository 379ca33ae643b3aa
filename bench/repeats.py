"""Figures measured over repeated runs: each run's baseline and candidate back to back, reported as ranges."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Figure:
    """One figure over the repeats, with its goal: `at_most` or `at_least` a bound, or none (for scale)."""

    label: str
    unit: str = ""
    at_most: float | None = None
    at_least: float | None = None
    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> float:
        self.values.append(value)
        return value

    def met(self, value: float) -> bool:
        return (self.at_most is None or value <= self.at_most) and (self.at_least is None or value >= self.at_least)

    def goal(self) -> str:
        if self.at_most is not None:
            return f"goal <= {self.at_most:g}"
        if self.at_least is not None:
            return f"goal >= {self.at_least:g}"
        return ""

    def line(self, digits: int = 2) -> str:
        def f(v: float) -> str:
            return f"{v:.{digits}f}"

        lo, hi, mid = min(self.values), max(self.values), statistics.median(self.values)
        text = f"{self.label:<52} {f(lo):>8} - {f(hi):<8} median {f(mid):>8}{self.unit}"
        if self.at_most is None and self.at_least is None:
            return text
        met = sum(self.met(v) for v in self.values)
        verdict = (
            "met in every repeat"
            if met == len(self.values)
            else f"MISSED in {len(self.values) - met} of {len(self.values)}"
        )
        return f"{text}   ({self.goal()}: {verdict})"


def report(title: str, figures: list[Figure], digits: Callable[[Figure], int] = lambda _: 2) -> None:
    runs = max((len(f.values) for f in figures), default=0)
    print(f"{title} (range over {runs} repeat{'s' if runs != 1 else ''}: min - max, median)")
    for figure in figures:
        print(f"    {figure.line(digits(figure))}")


def all_met(figures: list[Figure]) -> bool:
    return all(figure.met(v) for figure in figures for v in figure.values)
