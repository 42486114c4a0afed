"""Derived links: shortcuts and inverses computed from the curated n-ary nodes.

They make common questions one hop long (``?e sem:hasActor person:lenin``,
``person:lunacharsky org:holds ?post``) without anyone having to keep them in step by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Triple

from .terms import KG, OPENGOV, ORG, PROV, SEM, A


def derive(triples: Iterable[Triple]) -> list[Triple]:
    triples = list(triples)
    types: dict = {}
    by_pred: dict = {}
    for t in triples:
        by_pred.setdefault(t.predicate, []).append(t)
        if t.predicate == A:
            types.setdefault(t.subject, set()).add(t.object)
    agent_of = {t.subject: t.object for t in by_pred.get(KG.agent, [])}
    member_of = {t.subject: t.object for t in by_pred.get(ORG.member, [])}
    org_of = {t.subject: t.object for t in by_pred.get(ORG.organization, [])}
    out: set[Triple] = set()
    for t in by_pred.get(KG.participation, []):
        if t.object in agent_of:
            out.add(Triple(t.subject, SEM.hasActor, agent_of[t.object]))
    for membership, member in member_of.items():
        out.add(Triple(member, ORG.hasMembership, membership))
        if membership in org_of:
            out.add(Triple(member, ORG.memberOf, org_of[membership]))
    for t in by_pred.get(OPENGOV.post, []):
        if t.subject in member_of:
            out.add(Triple(member_of[t.subject], ORG.holds, t.object))
            out.add(Triple(t.object, ORG.heldBy, member_of[t.subject]))
    for t in by_pred.get(ORG.postIn, []):
        out.add(Triple(t.object, ORG.hasPost, t.subject))
    for t in by_pred.get(ORG.unitOf, []):
        out.add(Triple(t.object, ORG.hasUnit, t.subject))
    for t in by_pred.get(ORG.subOrganizationOf, []):
        out.add(Triple(t.object, ORG.hasSubOrganization, t.subject))
    for t in by_pred.get(SEM.subEventOf, []):
        out.add(Triple(t.object, SEM.hasSubEvent, t.subject))
    for t in by_pred.get(KG.after, []):
        out.add(Triple(t.object, KG.before, t.subject))
    for t in by_pred.get(KG.before, []):
        out.add(Triple(t.object, KG.after, t.subject))
    for t in by_pred.get(KG.outcome, []):
        out.add(Triple(t.object, PROV.wasGeneratedBy, t.subject))
    for t in by_pred.get(PROV.wasGeneratedBy, []):
        if SEM.Event in types.get(t.object, ()):
            out.add(Triple(t.object, KG.outcome, t.subject))
    existing = set(triples)
    return sorted(out - existing, key=str)
