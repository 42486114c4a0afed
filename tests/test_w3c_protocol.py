"""The W3C SPARQL 1.1 Protocol test suite, replayed against a live `kg serve`.

Each manifest entry is a sequence of HTTP requests with the status (and for queries the result
format and boolean) expected. The endpoint is read-only, so an update the manifest expects to
succeed must instead be refused with a 4xx; the queries that check its effect are then moot.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
import requests
from rdflib.collection import Collection

from .conftest import PROJECT, Server, run_kg

SUITE = PROJECT / "tests" / "w3c-protocol"  # a copy of the W3C files; README.md there says whence
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
TABULAR = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"}
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
             "application/ld+json": "json-ld"}
OUTCOMES: Counter[str] = Counter()


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]  # expected status classes: 2, 3, 4, 5
    format: str | None
    boolean: bool | None

    @property
    def is_update(self) -> bool:
        content_type = self.headers.get("content-type", "")
        return content_type.startswith("application/sparql-update") or (
            content_type.startswith("application/x-www-form-urlencoded") and (self.body or b"").startswith(b"update="))


def load_manifest() -> tuple[rdflib.Graph, list[rdflib.term.Node]]:
    graph = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(rdflib.RDF.type, MF.Manifest))
    return graph, list(Collection(graph, graph.value(manifest, MF.entries)))


def steps(graph: rdflib.Graph, test: rdflib.term.Node) -> list[Step]:
    action = graph.value(test, MF.action)
    found = []
    for request in Collection(graph, graph.value(action, HT.requests)):
        headers = {}
        listed = graph.value(request, HT.headers)
        for header in Collection(graph, listed) if listed else []:
            headers[str(graph.value(header, HT.fieldName)).lower()] = str(graph.value(header, HT.fieldValue))
        body = graph.value(request, HT.body)
        data = None
        if body is not None:
            encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
            data = str(graph.value(body, CNT.chars)).encode(encoding.lower())
        response = graph.value(request, HT.resp)
        statuses = {int(str(code).rsplit("StatusCode", 1)[1][0]) for code in graph.objects(response, MF.expectedStatus)}
        expected_format = graph.value(response, MF.expectedFormat)
        expected_boolean = graph.value(response, MF.expectedBoolean)
        found.append(Step(str(graph.value(request, HT.methodName)), str(graph.value(request, HT.absolutePath)),
                          headers, data, statuses, str(expected_format) if expected_format else None,
                          expected_boolean.toPython() if expected_boolean is not None else None))
    return found


GRAPH, ENTRIES = load_manifest()


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`kg serve` on a store made by `kg load`, each data file in the named graph the manifest gives it."""
    store = tmp_path_factory.mktemp("w3c") / "store"
    loads = {(str(GRAPH.value(d, UT.graph)), str(GRAPH.value(d, rdflib.RDFS.label)))
             for d in GRAPH.objects(None, UT.graphData)}
    assert len(loads) == 3, "the manifest names three data files"
    for file, graph in sorted(loads):
        loaded = run_kg("load", "--store", str(store), "--graph", graph, str(SUITE / Path(file).name))
        assert loaded.exit_code == 0, loaded.stderr
    running = Server(["--store", str(store)])
    yield running
    running.stop()
    total = OUTCOMES["passed"] + OUTCOMES["failed"]
    print(f"\nW3C SPARQL 1.1 Protocol manifest, {total} tests: {OUTCOMES['passed']} passed, "
          f"{OUTCOMES['failed']} failed; of the passed, {OUTCOMES['refused']} are updates refused as read-only")


def test_the_manifest_lists_every_protocol_test() -> None:
    assert len(ENTRIES) == 34


@pytest.mark.parametrize("test", ENTRIES, ids=lambda t: str(t).rsplit("#", 1)[1])
def test_manifest_entry(w3c_server: Server, test: rdflib.term.Node) -> None:
    try:
        refused = run_steps(w3c_server, steps(GRAPH, test))
    except BaseException:
        OUTCOMES["failed"] += 1
        raise
    OUTCOMES["passed"] += 1
    OUTCOMES["refused"] += refused


def run_steps(server: Server, sequence: list[Step]) -> bool:
    """Replay one entry; True when it was an update that the read-only endpoint refused."""
    for step in sequence:
        url = server.url + "/sparql" + step.path.removeprefix("/sparql/")
        response = requests.request(step.method, url, headers=step.headers, data=step.body, timeout=30)
        if step.is_update:
            assert 400 <= response.status_code < 500, response.text
            if step.statuses & {2, 3}:
                assert "read-only" in response.text
                return True  # the requests after it check the update's effect
            continue
        assert response.status_code // 100 in step.statuses, (response.status_code, response.text)
        check_format(response, step)
    return False


def check_format(response: requests.Response, step: Step) -> None:
    media = response.headers.get("Content-Type", "").split(";")[0]
    if step.format == "boolean":
        assert media in ("application/sparql-results+json", "application/sparql-results+xml")
        if media.endswith("json"):
            value = json.loads(response.text)["boolean"]
        else:
            value = ET.fromstring(response.content).find(f"{RESULTS_NS}boolean").text == "true"
        if step.boolean is not None:
            assert value is step.boolean
    elif step.format == "tabular":
        assert media in TABULAR
    elif step.format == "RDF":
        assert media in RDF_TYPES
        rdflib.Graph().parse(data=response.text, format=RDF_TYPES[media])
