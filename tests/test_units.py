"""claimcheck/units.py: quantities read from tokens, converted and compared."""

from __future__ import annotations

import pytest

from claimcheck.signals import _bound, number_value, tokens
from claimcheck.units import _precision, agree, converted_pairs, quantities


def _quantities(text: str):  # type: ignore[no-untyped-def]
    return quantities(tokens(text), number_value, _bound)


@pytest.mark.parametrize(("figure", "precision"), [("6.2", 0.05), ("60", 5), ("100", 50), ("7", 0.5), ("0", 0.5)])
def test_precision_is_half_a_unit_of_the_last_significant_digit(figure: str, precision: float) -> None:
    assert _precision(figure) == pytest.approx(precision)


@pytest.mark.parametrize(("text", "read"), [
    ("It reached 40°C on Monday.", [("40°C", "temperature", 40.0)]),
    ("Temperatures fell to -10C.", [("-10C", "temperature", -10.0)]),
    ("The road was closed for 5-10 km.", [("5-10 km", "length", 10.0)]),
    ("Rangers caught a 300-pound bear.", [("300-pound", "weight", 300.0)]),
    ("She ran it in 2 hours 1 minute.", [("2 hours 1 minute", "time", 121.0)]),
    ("The fence is 30 feet (9 metres) high.", [("30 feet", "length", 30.0)]),
    ("The fires burned 80 937 hectares.", [("80 937 hectares", "area", 80937.0)]),
    ("The passenger in seat 20C was hurt.", []),  # a seat, not a temperature
    ("Jets dropped 2 500-pound bombs.", [("500-pound", "weight", 500.0)]),
])
def test_quantities_are_read_as_news_writes_them(text: str, read: list[tuple[str, str, float]]) -> None:
    assert [(q.text, q.measure, q.value) for q in _quantities(text)] == read


def test_agreement_allows_the_writers_rounding_and_no_more() -> None:
    def same(a: str, b: str) -> bool:
        (x,), (y,) = _quantities(a), _quantities(b)
        return agree(x, y)
    assert same("10 km", "6.2 miles") and same("100 km", "60 miles") and same("40°C", "104°F")
    assert not same("100 km", "65 miles") and not same("5 years", "57 months") and not same("40°C", "100°F")
    assert same("about 90 miles", "150 km")  # an approximation: 10 %
    assert same("more than 10 km", "8 miles") and not same("more than 10 km", "less than 5 miles")
    assert same("warmed by 1.5C", "warmed by 2.7F")  # a change has no 32-degree offset
    assert not same("10 cm per hour", "4 inches per day")  # rates over two periods


def test_pairs_are_made_only_when_clear() -> None:
    def pairs(a: str, b: str) -> int:
        return len(converted_pairs(_quantities(a), _quantities(b)))
    assert pairs("The bridge is 10 km long.", "The bridge is 6.2 miles long.") == 1
    assert pairs("It is 10 km long.", "It is 12 km long.") == 0  # one unit: compared by the aligner
    assert pairs("Aid reached 100,000 tonnes.", "Aid reached 90,000 tons.") == 0  # "tons" has no one factor
    assert pairs("The 5 km route climbs 300 m.", "The 3 mile route climbs 900 feet.") == 0  # which is which?
    assert pairs("Highs of 40C and lows of 25C.", "Highs of 104F and lows of 77F.") == 2  # in order, all agree
