"""Derived links: shortcuts and inverses computed from the curated n-ary nodes.

They make common questions one hop long (``?e sem:hasActor person:lenin``,
``person:lunacharsky org:holds ?post``) without anyone having to keep them in step by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pyoxigraph import NamedNode, Triple

from ..rdf import Term, subject_of
from .terms import KG, OPENGOV, ORG, PROV, RDFS, SEM, A


# Links stated one way in the curated data, and the inverse the build adds.
INVERSES = (
    (ORG.postIn, ORG.hasPost),
    (ORG.unitOf, ORG.hasUnit),
    (ORG.subOrganizationOf, ORG.hasSubOrganization),
    (SEM.subEventOf, SEM.hasSubEvent),
    (KG.after, KG.before),
    (KG.before, KG.after),
    (KG.outcome, PROV.wasGeneratedBy),
)


def inherited_types(types: Mapping[Term, set[Term]], axioms: list[Triple]) -> set[Triple]:
    """RDFS subclass entailment: a kg:PostHolding is also an org:Membership, an
    org:OrganizationalUnit also an org:Organization, so ``?x a org:Organization`` finds them all."""
    parents: dict[Term, set[Term]] = {}
    for t in axioms:
        parents.setdefault(t.subject, set()).add(t.object)

    def ancestors(cls: Term, seen: set[Term]) -> set[Term]:
        for parent in parents.get(cls, ()):
            if parent not in seen:
                seen.add(parent)
                ancestors(parent, seen)
        return seen

    closure = {cls: ancestors(cls, set()) for cls in parents}
    return {Triple(subject_of(thing), A, parent) for thing, classes in types.items()
            for cls in classes for parent in closure.get(cls, ())}


def derive(triples: Iterable[Triple]) -> list[Triple]:
    triples = list(triples)
    types: dict[Term, set[Term]] = {}
    by_pred: dict[NamedNode, list[Triple]] = {}
    for t in triples:
        by_pred.setdefault(t.predicate, []).append(t)
        if t.predicate == A:
            types.setdefault(t.subject, set()).add(t.object)
    agent_of: dict[Term, Term] = {t.subject: t.object for t in by_pred.get(KG.agent, [])}
    member_of: dict[Term, Term] = {t.subject: t.object for t in by_pred.get(ORG.member, [])}
    org_of: dict[Term, Term] = {t.subject: t.object for t in by_pred.get(ORG.organization, [])}
    out: set[Triple] = set()
    for t in by_pred.get(KG.participation, []):
        out.add(Triple(subject_of(t.object), A, KG.Participation))
        if t.object in agent_of:
            out.add(Triple(t.subject, SEM.hasActor, agent_of[t.object]))
    for membership, member in member_of.items():
        out.add(Triple(subject_of(member), ORG.hasMembership, membership))
        if membership in org_of:
            out.add(Triple(subject_of(member), ORG.memberOf, org_of[membership]))
    for t in by_pred.get(OPENGOV.post, []):
        if t.subject in member_of:
            out.add(Triple(subject_of(member_of[t.subject]), ORG.holds, t.object))
            out.add(Triple(subject_of(t.object), ORG.heldBy, member_of[t.subject]))
    for forward, inverse in INVERSES:
        for t in by_pred.get(forward, []):
            out.add(Triple(subject_of(t.object), inverse, t.subject))
    for t in by_pred.get(KG.outcome, []):
        out.add(Triple(subject_of(t.object), PROV.wasGeneratedBy, t.subject))
    for t in by_pred.get(PROV.wasGeneratedBy, []):
        if SEM.Event in types.get(t.object, ()):
            out.add(Triple(subject_of(t.object), KG.outcome, t.subject))
    out |= inherited_types(types, by_pred.get(RDFS.subClassOf, []))
    existing = set(triples)
    return sorted(out - existing, key=str)
