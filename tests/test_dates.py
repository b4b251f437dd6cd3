"""Date expressions resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from kg.knowledge.dates import anaphoric_dates, find_dates


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
    # a weekday with its day of the month, as Brazilian reporting writes it: the day, even a week back
    ("seized on Tuesday (4) on a highway", date(2024, 6, 5), "2024-06-04"),
    ("carried out on Wednesday (29) an operation", date(2024, 6, 6), "2024-05-29"),
    ("arrested this Tuesday (4) in", date(2024, 6, 5), "2024-06-04"),
    ("on Friday (3), police", date(2024, 6, 5), "2024-05-31"),  # no Friday the 3rd near: the weekday alone
    # a weekday given with its date is that date, not the weekday before publication
    ("shot on Saturday night, November 1, in the", date(2025, 11, 6), "2025-11-01"),
    ("captured on Saturday, October 23, in a", date(2021, 10, 25), "2021-10-23"),
    ("on Sunday 3 March 2024 gunmen", date(2024, 3, 20), "2024-03-03"),
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


@pytest.mark.parametrize("before, text, expected", [
    ("On 20 November, the president declared a state of emergency.", "The same day, police arrested two men.",
     ["2023-11-20"]),
    ("Soldiers seized a boat near Tumaco on 3 May 2021.", "The next day, marines detained the crew.", ["2021-05-04"]),
    ("Troops reached the town on 1 March.", "Al día siguiente, the army left.", ["2023-03-02"]),
    ("Gunmen shot a candidate in Quito on 9 August.", "Within hours, police had detained six men.", ["2023-08-09"]),
    ("Gunmen shot a candidate in Quito on 9 August.", "The next morning, police detained six men.", ["2023-08-10"]),
    # a month or a year is no day to count from, and nothing before: no date
    ("The gang grew in March 2020.", "The same day, police arrested two men.", []),
    ("", "The following day, police arrested two men.", []),
])
def test_a_day_named_by_reference_counts_from_the_last_full_date_before_it(lexicon, before, text, expected):
    found = anaphoric_dates(text, before, lexicon.dates, date(2023, 11, 22))
    assert [d.value for d in found] == expected
    assert all(text[d.start:d.end].lower() in lexicon.dates.anaphoric_days for d in found)


def test_the_same_day_dates_the_event_of_its_sentence(lexicon, tmp_path):
    from kg.pipeline.builder import extract_file

    path = tmp_path / "brief.txt"
    path.write_text("Police act in Machala\n\nPublished on 22/11/2023\n\n"
                    "On November 20, the president declared a state of emergency in El Oro. The same day, police in "
                    "Machala arrested Édgar Quiroz.\n\nThe next day, police arrested Mónica Vera in Machala.\n")
    events = {(e.type, e.targets): e.date for e in extract_file(path, lexicon).events}
    assert events[("Arrest", ("edgar-quiroz",))] == "2023-11-20"
    assert events[("Arrest", ("monica-vera",))] is None  # a new paragraph: no date said before it
