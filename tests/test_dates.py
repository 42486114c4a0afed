"""Dates as the text writes them become Gregorian bounds, with the calendar and vagueness kept."""

from __future__ import annotations

from datetime import datetime

import pytest

from kg.graph.dates import bounds, label


def span(written: str, calendar: str) -> tuple[datetime | None, datetime | None, str]:
    earliest, latest, start, end = bounds(written, calendar)
    return earliest, latest, label(earliest, latest, start, end, calendar)


def test_old_style_day_with_a_time_becomes_new_style() -> None:
    earliest, latest, text = span("1917-10-25T22:45", "julian")
    assert (earliest, latest) == (datetime(1917, 11, 7, 22, 45), datetime(1917, 11, 7, 22, 45, 59))
    assert text == "7 November 1917, 22:45 (25 October, 22:45 O.S.)"


def test_a_range_is_inclusive_to_the_last_second() -> None:
    earliest, latest, text = span("1917-11-09/1917-11-15", "gregorian")
    assert (earliest, latest) == (datetime(1917, 11, 9), datetime(1917, 11, 15, 23, 59, 59))
    assert text == "9–15 November 1917"


def test_an_unstated_calendar_covers_both_readings() -> None:
    earliest, latest, text = span("1917-09-12/1917-09-14", "either")
    assert (earliest, latest) == (datetime(1917, 9, 12), datetime(1917, 9, 27, 23, 59, 59))
    assert "calendar not stated" in text


def test_open_ends_have_no_bound() -> None:
    earliest, latest, text = span("../1917-11-07T10:00", "gregorian")
    assert earliest is None and latest == datetime(1917, 11, 7, 10, 0, 59)
    assert text == "by 7 November 1917, 10:00"
    assert span("1917-11-08/..", "gregorian")[1] is None


def test_month_and_year_precision() -> None:
    assert span("1918-03", "gregorian")[:2] == (datetime(1918, 3, 1), datetime(1918, 3, 31, 23, 59, 59))
    assert span("1890/1899", "gregorian")[2] == "1890 – 1899"
    # February 1900 has 29 days in the Julian calendar, 28 in the Gregorian.
    assert span("1900-02", "julian")[1] == datetime(1900, 3, 13, 23, 59, 59)


@pytest.mark.parametrize("written", ["1917-13-01", "1917-11-31", "November 1917", "1917-11-09/1917-11-01", "../..",
                                     "1917-11-01/1917-11-02/1917-11-03"])
def test_malformed_dates_are_refused(written: str) -> None:
    with pytest.raises(ValueError):
        bounds(written, "gregorian")
