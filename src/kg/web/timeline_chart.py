"""Laying out the timeline as SVG: a broken time axis and one row per dated event.

The text dwells on September 1917 to March 1918 and recalls a few earlier and later years, so
the axis shows that main period at full width and each outlying period (1903, 1905-1906, ...)
as a short segment of its own, with a break between segments wherever the scale changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..timeline import Event

MAIN_PERIOD = (datetime(1917, 9, 1), datetime(1918, 4, 1))
WIDTH = 1200  # the SVG's user units; the page scales it
LEFT, RIGHT = 16, WIDTH - 16
AXIS_HEIGHT = 44
ROW = 22
OUTLIER_WIDTH = 84
GAP = 22
OPEN_STUB = 60  # how far an open-ended span is drawn
CHAR = 6.4  # average advance of a 12px sans-serif character, for fitting labels
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAY = timedelta(days=1)


def _month_floor(t: datetime) -> datetime:
    return datetime(t.year, t.month, 1)


def _month_ceil(t: datetime) -> datetime:
    floor = _month_floor(t)
    if floor == t:
        return t
    return datetime(t.year + (t.month == 12), t.month % 12 + 1, 1)


def _period_name(start: datetime, end: datetime) -> str:
    last = end - timedelta(seconds=1)
    if start.month == 1 and end.month == 1 and end.day == 1:
        return str(start.year) if start.year == last.year else f"{start.year}–{last.year}"
    if start.year == last.year:
        months = MONTHS[start.month - 1] + ("" if start.month == last.month else f"–{MONTHS[last.month - 1]}")
        return f"{months} {start.year}"
    return f"{MONTHS[start.month - 1]} {start.year} – {MONTHS[last.month - 1]} {last.year}"


def _whole_years(period: tuple[datetime, datetime]) -> tuple[datetime, datetime]:
    """A period of a year or more as whole years; an end up to a month into a year (a Julian year
    read in both calendars ends on 13 January) does not add that year."""
    start, end = period
    if end - start < timedelta(days=365):
        return period
    return datetime(start.year, 1, 1), datetime((end - timedelta(days=32)).year + 1, 1, 1)


def periods(spans: Iterable[tuple[datetime, datetime]],
            main: tuple[datetime, datetime] = MAIN_PERIOD) -> list[tuple[datetime, datetime]]:
    """The periods the axis shows, in order: ``main`` if any span touches it, and the whole months
    of every span's part outside it, overlapping or touching ones merged."""
    inside, outside = False, []
    for first, last in spans:
        last += timedelta(seconds=1)  # latest bounds are inclusive, ending at :59
        inside = inside or (first < main[1] and last > main[0])
        if first < main[0]:
            outside.append((_month_floor(first), min(_month_ceil(last), main[0])))
        if last > main[1]:
            outside.append((max(_month_floor(first), main[1]), _month_ceil(last)))
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(map(_whole_years, outside)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    if inside or not merged:
        merged.append(main)
    return sorted(merged)


@dataclass(frozen=True)
class Segment:
    start: datetime
    end: datetime
    x0: float
    x1: float
    name: str

    def x(self, t: datetime) -> float:
        return self.x0 + (t - self.start) / (self.end - self.start) * (self.x1 - self.x0)

    @property
    def px_per_day(self) -> float:
        return (self.x1 - self.x0) / ((self.end - self.start) / DAY)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    kind: str  # "major" (a month boundary), "minor" (a day or hour) or "name" (a month or period, no line)


class Axis:
    """A piecewise-linear map from time to x: linear in each segment, squeezed in the breaks."""

    def __init__(self, spans: Sequence[tuple[datetime, datetime]], main: tuple[datetime, datetime] = MAIN_PERIOD) -> None:
        outliers = [p for p in spans if p != main]
        wide = (RIGHT - LEFT) - GAP * (len(spans) - 1) - (OUTLIER_WIDTH * len(outliers) if len(spans) > 1 else 0)
        x, self.segments = float(LEFT), []
        for start, end in spans:
            width = OUTLIER_WIDTH if (start, end) in outliers and len(spans) > 1 else wide
            self.segments.append(Segment(start, end, x, x + width, _period_name(start, end)))
            x += width + GAP

    @property
    def start(self) -> datetime:
        return self.segments[0].start

    @property
    def end(self) -> datetime:
        return self.segments[-1].end

    @property
    def breaks(self) -> list[float]:
        return [(a.x1 + b.x0) / 2 for a, b in zip(self.segments, self.segments[1:])]

    def x(self, t: datetime) -> float:
        for seg in self.segments:
            if t < seg.start:  # in the break before this segment (or before the axis)
                prev = self.segments[self.segments.index(seg) - 1] if seg is not self.segments[0] else None
                if prev is None:
                    return seg.x0
                return prev.x1 + (t - prev.end) / (seg.start - prev.end) * (seg.x0 - prev.x1)
            if t <= seg.end:
                return seg.x(t)
        return self.segments[-1].x1

    def ticks(self) -> list[Tick]:
        result: list[Tick] = []
        widest = max(self.segments, key=lambda seg: seg.x1 - seg.x0)
        for seg in self.segments:
            if seg is widest:
                result += _ticks(seg)
            else:  # an outlying period: its name says enough
                result.append(Tick((seg.x0 + seg.x1) / 2, seg.name, "name"))
        return result


def _ticks(seg: Segment) -> list[Tick]:
    """Month boundaries with the month's name in its middle; days, weeks or hours as room allows."""
    ppd, out = seg.px_per_day, []
    month = _month_floor(seg.start)
    while month < seg.end:
        following = _month_ceil(month + DAY)
        first, last = max(month, seg.start), min(following, seg.end)
        if month >= seg.start:
            out.append(Tick(seg.x(month), "", "major"))
        if seg.x(last) - seg.x(first) >= 24:
            name = MONTHS[month.month - 1] + (f" {month.year}" if first == seg.start or month.month == 1 else "")
            out.append(Tick((seg.x(first) + seg.x(last)) / 2, name, "name"))
        month = following
    if ppd >= 160:
        step, labelled = timedelta(hours=6), True
    elif ppd >= 6:
        step, labelled = DAY, ppd >= 18
    elif ppd >= 2:
        step, labelled = timedelta(days=7), ppd * 7 >= 22
    else:
        return out
    t = seg.start
    while t < seg.end:
        weekly = step == timedelta(days=7)
        if (t.day != 1 or t.hour) and (not weekly or t.day in (8, 15, 22) and not t.hour):
            out.append(Tick(seg.x(t), (f"{t:%H}:00" if t.hour else str(t.day)) if labelled or not t.hour and ppd >= 160 else "", "minor"))
        t += step if step < DAY else DAY
    return out


@dataclass(frozen=True)
class Row:
    """One drawn event: its bar (or mark), its label and where they go."""

    event: Event
    y: float
    x0: float
    x1: float
    shape: str  # instant, day or span (see TimeSpan.shape)
    open_start: bool
    open_end: bool
    label: str
    label_x: float
    anchor: str  # "start": label right of the bar; "end": left of it

    @property
    def mid(self) -> float:
        return self.y + ROW / 2


def _fit(text: str, room: float) -> str:
    most = max(int(room / CHAR), 8)
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"


def lay_out(events: Sequence[Event], axis: Axis, mark: Callable[[Event], str] = lambda e: "") -> list[Row]:
    """One row per event (all dated), top to bottom in the given order, cut to the axis' range."""
    rows = []
    for i, event in enumerate(events):
        span = event.when
        assert span is not None
        first = max(span.earliest or axis.start, axis.start)
        last = min(span.latest or axis.end, axis.end)
        x0, x1 = axis.x(first), axis.x(last)
        if span.latest is None:  # an open end: a fading stub, not a bar to the end of time
            x1 = min(x1, x0 + OPEN_STUB)
        if span.earliest is None:
            x0 = max(x0, x1 - OPEN_STUB)
        if span.shape == "day":
            x1 = max(x1, x0 + 4)
        elif span.shape == "span":
            x1 = max(x1, x0 + 8)
        text = event.label + (f" ({mark(event)})" if mark(event) else "")
        right, left = RIGHT - x1 - 14, x0 - 14 - LEFT
        anchor = "start" if right >= len(text) * CHAR or right >= left else "end"
        rows.append(Row(event, AXIS_HEIGHT + i * ROW, x0, x1, span.shape,
                        span.earliest is None or span.earliest < axis.start,
                        span.latest is None or span.latest > axis.end,
                        _fit(event.label, (right if anchor == "start" else left) - len(mark(event)) * CHAR),
                        x1 + 8 if anchor == "start" else x0 - 8, anchor))
    return rows


def height(rows: Sequence[Row]) -> float:
    return AXIS_HEIGHT * 2 + len(rows) * ROW + 8
