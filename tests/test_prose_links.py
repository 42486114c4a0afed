"""Prose never carries a fact alone: whatever a comment or note names is also linked by a triple.

Every person, body, place, post, event or document whose label or alias occurs in the
``rdfs:comment`` or ``skos:note`` of another resource must be connected to that resource by a
property path of at most two steps, in either direction, through anything but a hub (a concept,
a paragraph or evidence span, an ontology term); the exceptions are the kinds of words listed below.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from pyoxigraph import BlankNode, NamedNode

from kg.namespaces import DEFAULT_BASE
from kg.store import open_store

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
KG = DEFAULT_BASE + "ontology#"
NAMED = ("person/", "organization/", "place/", "post/", "event/", "document/")
NAME_PROPERTIES = {RDFS + "label", SKOS + "altLabel", KG + "realName", KG + "partyName"}
PROSE = {RDFS + "comment", SKOS + "note"}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
NOT_LINKS = {RDF_TYPE, "http://www.w3.org/ns/prov#wasDerivedFrom"}
HUBS = tuple(DEFAULT_BASE + p for p in ("concept/", "source", "evidence/", "ontology", "mention/"))

# Words of a note that name something without stating a fact about it.
# - Words in quotation marks are the text's own words, quoted to show what was read.
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|(?<!\w)'[^']*'(?!\w)")
# - A name in a clause that dates or places the thing in time ("when Kerensky was still advancing",
#   "while Lenin lived at Fofanova's") anchors it to another event; the dates carry that fact.
TEMPORAL = re.compile(r"\b(?:while|when|before|after|until|since|once|at the time of|in the weeks|then"
                      r"|on the (?:morning|evening|night|day) of|on (?:October|November) \d+)\b[^.;]*$", re.IGNORECASE)
# - A sentence that says what the graph leaves out or keeps apart is about the model, not the text.
ABOUT_THE_MODEL = re.compile(r"not a body in this graph|kept apart from|distinct from|does not say whether",
                             re.IGNORECASE)

# Names a note uses for a reason the patterns above do not catch, each with that reason.
IN_A_LONGER_NAME = "part of a longer name the note uses for something that is linked"
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("person/antonov-ovseyenko", "Petrograd"): IN_A_LONGER_NAME + ": 'the defence of Petrograd', the event",
    ("person/podvoisky", "Petrograd"): IN_A_LONGER_NAME + ": 'the defence of Petrograd', the event",
    ("place/vyborg", "Petrograd"): IN_A_LONGER_NAME + ": 'the defence of Petrograd', the event",
    ("person/fofanova", "Soviet of Peasants' Deputies"): IN_A_LONGER_NAME + ": the newspaper Izvestia of the Soviet",
    ("organization/menshevik-group-at-the-congress", "S.-R."): IN_A_LONGER_NAME + ": the S.-R. group at the congress",
    ("organization/peasants-soviet-executive-committee", "S.-R."): IN_A_LONGER_NAME + ": the S.-R. group at the congress",
    ("place/paris", "Party"): IN_A_LONGER_NAME + ": the Party school at Longjumeau",
    ("person/rahja", "Party"): "'the Party organization' he was in touch with is not a body the text names",
    ("organization/iskra-editorial-board", "Party"): "the crisis its refusal provoked in the Party is an event of 1903",
    ("person/chugurin", "Paris"): "Paris only locates Longjumeau ('near Paris'), where the school he attended was",
    ("organization/lenins-relatives", "Lenin"): "relatives the text does not name or relate to Lenin one by one",
    ("place/petrograd-district", "Lenin"): "'Lenin's relatives' names a household by its relation to Lenin",
    ("person/dame-de-class", "Lenin"): "the room is identified by who was given it later",
    ("place/russia", "Marx"): "'Marx's rules' names the rules Lenin's letter applies to Russia",
    ("place/moscow", "Petrograd"): "the target of Kerensky's crusade, which his revolt links",
    ("event/fighting-in-moscow", "Petrograd"): "the city of the cadets' revolt, named to date the fighting",
    ("event/lenin-speech-at-the-central-executive-committee-on-november-17", "Petrograd Soviet"):
        "names the other speech of that day, from which the quotations are not taken",
    ("figure/congress-2-delegates", "Bolsheviks"): "the Bolshevik group it counts (linked) is named by its party",
    ("figure/congress-2-delegates-who-quitted", "Left S.-R.'s"):
        "reasoning about who could have quitted; that the Left S.-R.'s did not is a negative statement",
    ("organization/committee-for-the-salvation", "Second Congress of Soviets"):
        "identifies its organizers as the factions that quitted the congress (kg:withdrewFrom)",
    ("place/general-post-office", "Petrograd Soviet"): "names who heard the report of the occupation",
    ("place/state-bank", "Petrograd Soviet"): "names who heard the report of the occupation",
    ("document/mandate-of-the-peasant-electors", "S.-R.'s"):
        "names the party of the electors and the voices Lenin answers; the text does not say who drew it up",
    ("document/mandate-of-the-peasant-electors", "Socialist-Revolutionaries"):
        "names the party of the electors and the voices Lenin answers; the text does not say who drew it up",
    ("document/works-volume-29", "All-Russian Central Executive Committee"):
        "names the meeting at which the speech printed in the volume was made",
    ("event/lenin-at-the-area-staff-headquarters", "Staff"): "a reading of Podvoisky's 'we', not a fact of the text",
    ("event/lenin-meets-natanson", "Marxists"): "Natanson's position at the time, which his attitudes state",
    ("event/lenin-meets-natanson", "Social-Democrats"): "Natanson's position at the time, which his attitudes state",
    ("organization/red-guards", "Vyborg District"): "the district of the workers who fought beside them",
    ("place/petrograd-front", "The front"): "the two fronts are kept apart; the note says which front this is",
    ("place/the-front", "front"): "the two fronts are kept apart; the note says which front this is",
    ("post/commandant-of-smolny", "Lenin"): "the basis of an inference the graph marks as one "
                                           "(statement:commandant-of-smolny-in-the-soviet-government)",
}


def graph(store) -> tuple[dict, dict, list]:
    names: dict[str, set] = defaultdict(set)
    neighbours: dict = defaultdict(set)
    prose: list = []
    for quad in store.quads_for_pattern(None, None, None, None):
        s, p, o = quad.subject, quad.predicate.value, quad.object
        if p in NAME_PROPERTIES and isinstance(s, NamedNode) and any(s.value.startswith(DEFAULT_BASE + k) for k in NAMED):
            names[o.value].add(s)
        elif p in PROSE and isinstance(s, NamedNode) and not s.value.startswith(DEFAULT_BASE + "ontology"):
            prose.append((s, o.value))
        if p not in NOT_LINKS and isinstance(o, (NamedNode, BlankNode)):
            neighbours[s].add(o)
            neighbours[o].add(s)
    return names, neighbours, prose


def is_hub(node) -> bool:
    return isinstance(node, NamedNode) and (node.value.startswith(HUBS) or not node.value.startswith(DEFAULT_BASE))


def linked(a, b, neighbours: dict) -> bool:
    return b in neighbours[a] or any(b in neighbours[m] for m in neighbours[a] if not is_hub(m))


def short(node) -> str:
    return node.value[len(DEFAULT_BASE):]


def unlinked_names(store) -> list[tuple[str, str]]:
    names, neighbours, prose = graph(store)
    spans = {q.subject for q in store.quads_for_pattern(None, NamedNode(RDF_TYPE), NamedNode(KG + "TimeSpan"), None)}
    alternatives = sorted((re.escape(n) for n in names if len(n) > 2), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")
    found = set()
    for subject, text in prose:
        if subject in spans:
            continue  # a date's note says how the date was read; the passages it cites are its basis
        quoted = [m.span() for m in QUOTED.finditer(text)]
        for match in pattern.finditer(text):
            before = text[:match.start()]
            sentence = re.split(r"(?<=[.;])\s", text[match.start():], maxsplit=1)[0]
            if any(a <= match.start() < b for a, b in quoted) or TEMPORAL.search(before):
                continue
            if ABOUT_THE_MODEL.search(before.rsplit(". ", 1)[-1] + sentence):
                continue
            others = names[match.group(0)] - {subject}
            # A name shared by several resources is linked if any of them is.
            if others and not any(linked(subject, x, neighbours) for x in others):
                found.add((short(subject), match.group(0)))
    return sorted(found - set(EXCEPTIONS))


def test_every_name_in_a_comment_or_note_is_linked(built_store: Path) -> None:
    missing = unlinked_names(open_store(built_store))
    assert not missing, f"{len(missing)} names in comments and notes with no triple linking them: {missing[:20]}"


def test_exceptions_are_still_needed(built_store: Path) -> None:
    _names, _neighbours, prose = graph(open_store(built_store))
    by_subject: dict[str, str] = defaultdict(str)
    for subject, text in prose:
        by_subject[short(subject)] += text
    stale = [key for key in EXCEPTIONS if key[1] not in by_subject.get(key[0], "")]
    assert not stale, f"exceptions for words no longer in the note: {stale}"
