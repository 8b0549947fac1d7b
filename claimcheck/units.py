"""Quantities with units ("40 °C", "6.2 miles", "2 hours"): read from tokens, converted, compared.

News gives one quantity in two units ("temperatures reached 40C (104F)", "a 10 km (6.2 mile)
bridge"), and two outlets pick different ones. Two figures in different units of one measure say
the same thing when, converted, they agree to the precision they are written with; otherwise they
differ ("10 km" / "16 miles"). `claimcheck/signals.py` reads statements through this module.

The precision of a written figure is half a unit of its last significant digit ("6.2": 0.05;
"60": 5; "100": 50), so the rounding a writer does when converting ("100 km (60 miles)") is
allowed; it is held between `MIN_TOLERANCE` and `MAX_TOLERANCE` of the figure, so "10 km" does not
match "7 miles" and a conversion's last decimal does not break an agreement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Each spelling of a unit, by measure, mapped to one unit name ("km" and "kilometres" are one).
UNITS: dict[str, dict[str, str]] = {
    "time": {"second": "second", "seconds": "second", "minute": "minute", "minutes": "minute", "hour": "hour",
             "hours": "hour", "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
             "months": "month", "year": "year", "years": "year"},
    "length": {"mm": "mm", "cm": "cm", "centimetres": "cm", "centimeters": "cm", "m": "m", "metres": "m",
               "meters": "m", "metre": "m", "meter": "m", "km": "km", "kilometres": "km", "kilometers": "km",
               "kilometre": "km", "kilometer": "km", "inch": "inch", "inches": "inch",
               "foot": "foot", "feet": "foot", "ft": "foot", "yard": "yard", "yards": "yard", "mile": "mile",
               "miles": "mile"},
    "temperature": {"c": "celsius", "celsius": "celsius", "f": "fahrenheit", "fahrenheit": "fahrenheit"},
    "weight": {"g": "g", "grams": "g", "gram": "g", "kg": "kg", "kilograms": "kg", "kilogram": "kg",
               "kilos": "kg", "pounds": "pound", "pound": "pound", "lb": "pound", "lbs": "pound",
               "tons": "ton", "tonnes": "tonne", "tonne": "tonne", "ounces": "ounce", "ounce": "ounce",
               "oz": "ounce"},
}
MEASURE_OF = {spelling: measure for measure, spellings in UNITS.items() for spelling in spellings}
# Units read only after a degree sign or "degrees", or as a capital right after the figure ("40C",
# which `tokens` splits as "40", "C"): a lower-case "c" or "f" is a letter.
DEGREE_ONLY = frozenset({"c", "f"})

# Each unit in its measure's base unit (seconds, metres, grams). "ton" is left out: short, long
# and metric tons differ by up to a tenth, so "tons" is compared only with "tons".
FACTORS: dict[str, float] = {
    "second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400,
    "month": 365.25 / 12 * 86400, "year": 365.25 * 86400,
    "mm": 0.001, "cm": 0.01, "m": 1, "km": 1000, "inch": 0.0254, "foot": 0.3048, "yard": 0.9144,
    "mile": 1609.344,
    "g": 1, "kg": 1000, "tonne": 1e6, "pound": 453.59237, "ounce": 28.349523125,
}
TEMPERATURES: dict[str, Callable[[float], float]] = {  # to degrees Celsius
    "celsius": lambda x: x, "fahrenheit": lambda x: (x - 32) * 5 / 9,
}
MIN_TOLERANCE = 0.01  # of the larger figure: a conversion's rounding ("9 metres" / "30 feet": 1.6 %)
MAX_TOLERANCE = 0.05  # of the larger figure: "100 km" / "60 miles" (3.4 %) agree, "10 km" / "7 miles" not
TEMPERATURE_TOLERANCE = 1.0  # degrees Celsius: "30C" / "86F" agree, "40C" / "100F" (37.8C) do not


@dataclass(frozen=True)
class Quantity:
    """A figure with its unit, as found in a token list."""

    start: int  # index of the figure
    end: int  # index after the unit
    value: float
    measure: str
    unit: str
    text: str  # as a reason names it: "40°C", "6.2 miles"
    precision: float  # half a unit of the figure's last significant digit, in its own unit

    @property
    def base(self) -> float | None:
        """The value in the measure's base unit (degrees Celsius for temperatures), None where
        the unit has no fixed conversion ("tons")."""
        if self.measure == "temperature":
            return TEMPERATURES[self.unit](self.value)
        factor = FACTORS.get(self.unit)
        return None if factor is None else self.value * factor


def _precision(figure: str) -> float:
    """Half a unit of the last significant digit: "6.2" 0.05, "60" 5, "100" 50, "7" 0.5."""
    digits = figure.lstrip("$").replace(",", "")
    if "." in digits:
        return 0.5 * 10 ** -len(digits.split(".", 1)[1])
    zeros = len(digits) - len(digits.rstrip("0"))
    return 0.5 * 10 ** min(zeros, max(0, len(digits) - 1))


def quantities(toks: Sequence[str], value_of: Callable[[str], float | None]) -> list[Quantity]:
    """Every figure followed by a unit ("40 ° C", "40 degrees Fahrenheit", "6.2 miles").

    Args:
        toks: Tokens as `claimcheck.signals.tokens` gives them.
        value_of: Reads a token as a number (None when it is not one).
    """
    found: list[Quantity] = []
    for i, tok in enumerate(toks[:-1]):
        if not tok[:1].isdigit():
            continue
        value = value_of(tok)
        if value is None:
            continue
        j = i + 1
        degrees = toks[j] in ("°", "º") or toks[j].lower() == "degrees"
        if degrees and j + 1 < len(toks):
            j += 1
        word = toks[j].lower()
        measure = MEASURE_OF.get(word)
        if measure is None or (word in DEGREE_ONLY and not degrees and toks[j] not in ("C", "F")):
            continue
        text = " ".join(toks[i : j + 1]).replace(" ° ", "°").replace(" º ", "º")
        found.append(Quantity(i, j + 1, value, measure, UNITS[measure][word], text, _precision(tok)))
    return found


def agree(x: Quantity, y: Quantity) -> bool:
    """Whether two quantities of one measure give the same amount, to the precision written."""
    bx, by = x.base, y.base
    if bx is None or by is None:  # "tons": only the same figure in the same unit agrees
        return x.unit == y.unit and x.value == y.value
    if x.measure == "temperature":
        return abs(bx - by) <= TEMPERATURE_TOLERANCE
    larger = max(abs(bx), abs(by))
    written = max(x.precision * FACTORS[x.unit], y.precision * FACTORS[y.unit])
    tolerance = min(max(written, MIN_TOLERANCE * larger), MAX_TOLERANCE * larger)
    return abs(bx - by) <= tolerance


def converted_pairs(ta: Sequence[str], tb: Sequence[str], value_of: Callable[[str], float | None]
                    ) -> list[tuple[Quantity, Quantity]]:
    """The quantities the two statements give in different units of one measure, paired: for
    each measure that each statement gives exactly once ("10 km" / "6.2 miles"). With two or more
    of one measure in a statement, which one answers which cannot be told by units alone; units
    without a fixed conversion ("tons") are not paired."""
    qa, qb = quantities(ta, value_of), quantities(tb, value_of)
    pairs = []
    for measure in {q.measure for q in qa} & {q.measure for q in qb}:
        xs = [q for q in qa if q.measure == measure]
        ys = [q for q in qb if q.measure == measure]
        if len(xs) == len(ys) == 1 and xs[0].unit != ys[0].unit and None not in (xs[0].base, ys[0].base):
            pairs.append((xs[0], ys[0]))
    return sorted(pairs, key=lambda p: p[0].start)
