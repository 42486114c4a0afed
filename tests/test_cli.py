"""The `kg` command line: queries by name, path and stdin; syntax errors; load; formats."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from kg import config

from .conftest import PROJECT
from .conftest import run_kg as kg


def first_bundled_query() -> Path:
    return sorted((PROJECT / "queries").glob("*.rq"))[0]


def test_query_by_name_path_and_stdin_agree(built_store: Path) -> None:
    path = first_bundled_query()
    by_name = kg("query", "--store", str(built_store), path.stem)
    by_path = kg("query", "--store", str(built_store), str(path))
    by_stdin = kg("query", "--store", str(built_store), "-", stdin=path.read_text())
    assert by_name.exit_code == 0, by_name.stderr
    assert by_name.stdout == by_path.stdout == by_stdin.stdout
    assert "row" in by_name.stdout.splitlines()[-1]


def test_store_from_environment(built_store: Path) -> None:
    result = kg("query", "-", stdin="ASK { ?s ?p ?o }", KG_STORE=str(built_store))
    assert result.exit_code == 0 and result.stdout.strip() == "true"


def test_syntax_error_gives_exit_2_and_position(built_store: Path) -> None:
    result = kg("query", "--store", str(built_store), "-", stdin="SELECT * WHERE {\n  ?s ?p \n}")
    assert result.exit_code == 2
    assert "3:1" in result.stderr or "2:" in result.stderr, result.stderr


def test_machine_formats(built_store: Path) -> None:
    select = "SELECT ?s WHERE { ?s a <http://xmlns.com/foaf/0.1/Person> } LIMIT 2"
    as_json = kg("query", "--store", str(built_store), "--format", "json", "-", stdin=select)
    assert len(json.loads(as_json.stdout)["results"]["bindings"]) == 2
    as_csv = kg("query", "--store", str(built_store), "--format", "csv", "-", stdin=select)
    assert as_csv.stdout.splitlines()[0].strip() == "s"
    construct = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 3"
    as_nt = kg("query", "--store", str(built_store), "--format", "nt", "-", stdin=construct)
    assert len(as_nt.stdout.strip().splitlines()) == 3
    wrong = kg("query", "--store", str(built_store), "--format", "ttl", "-", stdin=select)
    assert wrong.exit_code != 0 and "does not fit" in wrong.stderr


def test_load_into_named_graph(tmp_path: Path) -> None:
    store = tmp_path / "w3c"
    graph = "http://kasei.us/2009/09/sparql/data/data1.rdf"
    data = tmp_path / "data1.nt"
    data.write_text(f"<{graph}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Document> .\n")
    loaded = kg("load", "--store", str(store), "--graph", graph, str(data))
    assert loaded.exit_code == 0, loaded.stderr
    asked = kg("query", "--store", str(store), "-", stdin=f"ASK {{ GRAPH <{graph}> {{ ?s a ?t }} }}")
    assert asked.stdout.strip() == "true"


def test_build_failure_message_names_file_and_line(project_copy: Path, tmp_path: Path) -> None:
    (project_copy / "data/triples/zz-broken.ttl").write_text("<a> <b> .\n")
    result = kg("build", "--store", str(tmp_path / "store"), KG_PROJECT_DIR=str(project_copy))
    assert result.exit_code == 1
    assert "data/triples/zz-broken.ttl:1:" in result.stderr


def test_a_bad_setting_is_one_line_naming_the_variable(built_store: Path) -> None:
    result = kg("query", "--store", str(built_store), "-", stdin="ASK {}", KG_QUERY_TIMEOUT="soon")
    assert result.exit_code == 1
    assert "KG_QUERY_TIMEOUT='soon' cannot be used" in result.stderr
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.stderr


def test_build_refuses_a_remote_store_before_building() -> None:
    result = kg("build", "--store", "sparql+http://127.0.0.1:9/sparql")
    assert result.exit_code == 1
    assert "remote endpoint" in result.stderr and "kg dump" in result.stderr
    assert "validating" not in result.stderr  # refused before any work


def test_an_http_address_as_store_says_how_to_write_it() -> None:
    result = kg("query", "--store", "http://example.org/sparql", "-", stdin="ASK {}")
    assert result.exit_code == 1
    assert "http://example.org/sparql is an address" in result.stderr
    assert "sparql+http://example.org/sparql" in result.stderr


def test_every_setting_is_documented() -> None:
    documented = (PROJECT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert config.markdown_table() in documented, "run `kg settings --markdown` and paste it into docs/settings.md"


def test_settings_shows_the_values_in_force() -> None:
    result = kg("settings", KG_PORT="5050")
    assert result.exit_code == 0
    assert "KG_PORT=5050" in result.stdout and "KG_QUERY_TIMEOUT=10.0" in result.stdout


def test_the_graphs_prefixes_are_declared_and_an_unknown_one_is_named(built_store: Path) -> None:
    known = kg("query", "--store", str(built_store), "-", stdin="ASK { person:lenin a foaf:Person }")
    assert known.exit_code == 0 and known.stdout.strip() == "true"
    unknown = kg("query", "--store", str(built_store), "-", stdin="SELECT * WHERE {\n  ?s a nope:Thing }")
    assert unknown.exit_code == 2
    assert "unknown prefix `nope:` at 2:" in unknown.stderr and "add `PREFIX nope: <...>`" in unknown.stderr


def test_one_row_is_one_row(built_store: Path) -> None:
    result = kg("query", "--store", str(built_store), "-", stdin="SELECT ?x WHERE { BIND(1 AS ?x) }")
    assert result.stdout.splitlines()[-1] == "(1 row)"


def test_a_busy_port_names_the_option_to_change(built_store: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = kg("serve", "--store", str(built_store), "--port", str(port))
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port or KG_PORT" in result.stderr


def test_validate_reports_progress_like_build() -> None:
    result = kg("validate")
    assert result.exit_code == 0, result.stderr
    assert "validating with SHACL" in result.stderr and result.stdout.startswith("valid: ")
