"""Date expressions resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from kg.knowledge.dates import find_dates


@pytest.mark.parametrize("text, published, expected", [
    ("announced on October 5 that", date(2016, 10, 11), "2016-10-05"),
    ("starting October 11,", date(2016, 10, 11), "2016-10-11"),
    ("until last year, when", date(2016, 10, 11), "2015"),
    ("on December 28 the army", date(2017, 1, 3), "2016-12-28"),
    ("arrested on July 25, 2024 in", date(2024, 8, 1), "2024-07-25"),
    ("killed in December 2020 in", date(2022, 11, 4), "2020-12"),
    ("on 5 de octubre de 2016", date(2016, 10, 11), "2016-10-05"),
    ("arrested in 2017 and", date(2025, 8, 22), "2017"),
    ("in February, the group", date(2023, 11, 15), "2023-02"),
    ("on Monday, police", date(2016, 10, 12), "2016-10-10"),
])
def test_date_values(lexicon, text, published, expected):
    found = find_dates(text, lexicon.dates, published)
    assert [d.value for d in found] == [expected]


def test_offsets_point_at_the_expression(lexicon):
    text = "Zavala announced on October 5 that"
    (found,) = find_dates(text, lexicon.dates, date(2016, 10, 11), offset=100)
    assert (found.start, found.end, found.text) == (120, 129, "October 5")


def test_no_publication_date_keeps_only_explicit_years(lexicon):
    found = find_dates("on October 5, and in 2015", lexicon.dates, None)
    assert [d.value for d in found] == ["2015"]
