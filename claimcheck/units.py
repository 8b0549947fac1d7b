"""Quantities with units ("40 °C", "6.2 miles", "2 hours"): read from tokens, converted, compared.

News gives one quantity in two units ("temperatures reached 40C (104F)", "a 10 km (6.2 mile)
bridge"), and two outlets pick different ones. Two figures in different units of one measure say
the same thing when, converted, they agree to the precision they are written with; otherwise they
differ ("10 km" / "16 miles"). `claimcheck/signals.py` reads statements through this module.

The precision of a written figure is half a unit of its last significant digit ("6.2": 0.05;
"60": 5; "100": 50). Of two figures, the finer precision is the writer's rounding ("100 km (62
miles)": half a mile), held between `MIN_TOLERANCE` and `MAX_TOLERANCE` of the figure, so "100 km"
and "60 miles" agree (3.4 %) while "100 km" and "65 miles" (4.6 %), "5 years" and "57 months",
"10 km" and "7 miles" do not.

Read as one quantity: a negative figure ("-10C", "minus 5 degrees Celsius"); a range ("5-10 km", both
ends compared); a unit joined by a hyphen ("a 300-pound bear"); an area ("100 square metres",
"2 hectares"); a figure in two units of one measure ("2 hours 1 minute"); and a quantity followed
by its own conversion ("30 feet (9 metres)"), which is one quantity, not two. A rate ("10 cm per
hour") is only paired with a rate over the same period; a temperature change ("warmed by 1.5C")
converts without the 32 degrees' offset and is only paired with another change.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

# Each spelling of a unit, by measure, mapped to one unit name ("km" and "kilometres" are one).
UNITS: dict[str, dict[str, str]] = {
    "time": {"second": "second", "seconds": "second", "minute": "minute", "minutes": "minute", "min": "minute",
             "mins": "minute", "hour": "hour", "hours": "hour", "h": "hour", "hr": "hour", "hrs": "hour", "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
             "months": "month", "year": "year", "years": "year"},
    "length": {"mm": "mm", "cm": "cm", "centimetres": "cm", "centimeters": "cm", "m": "m", "metres": "m",
               "meters": "m", "metre": "m", "meter": "m", "km": "km", "kilometres": "km", "kilometers": "km",
               "kilometre": "km", "kilometer": "km", "inch": "inch", "inches": "inch",
               "foot": "foot", "feet": "foot", "ft": "foot", "yard": "yard", "yards": "yard", "mile": "mile",
               "miles": "mile"},
    "area": {"acre": "acre", "acres": "acre", "hectare": "hectare", "hectares": "hectare", "ha": "hectare"},
    "temperature": {"c": "celsius", "celsius": "celsius", "f": "fahrenheit", "fahrenheit": "fahrenheit"},
    "weight": {"g": "g", "grams": "g", "gram": "g", "kg": "kg", "kilograms": "kg", "kilogram": "kg",
               "kilos": "kg", "pounds": "pound", "pound": "pound", "lb": "pound", "lbs": "pound",
               "tons": "ton", "tonnes": "tonne", "tonne": "tonne", "ounces": "ounce", "ounce": "ounce",
               "oz": "ounce"},
}
MEASURE_OF = {spelling: measure for measure, spellings in UNITS.items() for spelling in spellings}
# A bare "C" or "F" is a letter ("seat 20C", "apartment 12F") unless a degree sign or "degrees"
# comes before it, or the statement speaks of temperature (`TEMPERATURE_WORDS`).
DEGREE_ONLY = frozenset({"c", "f"})
TEMPERATURE_WORDS = frozenset({
    "temperature", "temperatures", "degrees", "heat", "heatwave", "warm", "warmer", "warmed", "warming",
    "hot", "hotter", "cold", "colder", "freezing", "chill", "cool", "cooler", "cooled", "high", "highs",
    "low", "lows", "celsius", "fahrenheit", "thermometer", "thermometers", "climate",
})
RATE_WORDS = frozenset({"per", "a", "an", "each", "every", "/"})

# Each unit in its measure's base unit (seconds, metres, square metres, grams). "ton" is left out:
# short, long and metric tons differ by up to a tenth, so "tons" is compared only with "tons".
FACTORS: dict[str, float] = {
    "second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400,
    "month": 365.25 / 12 * 86400, "year": 365.25 * 86400,
    "mm": 0.001, "cm": 0.01, "m": 1, "km": 1000, "inch": 0.0254, "foot": 0.3048, "yard": 0.9144,
    "mile": 1609.344,
    "acre": 4046.8564224, "hectare": 10_000,
    "g": 1, "kg": 1000, "tonne": 1e6, "pound": 453.59237, "ounce": 28.349523125,
}
SQUARE = {f"square {unit}": factor ** 2 for unit, factor in FACTORS.items() if unit in UNITS["length"].values()}
MIN_TOLERANCE = 0.01  # of the larger figure: a conversion's last decimal ("9 metres" / "30 feet": 1.6 %)
MAX_TOLERANCE = 0.05  # of the larger figure: the most a writer's rounding may move a converted figure
APPROXIMATE_TOLERANCE = 0.1  # "about 90 miles" / "about 150 km" (3.5 %), as `signals.BOUNDS` reads "about"
# Month names and abbreviations (`signals.MONTHS` is this set; `signals` imports this module).
MONTH_WORDS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                         "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                         "sep", "sept", "oct", "nov", "dec"})
TEMPERATURE_TOLERANCE = 1.0  # degrees Celsius: "30C" / "86F" agree, "40C" / "100F" (37.8C) do not
ALIAS_GAP = 3  # tokens between a quantity and its own conversion: "30 feet (9 metres)"


@dataclass(frozen=True)
class Quantity:
    """A figure (or a range of two) with its unit, as found in a token list."""

    start: int  # index of its first token: the figure, its sign, a range's low end or "between", a
    # thousands group written apart ("80 937")
    end: int  # index after the unit
    value: float
    measure: str
    unit: str
    text: str  # as a reason names it: "40°C", "6.2 miles", "5-10 km"
    precision: float  # half a unit of the figure's last significant digit, in its own unit
    low: float | None = None  # the low end of a range ("5-10 km"), else None
    rate: str = ""  # the period of a rate ("10 cm per hour": "hour"), else ""
    change: bool = False  # a change ("warmed by 1.5C"), not a reading
    parts: int = 1  # figures summed into it ("2 hours 1 minute": 2)
    bound: str | None = None  # ">", "<=", "~" ...: "more than 10 km", "about 90 miles" (`signals.BOUNDS`)

    def base(self, value: float | None = None) -> float | None:
        """`value` (default the figure) in the measure's base unit (degrees Celsius for a
        temperature), None where the unit has no fixed conversion ("tons")."""
        value = self.value if value is None else value
        if self.measure == "temperature":
            if self.unit == "celsius":
                return value
            return value * 5 / 9 if self.change else (value - 32) * 5 / 9
        factor = FACTORS.get(self.unit, SQUARE.get(self.unit))
        return None if factor is None else value * factor

    @property
    def factor(self) -> float:
        """How much one unit of the figure is in the base unit (for its precision)."""
        if self.measure == "temperature":
            return 1.0 if self.unit == "celsius" else 5 / 9
        return FACTORS.get(self.unit, SQUARE.get(self.unit, 1.0))


def _precision(figure: str) -> float:
    """Half a unit of the last significant digit: "6.2" 0.05, "60" 5, "100" 50, "7" 0.5."""
    digits = figure.lstrip("$").replace(",", "")
    if "." in digits:
        return 0.5 * 10 ** -len(digits.split(".", 1)[1])
    zeros = len(digits) - len(digits.rstrip("0"))
    return 0.5 * 10 ** min(zeros, max(0, len(digits) - 1))


def _unit_at(toks: Sequence[str], j: int, temperature_talk: bool) -> tuple[str, str, int] | None:
    """(measure, unit, index after it) of a unit starting at toks[j] ("km", "square metres",
    "° C", "degrees Fahrenheit"), else None."""
    degrees = toks[j] in ("°", "º") or toks[j].lower() == "degrees"
    if degrees and j + 1 < len(toks):
        j += 1
    word = toks[j].lower()
    if word == "square" and j + 1 < len(toks) and MEASURE_OF.get(toks[j + 1].lower()) == "length":
        return "area", "square " + UNITS["length"][toks[j + 1].lower()], j + 2
    measure = MEASURE_OF.get(word)
    if measure is None:
        return None
    if word in DEGREE_ONLY and not degrees and not (toks[j] in ("C", "F") and temperature_talk):
        return None
    return measure, UNITS[measure][word], j + 1


def _written(words: Sequence[str]) -> str:
    """A quantity's tokens as text: "-10C", "40°C", "5-10 km", "300-pound"."""
    text = " ".join(words).replace(" ° ", "°").replace(" º ", "º").replace(" - ", "-")
    text = re.sub(r"^(?:-|−) ", "-", text)
    return re.sub(r"(\d) ([CF])$", r"\1\2", text)


def quantities(toks: Sequence[str], value_of: Callable[[str], float | None],
               bound_of: Callable[[Sequence[str], int], str | None] = lambda toks, i: None) -> list[Quantity]:
    """Every figure followed by a unit ("40 ° C", "40 degrees Fahrenheit", "6.2 miles"), with a
    quantity's own conversion folded into it ("30 feet ( 9 metres )": one quantity).

    Args:
        toks: Tokens as `claimcheck.signals.tokens` gives them.
        value_of: Reads a token as a number (None when it is not one).
        bound_of: The bound or approximation ("more than", "about") before the token at an index.
    """
    temperature_talk = any(t.lower() in TEMPERATURE_WORDS for t in toks)
    found: list[Quantity] = []
    i = 0
    while i < len(toks) - 1:
        tok = toks[i]
        value = value_of(tok) if tok[:1].isdigit() and tok.isascii() else None
        j = i + 1 + (toks[i + 1] == "-" and i + 2 < len(toks))  # "300-pound"
        unit = _unit_at(toks, j, temperature_talk) if value is not None else None
        if value is None or unit is None:
            i += 1
            continue
        measure, name, end = unit
        start, low = i, None
        if i and len(tok) == 3 and tok.isdigit() and j == i + 1 and toks[i - 1].isascii() \
                and toks[i - 1].isdigit() and len(toks[i - 1]) <= 3 \
                and not (i >= 2 and (toks[i - 2].lower() in MONTH_WORDS or toks[i - 2][:1].isdigit())):
            # "80 937 hectares": thousands written apart ("March 5 300 acres", "2 500-pound bombs"
            # are two figures)
            start, value = i - 1, float(toks[i - 1]) * 1000 + value
        before = toks[start - 1].lower() if start else ""
        if before in ("-", "to", "and") and start >= 2 and toks[start - 2][:1].isdigit() \
                and value_of(toks[start - 2]) is not None:
            start, low = start - 2, value_of(toks[start - 2])  # "5-10 km", "5 to 10 km"
            if start and toks[start - 1].lower() == "between":
                start -= 1
        elif before in ("-", "−", "minus") and not (start >= 2 and toks[start - 2][:1].isdigit()):
            start, value = start - 1, -value  # "-10C", "minus 5 degrees Celsius"
        rate = toks[end + 1].lower() if end + 1 < len(toks) and toks[end].lower() in RATE_WORDS \
            and MEASURE_OF.get(toks[end + 1].lower()) == "time" else ""
        bound = bound_of(toks, start)
        k = start - 1  # "warmed by 1.5C", "rose by about 1.5C": a change, past any bound words
        while k >= 0 and bound and toks[k].lower() in _BOUND_WORDS:
            k -= 1
        change = measure == "temperature" and k >= 0 and toks[k].lower() == "by"
        text = _written(toks[start:end])
        quantity = Quantity(start, end + (2 if rate else 0), value, measure, name, text, _precision(tok),
                            low, UNITS["time"].get(rate, ""), change, bound=bound)
        found.append(quantity)
        i = end
    return _fold(found)


_BOUND_WORDS = frozenset({"more", "less", "fewer", "than", "over", "above", "under", "below", "at", "least", "most",
                          "up", "to", "upwards", "of", "no", "not", "nearly", "almost", "just", "about", "around",
                          "roughly", "approximately", "some", "estimated", "an", "close"})


def _fold(found: list[Quantity]) -> list[Quantity]:
    """Merge "2 hours 1 minute" into one quantity, and drop a quantity's own conversion that
    follows it ("30 feet (9 metres)"), keeping its span."""
    out: list[Quantity] = []
    for q in found:
        last = out[-1] if out else None
        if last is None or last.measure != q.measure or q.start - last.end > ALIAS_GAP \
                or q.low is not None or last.low is not None:
            out.append(q)
            continue
        big, small = last.base(1.0), q.base(1.0)
        if q.start == last.end and big and small and big > small and q.base() is not None \
                and last.base() is not None and not last.change and last.measure != "temperature":
            # "2 hours 1 minute": the sum, in the smaller unit
            total = (last.base() + q.base()) / small  # type: ignore[operator]
            out[-1] = replace(q, start=last.start, value=total, text=f"{last.text} {q.text}", parts=last.parts + 1,
                              bound=last.bound)
        elif agree(last, q):  # "30 feet (9 metres)": one quantity, given twice
            out[-1] = replace(last, end=q.end)
        else:
            out.append(q)
    return out


def agree(x: Quantity, y: Quantity) -> bool:
    """Whether two quantities of one measure give the same amount, to the precision written."""
    if x.rate != y.rate or x.change != y.change or (x.low is None) != (y.low is None):
        return False
    if x.low is not None and y.low is not None and not _close(x, y, x.low, y.low):
        return False
    return _close(x, y, x.value, y.value)


def _close(x: Quantity, y: Quantity, vx: float, vy: float) -> bool:
    """Whether the amounts two quantities allow overlap: each figure give or take the writer's
    rounding, a bound one-sided ("more than 10 km" allows 8 miles), an approximation 10 %."""
    bx, by = x.base(vx), y.base(vy)
    if bx is None or by is None:  # "tons": only the same figure in the same unit agrees
        return x.unit == y.unit and vx == vy
    larger = max(abs(bx), abs(by))
    if x.measure == "temperature" and not x.change:
        tolerance = TEMPERATURE_TOLERANCE
    else:
        written = min(x.precision * x.factor, y.precision * y.factor)
        tolerance = min(max(written, MIN_TOLERANCE * larger), MAX_TOLERANCE * larger)
    lo_x, hi_x = _allowed(x.bound, bx, tolerance / 2, APPROXIMATE_TOLERANCE * larger)
    lo_y, hi_y = _allowed(y.bound, by, tolerance / 2, APPROXIMATE_TOLERANCE * larger)
    return lo_x <= hi_y and lo_y <= hi_x


def _allowed(bound: str | None, value: float, half: float, approximate: float) -> tuple[float, float]:
    """The amounts a figure with this bound allows."""
    if bound in (">", ">="):
        return value - half, math.inf
    if bound in ("<", "<="):
        return -math.inf, value + half
    if bound == "~":
        return value - max(half, approximate), value + max(half, approximate)
    if bound == "~<":  # "nearly 40C": a little under
        return value - max(half, approximate), value + half
    return value - half, value + half


def converted_pairs(qa: Sequence[Quantity], qb: Sequence[Quantity]) -> list[tuple[Quantity, Quantity]]:
    """The quantities two statements give (`quantities` of each) in different units of one
    measure, paired: for each measure that each statement gives exactly once ("10 km" / "6.2
    miles"), or as often in each, in text order, when every pair agrees. Otherwise which one
    answers which cannot be told by units alone; units without a fixed conversion ("tons"), rates
    over other periods, a change against a reading and a range against one figure are not paired."""
    pairs = []
    for measure in {q.measure for q in qa} & {q.measure for q in qb}:
        xs = [q for q in qa if q.measure == measure]
        ys = [q for q in qb if q.measure == measure]
        both = [(x, y) for x, y in zip(xs, ys) if _comparable(x, y)]
        if len(xs) == len(ys) == 1 and both:
            pairs += both
        elif len(xs) == len(ys) == len(both) > 1 and all(agree(x, y) for x, y in both):
            pairs += both  # "highs of 40C and lows of 25C" / "highs of 104F and lows of 77F", in order
    return sorted(pairs, key=lambda p: p[0].start)


def _comparable(x: Quantity, y: Quantity) -> bool:
    """Two quantities of one measure that conversion can compare, and which need it."""
    return (x.unit != y.unit or x.parts + y.parts > 2) and None not in (x.base(), y.base()) \
        and x.rate == y.rate and x.change == y.change and (x.low is None) == (y.low is None)
