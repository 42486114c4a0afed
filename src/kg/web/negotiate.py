"""Content negotiation, one way for every route: ``format=`` or a file extension, else ``Accept``.

The formats themselves are declared in :mod:`kg.formats`; here a request picks one of those a
route offers, or gets the one 406 answer, which lists what the route can produce.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from flask import request
from werkzeug.http import parse_accept_header, parse_options_header

from ..formats import Format, media_types, named
from .headers import negotiated
from .problems import Problem


def accepted(header: str | None) -> tuple[tuple[str, float], ...]:
    """The media ranges of an Accept header with their quality, parameters dropped: ``text/turtle;
    charset=utf-8`` asks for Turtle like ``text/turtle`` does."""
    return _accepted(header or "")


@lru_cache(maxsize=256)  # clients send a few Accept headers over and over; parsing one costs more than a query
def _accepted(header: str) -> tuple[tuple[str, float], ...]:
    ranges = []
    for value, quality in parse_accept_header(header):
        media, _ = parse_options_header(value)
        if media:
            ranges.append((media.lower(), quality))
    return tuple(ranges)


def _quality(media: str, ranges: tuple[tuple[str, float], ...]) -> tuple[float, int]:
    """The quality the most specific matching range gives ``media``, and how specific it was."""
    kind, _, sub = media.partition("/")
    best: tuple[float, int] = (0.0, -1)
    for accepted_range, quality in ranges:
        range_kind, _, range_sub = accepted_range.partition("/")
        if accepted_range == media:
            specificity = 2
        elif range_kind == kind and range_sub == "*":
            specificity = 1
        elif accepted_range in ("*/*", "*"):
            specificity = 0
        else:
            continue
        if specificity > best[1]:
            best = (quality, specificity)
    return best


def choose(offered: Mapping[str, Format], default: str, override: str | None = None,
           accept: str | None = None) -> Format | None:
    """The format to answer with, or None when nothing offered is acceptable.

    ``override`` (a ``format=`` value or file extension) wins over ``Accept``; a missing Accept, or
    ties between equally wanted formats, go to ``default`` and then to the order of ``offered``.
    """
    if override:
        return named(override, offered)
    if accept is None:
        negotiated("Accept")
    ranges = accepted(request.headers.get("Accept") if accept is None else accept)
    if not ranges:
        return offered[default]
    ordered = [offered[default], *(f for name, f in offered.items() if name != default)]
    best: Format | None = None
    best_key = (0.0, -1)
    for fmt in ordered:
        for media in (fmt.media_type, *fmt.media_aliases):
            key = _quality(media, ranges)
            if key[0] > 0 and key > best_key:
                best, best_key = fmt, key
    return best


def negotiate(offered: Mapping[str, Format], default: str, overrides: list[str] | None = None,
              what: str = "this resource") -> Format:
    """The format asked for by the first usable ``overrides`` value, else by Accept; else 406."""
    for value in overrides or []:
        if (fmt := choose(offered, default, override=value)) is not None:
            return fmt
    fmt = None if overrides else choose(offered, default)
    if fmt is None:
        raise not_acceptable(offered, what, f"format={overrides[0]}" if overrides else None)
    return fmt


def not_acceptable(offered: Mapping[str, Format], what: str = "this resource", asked: str | None = None) -> Problem:
    """The one 406: what was asked for, and every media type ``what`` is available as."""
    asked = asked or f"Accept: {request.headers.get('Accept', '')}"
    media = media_types(offered)
    return Problem(406, "Not acceptable", f"{asked} names nothing {what} can be answered in; "
                   f"it is available as {', '.join(media)}", produces=media)


def parameter(fmt: Format, name: str, overrides: list[str] | None = None) -> str | None:
    """A media type parameter (``profile``) given with ``fmt``: in the ``format=`` value that names it
    (``jsonld;profile=expanded``), else on the most wanted Accept range of its media type."""
    if overrides:
        for value in overrides:
            main, params = parse_options_header(value)
            if named(main, {fmt.name: fmt}) is fmt and name in params:
                return params[name]
        return None
    best: tuple[float, str | None] = (0.0, None)
    for value, quality in parse_accept_header(request.headers.get("Accept") or ""):
        media, params = parse_options_header(value)
        if media.lower() in (fmt.media_type, *fmt.media_aliases) and name in params and quality > best[0]:
            best = (quality, params[name])
    return best[1]
