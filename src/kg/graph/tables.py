"""Turning tables into triples: the Council of People's Commissars as a CSV of holdings."""

from __future__ import annotations

import csv
from pathlib import Path

from pyoxigraph import Literal, Triple

from ..errors import InputError
from .terms import KG, OPENGOV, ORG, PROV, RDFS, A, RES

COLUMNS = ("holding", "person", "person_name", "post", "post_label", "organization", "role",
           "start", "end", "started_by", "ended_by", "evidence")
REQUIRED = ("holding", "person", "person_name", "post", "post_label", "organization", "role", "start",
            "started_by", "evidence")


def read_table(path: Path, display: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV table, values stripped, each with the line it ends on (rows are kept on one
    line each); a missing column or an unreadable file is an InputError naming the file."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise InputError(display, 1, f"missing column(s) {', '.join(missing)}; expected {','.join(columns)}")
            return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(display, None, f"cannot read table: {exc}") from exc


def holdings_table(path: Path, display: str) -> list[Triple]:
    """One post and one holding per row; each row's evidence stays a ``kg:evidence`` shorthand."""
    out: list[Triple] = []
    posts_done: set[str] = set()
    for line, r in read_table(path, display, COLUMNS):
        empty = [c for c in REQUIRED if not r.get(c)]
        if empty:
            raise InputError(display, line, f"empty required column(s): {', '.join(empty)}")
        post, holding = RES[f"post/{r['post']}"], RES[f"holding/{r['holding']}"]
        organization = RES[f"organization/{r['organization']}"]
        evidence = Literal(r["evidence"])
        if r["post"] not in posts_done:
            posts_done.add(r["post"])
            out += [Triple(post, A, ORG.Post), Triple(post, RDFS.label, Literal(r["post_label"])),
                    Triple(post, ORG.postIn, organization), Triple(post, ORG.role, RES[f"concept/{r['role']}"]),
                    Triple(post, KG.evidence, evidence)]
        span = RES[f"date/holding-{r['holding']}"]
        written = f"{r['start']}/{r['end'] or '..'}"
        out += [
            Triple(holding, A, KG.PostHolding),
            Triple(holding, RDFS.label, Literal(f"{r['post_label']}: {r['person_name']}")),
            Triple(holding, ORG.member, RES[f"person/{r['person']}"]),
            Triple(holding, ORG.organization, organization),
            Triple(holding, OPENGOV.post, post),
            Triple(holding, ORG.role, RES[f"concept/{r['role']}"]),
            Triple(holding, ORG.memberDuring, span),
            Triple(span, KG.written, Literal(written)),
            Triple(span, KG.calendar, KG.Gregorian),
            Triple(holding, PROV.wasGeneratedBy, RES[f"event/{r['started_by']}"]),
            Triple(holding, KG.evidence, evidence),
        ]
        if r["ended_by"]:
            out.append(Triple(holding, PROV.wasInvalidatedBy, RES[f"event/{r['ended_by']}"]))
    return out
