"""Normalizing dates: from the date as the text writes it to Gregorian bounds SPARQL can filter on.

A date node in the curated data says ``kg:written "1917-10-25T22:45"`` in the calendar of
``kg:calendar``; this module adds ``kg:earliest`` / ``kg:latest`` (proleptic Gregorian
``xsd:dateTime``, inclusive, no timezone), OWL-Time instants, the precision, an EDTF literal and
a readable label. Calendar conversion is convertdate's, not hand arithmetic.
"""

from __future__ import annotations

import calendar as month_lengths
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from convertdate import julian
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..errors import InputError
from ..rdf import Subject, Term, value_of
from .evidence import line_of
from .terms import DCTERMS, KG, RDFS, TIME, A, typed

EDTF = NamedNode("http://id.loc.gov/datatypes/edtf/EDTF")
TOKEN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2}))?)?)?$")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
Parts = tuple[int, int | None, int | None, int | None, int | None]  # year, month, day, hour, minute
UNITS = {1: TIME.unitYear, 2: TIME.unitMonth, 3: TIME.unitDay, 5: TIME.unitMinute}


@dataclass(frozen=True)
class Written:
    """One end of a written date, in its own calendar: year, month, day, hour, minute (None if not given)."""

    parts: Parts

    @property
    def precision(self) -> int:
        return sum(p is not None for p in self.parts)

    def first(self, calendar: str) -> datetime:
        y, m, d, hh, mm = self.parts
        day = _to_gregorian(y, m or 1, d or 1, calendar)
        return datetime.combine(day, time(hh or 0, mm or 0))

    def last(self, calendar: str) -> datetime:
        y, m, d, hh, mm = self.parts
        if m is None:
            m, d = 12, 31
        elif d is None:
            d = _month_length(y, m, calendar)
        day = _to_gregorian(y, m, d, calendar)
        if hh is None:
            return datetime.combine(day, time(23, 59, 59))
        return datetime.combine(day, time(hh, mm or 0, 59))


def _month_length(year: int, month: int, calendar: str) -> int:
    if calendar == "julian":
        return julian.month_length(year, month)
    return month_lengths.monthrange(year, month)[1]


def _to_gregorian(year: int, month: int, day: int, calendar: str) -> date:
    if calendar == "julian":
        return date(*julian.to_gregorian(year, month, day))
    return date(year, month, day)


def parse_token(token: str) -> Written | None:
    if token == "..":
        return None
    match = TOKEN.match(token)
    if not match:
        raise ValueError(f"{token!r} is not YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm or ..")
    year, *rest = match.groups()  # the year is always there
    month, day, hour, minute = (int(g) if g is not None else None for g in rest)
    parts: Parts = (int(year), month, day, hour, minute)
    Written(parts).first("gregorian")  # raises ValueError on impossible dates
    return Written(parts)


def bounds(written: str, calendar: str) -> tuple[datetime | None, datetime | None, Written | None, Written | None]:
    """Gregorian (earliest, latest) for a written date; ``calendar`` is gregorian, julian or either."""
    tokens = written.strip().split("/")
    if len(tokens) > 2:
        raise ValueError("at most one '/' between start and end")
    start = parse_token(tokens[0])
    end = parse_token(tokens[1]) if len(tokens) == 2 else start
    if start is None and end is None:
        raise ValueError("a date needs at least one end")
    readings = ("gregorian", "julian") if calendar == "either" else (calendar,)
    earliest = min(start.first(c) for c in readings) if start else None
    latest = max(end.last(c) for c in readings) if end else None
    if earliest and latest and earliest > latest:
        raise ValueError(f"begins ({earliest}) after it ends ({latest})")
    return earliest, latest, start, end


def _xsd_datetime(moment: datetime) -> Literal:
    return typed(moment.strftime("%Y-%m-%dT%H:%M:%S"), "dateTime")


def _edtf_point(moment: datetime, precision: int) -> str:
    return moment.strftime({1: "%Y", 2: "%Y-%m", 3: "%Y-%m-%d", 5: "%Y-%m-%dT%H:%M"}[precision])


def _day(moment: datetime, with_year: bool = True) -> str:
    return f"{moment.day} {MONTHS[moment.month - 1]}" + (f" {moment.year}" if with_year else "")


def _point(moment: datetime, precision: int) -> str:
    """One end of a span, at its own precision."""
    if precision == 1:
        return str(moment.year)
    if precision == 2:
        return f"{MONTHS[moment.month - 1]} {moment.year}"
    return _day(moment) + (f", {moment:%H:%M}" if precision == 5 else "")


def _span(first: datetime | None, last: datetime | None, start: Written | None, end: Written | None) -> str:
    """A readable span: '9 November 1917', '12–13 November 1917', '8 November 1917, 21:00 to the end of the day'."""
    # bounds() gives a moment exactly for each end written, and at least one end
    if first is None:
        assert last is not None and end is not None
        return f"by {_point(last, end.precision)}"
    assert start is not None
    if last is None:
        return f"from {_point(first, start.precision)}"
    assert end is not None
    p, q = start.precision, end.precision
    if p == q and _point(first, p) == _point(last, q):
        return _point(first, p)
    if first.date() == last.date() and 3 <= p and 3 <= q:
        if p == 5 and q == 5:
            return f"{_day(first)}, {first:%H:%M}–{last:%H:%M}"
        return f"{_day(first)}, " + (f"from {first:%H:%M}" if p == 5 else f"by {last:%H:%M}")
    if p == q == 3 and first.year == last.year:
        if first.month == last.month:
            return f"{first.day}–{last.day} {MONTHS[last.month - 1]} {last.year}"
        return f"{_day(first, False)} – {_day(last)}"
    return f"{_point(first, p)} – {_point(last, q)}"


def _written_point(w: Written) -> str:
    y, m, d, hh, mm = w.parts
    text = f"{d} {MONTHS[m - 1]}" if d and m else (MONTHS[m - 1] if m else "")  # a day comes with its month
    return text + (f", {hh:02d}:{mm or 0:02d}" if hh is not None else "")


def label(earliest: datetime | None, latest: datetime | None, start: Written | None, end: Written | None,
          calendar: str) -> str:
    text = _span(earliest, latest, start, end)
    if calendar == "julian":
        ends = [w for w in (start, end) if w is not None]
        if len({w.parts[:3] for w in ends}) == 1 and len(ends) == 2 and ends[0].parts != ends[1].parts:
            ends = [Written(ends[0].parts[:3] + (None, None))]  # one day: the hours are in the New Style part
        shown = list(dict.fromkeys(_written_point(w) for w in ends))
        text += f" ({' – '.join(s for s in shown if s)} O.S.)"
    elif calendar == "either":
        text += " (calendar not stated)"
    return text


def _edtf(earliest: datetime | None, latest: datetime | None, start: Written | None, end: Written | None,
          calendar: str) -> str:
    s = _edtf_point(earliest, start.precision) if earliest and start else ".."
    e = _edtf_point(latest, end.precision) if latest and end else ".."
    if calendar != "either" and s == e:
        return s
    if calendar == "either":
        # Either reading may be right: each end is uncertain.
        return f"{s}?/{e}?"
    return f"{s}/{e}"


def _description(w: Written) -> tuple[BlankNode, list[Triple]]:
    """The date as printed in the Julian calendar, as an OWL-Time general description."""
    node = BlankNode()
    y, m, d, hh, mm = w.parts
    out = [Triple(node, A, TIME.GeneralDateTimeDescription), Triple(node, TIME.hasTRS, KG.Julian),
           Triple(node, TIME.unitType, UNITS[w.precision]),
           Triple(node, TIME.year, Literal(str(y), datatype=TIME.generalYear))]
    if m:
        out.append(Triple(node, TIME.month, Literal(f"--{m:02d}", datatype=TIME.generalMonth)))
    if d:
        out.append(Triple(node, TIME.day, Literal(f"---{d:02d}", datatype=TIME.generalDay)))
    if hh is not None:
        out.append(Triple(node, TIME.hour, typed(hh, "nonNegativeInteger")))
        out.append(Triple(node, TIME.minute, typed(mm or 0, "nonNegativeInteger")))
    return node, out


def _instant(moment: datetime, written: Written, calendar: str) -> tuple[BlankNode, list[Triple]]:
    node = BlankNode()
    out = [Triple(node, A, TIME.Instant), Triple(node, TIME.inXSDDate, typed(moment.date().isoformat(), "date"))]
    if calendar == "julian":
        description, triples = _description(written)
        out.append(Triple(node, TIME.inDateTime, description))
        out += triples
    return node, out


CALENDARS: dict[Term, str] = {KG.Gregorian: "gregorian", KG.Julian: "julian", KG.EitherStyle: "either"}


def expand_dates(triples: list[Triple], path: Path, display: str) -> list[Triple]:
    """Add the normalized form to every node that has ``kg:written``."""
    by_subject: dict[Subject, dict[NamedNode, list[Term]]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, {}).setdefault(t.predicate, []).append(t.object)
    out = list(triples)
    for subject, props in by_subject.items():
        if KG.written not in props:
            continue
        written = props[KG.written]
        where = line_of(path, value_of(written[0])) if written else None
        cal_terms = props.get(KG.calendar, [])
        if len(written) != 1 or len(cal_terms) != 1 or cal_terms[0] not in CALENDARS:
            raise InputError(display, where, f"date <{value_of(subject)}> needs exactly one kg:written and one "
                             "kg:calendar (kg:Gregorian, kg:Julian or kg:EitherStyle)")
        calendar = CALENDARS[cal_terms[0]]
        try:
            earliest, latest, start, end = bounds(value_of(written[0]), calendar)
        except ValueError as exc:
            raise InputError(display, where,
                             f"date <{value_of(subject)}>: kg:written {value_of(written[0])!r}: {exc}") from exc
        given = start or end
        assert given is not None  # bounds() refuses a date with neither end
        out += [Triple(subject, A, TIME.Interval), Triple(subject, A, KG.TimeSpan),
                Triple(subject, TIME.unitType, UNITS[given.precision]),
                Triple(subject, DCTERMS.date, Literal(_edtf(earliest, latest, start, end, calendar), datatype=EDTF))]
        if RDFS.label not in props:
            out.append(Triple(subject, RDFS.label, Literal(label(earliest, latest, start, end, calendar))))
        if earliest is not None and start is not None:
            out.append(Triple(subject, KG.earliest, _xsd_datetime(earliest)))
            node, instant = _instant(earliest, start, calendar)
            out += [Triple(subject, TIME.hasBeginning, node), *instant]
        if latest is not None and end is not None:
            out.append(Triple(subject, KG.latest, _xsd_datetime(latest)))
            node, instant = _instant(latest, end, calendar)
            out += [Triple(subject, TIME.hasEnd, node), *instant]
    return out
