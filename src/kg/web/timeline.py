"""The timeline at /timeline (HTML with a server-drawn SVG) and /timeline.json."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from ..timeline import Agent, Event, Timeline, TimeSpan, agents_of, timeline
from . import get_settings
from . import timeline_chart as chart
from .resources import events as all_events
from .resources import local_url

bp = Blueprint("timeline", __name__)

FILTERS = ("person", "organization")  # query parameters, each naming an agent of that kind


def _agent_iri(value: str, kind: str, base: str) -> str:
    """``lenin`` means the person ``<base>person/lenin``; a full IRI stands for itself."""
    return value if ":" in value else f"{base}{kind}/{value}"


def _chosen() -> dict[str, list[str]]:
    base = get_settings().BASE_IRI
    return {kind: [_agent_iri(v, kind, base) for v in request.args.getlist(kind) if v.strip()] for kind in FILTERS}


def _day(value: str, end: bool) -> datetime:
    """``YYYY-MM`` or ``YYYY-MM-DD`` as the first moment of that period, or (``end``) the first after it."""
    try:
        if len(value) == 7:
            first = datetime.strptime(value, "%Y-%m")
            return first + timedelta(days=calendar.monthrange(first.year, first.month)[1]) if end else first
        return datetime.strptime(value, "%Y-%m-%d") + (timedelta(days=1) if end else timedelta())
    except ValueError:
        abort(400, f"{value!r} is not a date: write YYYY-MM-DD or YYYY-MM")


def _window() -> tuple[datetime, datetime] | None:
    start, end = request.args.get("from", ""), request.args.get("to", "")
    if not start and not end:
        return None
    window = (_day(start or end, False), _day(end or start, True))
    if window[0] >= window[1]:
        abort(400, "the period ends before it begins")
    return window


def _overlaps(span: TimeSpan, window: tuple[datetime, datetime]) -> bool:
    first, last = span.earliest or datetime.min, span.latest or datetime.max
    return first < window[1] and last >= window[0]


def old_style_mark(event: Event) -> str:
    span = event.when
    if span is None:
        return ""
    if span.old_style:
        return "O.S., inferred" if span.calendar_inferred else "O.S."
    return ""


def summary(event: Event) -> str:
    """The tooltip of an event: what, when (as written and normalized), where, who."""
    lines = [event.label]
    if event.when:
        lines.append(event.when.label or "dated")
        if event.when.as_written:
            lines.append(f"as written: “{event.when.as_written}”")
    if event.places:
        lines.append("at " + ", ".join(event.places))
    if event.actors:
        lines.append("with " + ", ".join(a.label for a in event.actors))
    return "\n".join(lines)


def _periods(events: list[Event], filters: dict[str, list[str]]) -> list[tuple[str, str, int, bool]]:
    """(link, name, count of events, is it the period shown) for the whole text and each month of
    the main period that has events."""
    shown = (request.args.get("from"), request.args.get("to"))
    # flask types url_for's own options (_external, ...) as keywords a mapping might fill; query filters never do
    out = [(url_for(".page", **filters), "The whole text", len(events), shown == (None, None))]  # type: ignore[arg-type]
    month = chart.MAIN_PERIOD[0]
    while month < chart.MAIN_PERIOD[1]:
        following = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1)
        count = sum(1 for e in events if e.when and _overlaps(e.when, (month, following)))
        if count:
            value = f"{month:%Y-%m}"
            page = url_for(".page", **filters, **{"from": value, "to": value})  # type: ignore[arg-type]  # as above
            out.append((page, f"{month:%B %Y}", count, shown == (value, value)))
        month = following
    return out


@dataclass
class Selection:
    """What the query parameters ask for: the events of the chosen agents, within the chosen period."""

    events: dict[str, Event]  # every event of the graph
    chosen: dict[str, list[str]]  # agent IRIs by filter
    window: tuple[datetime, datetime] | None
    shown: Timeline
    dated: list[Event]  # the shown dated events within the window


def _select() -> Selection:
    chosen, window = _chosen(), _window()
    events = all_events()
    shown = timeline(events, [iri for iris in chosen.values() for iri in iris])
    dated = [e for e in shown.dated if window is None or _overlaps(e.when, window)]  # type: ignore[arg-type]
    return Selection(events, chosen, window, shown, dated)


@bp.route("/timeline")
def page() -> Response:
    sel = _select()
    spans = [e.when.sort_key for e in sel.dated]  # type: ignore[union-attr]
    axis = chart.Axis([sel.window] if sel.window else chart.periods(spans), sel.window or chart.MAIN_PERIOD)
    rows = chart.lay_out(sel.dated, axis, old_style_mark)
    # Each filter offers the agents found among the events the other filter leaves.
    facets = {kind: agents_of(timeline(sel.events, [i for k, iris in sel.chosen.items() if k != kind for i in iris]).events,
                              kind) for kind in FILTERS}
    filters = {kind: request.args.getlist(kind) for kind in FILTERS}
    base = get_settings().BASE_IRI
    return Response(render_template(
        "timeline.html", rows=rows, axis=axis, ticks=axis.ticks(), height=chart.height(rows), chart=chart,
        undated=sel.shown.undated, events=sel.events, total_dated=len(sel.shown.dated),
        periods=_periods(sel.shown.dated, filters), facets=facets, chosen=sel.chosen, window=sel.window,
        slug=lambda agent: _slug(agent, base),
        summary=summary, mark=old_style_mark,
    ), mimetype="text/html")


def _slug(agent: Agent, base: str) -> str:
    prefix = f"{base}{agent.kind}/"
    return agent.iri[len(prefix):] if agent.iri.startswith(prefix) else agent.iri


def _span_json(span: TimeSpan) -> dict[str, Any]:
    return {"earliest": span.earliest.isoformat() if span.earliest else None,
            "latest": span.latest.isoformat() if span.latest else None,
            "label": span.label, "asWritten": span.as_written, "calendar": span.calendar,
            "calendarInferred": span.calendar_inferred, "oldStyle": span.old_style,
            "precision": span.precision, "shape": span.shape}


def _event_json(event: Event) -> dict[str, Any]:
    return {"iri": event.iri, "path": local_url(event.iri), "label": event.label,
            "type": event.event_type, "when": _span_json(event.when) if event.when else None,
            "places": list(event.places),
            "actors": [{"iri": a.iri, "label": a.label, "kind": a.kind} for a in event.actors],
            "after": list(event.after), "before": list(event.before)}


@bp.route("/timeline.json")
def data() -> Response:
    sel = _select()
    return jsonify({"dated": [_event_json(e) for e in sel.dated], "undated": [_event_json(e) for e in sel.shown.undated]})
