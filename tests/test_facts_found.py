"""Dates, counts and monument years in the phrasings articles use."""
import datetime as dt

import pytest

from memorial_kit.facts_found import find_counts, find_dates, find_monument_years

D = dt.date


@pytest.mark.parametrize("text, expected", [
    ("19 July 1953 – 1 August 1953", [(D(1953, 7, 19), D(1953, 8, 1), "day")]),
    ("from 19 July – 1 August 1953", [(D(1953, 7, 19), D(1953, 8, 1), "day")]),
    ("July 1941 – August 1944", [(D(1941, 7, 1), D(1944, 8, 1), "month")]),
    ("between 1940 and 1941", [(D(1940, 1, 1), D(1941, 1, 1), "year")]),
    ("1941–1944", [(D(1941, 1, 1), D(1944, 1, 1), "year")]),
    ("on April 18, 1988", [(D(1988, 4, 18), None, "day")]),
    ("in March 1949", [(D(1949, 3, 1), None, "month")]),
    ("14–17 June 1941", [(D(1941, 6, 14), D(1941, 6, 17), "day")]),
    ("July 19 – August 1, 1953", [(D(1953, 7, 19), D(1953, 8, 1), "day")]),
    ("June 14–17, 1941", [(D(1941, 6, 14), D(1941, 6, 17), "day")]),
    ("July – August 1944", [(D(1944, 7, 1), D(1944, 8, 1), "month")]),
])
def test_dates(text, expected):
    assert [(d.start, d.end, d.precision) for d in find_dates(text, 1)] == expected


def test_counts_keep_their_qualifier_and_source():
    found, skipped = find_counts(
        "About 254,000 people were deported. According to the commission, over 1,200 were "
        "killed; more than 1.5 million were murdered. It reached 18,000.", 3)
    assert [(c.count, c.qualifier, c.source, c.casualty) for c in found] == [
        (254000, "about", "", False), (1200, "over", "the commission", True),
        (1500000, "more than", "", True)]
    assert skipped == [("18,000", "no word after it says what is counted")]


def test_days_and_years_are_not_counts():
    found, _ = find_counts("On 26 July 1953 and on July 31 the guards fired.", 1)
    assert found == []


def test_monument_years():
    years = find_monument_years("It was inaugurated in 1956 and restored in 2012; a plaque was "
                                "unveiled on 18 April 1988.", 7)
    assert [(y.event, y.year) for y in years] == [("inaugurated", 1956), ("restored", 2012),
                                                  ("unveiled", 1988)]
