"""Real clients against a live `kg serve`: SPARQLWrapper, rdflib's SPARQLStore, the README's curl lines."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from .conftest import PROJECT, Server

PERSONS = "SELECT ?p WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> } LIMIT 4"
CONSTRUCT = "CONSTRUCT WHERE { ?p a <http://xmlns.com/foaf/0.1/Person> } LIMIT 4"


def wrapper(server: Server, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json(server: Server, method: str) -> None:
    result = wrapper(server, PERSONS, JSON, method).queryAndConvert()
    assert len(result["results"]["bindings"]) == 4  # type: ignore[index]


def test_sparqlwrapper_xml(server: Server) -> None:
    document = wrapper(server, PERSONS, XML).queryAndConvert()
    assert len(document.getElementsByTagName("result")) == 4  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", [XML, TURTLE])
def test_sparqlwrapper_construct_into_rdflib(server: Server, fmt: str) -> None:
    graph = wrapper(server, CONSTRUCT, fmt).queryAndConvert()
    if not isinstance(graph, rdflib.Graph):
        graph = rdflib.Graph().parse(data=graph, format="turtle")
    assert len(graph) == 4


def test_sparqlwrapper_ask(server: Server) -> None:
    assert wrapper(server, "ASK { ?s ?p ?o }", JSON).queryAndConvert()["boolean"] is True  # type: ignore[index]


def test_rdflib_sparqlstore(server: Server) -> None:
    graph = rdflib.Graph(store=SPARQLStore(f"{server.url}/sparql"))
    rows = list(graph.query(PERSONS))
    assert len(rows) == 4 and all(isinstance(row[0], rdflib.URIRef) for row in rows)
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    foaf_person = rdflib.URIRef("http://xmlns.com/foaf/0.1/Person")
    assert next(graph.triples((None, rdflib.RDF.type, foaf_person)), None) is not None


def readme_curl_commands() -> list[str]:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^    (curl .*?(?:\\\n.*?)*)$", text, flags=re.MULTILINE)
    return [re.sub(r"\s+# .*$", "", c.replace("\\\n", " ")) for c in commands]  # drop trailing comments


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize("command", readme_curl_commands())
def test_readme_curl_examples(server: Server, command: str) -> None:
    done = subprocess.run(["bash", "-c", command.replace("http://127.0.0.1:5000", server.url) + " --fail -sS"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
