"""`kg dump`: the whole graph out as N-Quads or TriG, loadable into a fresh store with nothing lost."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import Result
from pyoxigraph import RdfFormat, Store, parse

from kg.store import open_store
from kg.store.dump import dump_format

from .conftest import run_kg


def dump(store: Path, *args: str) -> Result:
    done = run_kg("dump", "--store", str(store), *args)
    assert done.exit_code == 0, done.stderr
    return done


@pytest.mark.parametrize("name", ["graph.nq", "graph.trig", "graph.nq.gz", "graph.trig.gz"])
def test_a_dump_loads_into_a_fresh_store_with_every_quad(built_store: Path, tmp_path: Path, name: str) -> None:
    original = open_store(built_store)
    out = tmp_path / name
    done = dump(built_store, str(out))
    assert f"dumped {len(original)} quads" in done.stderr
    fmt = RdfFormat.TRIG if ".trig" in name else RdfFormat.N_QUADS
    data = gzip.decompress(out.read_bytes()) if name.endswith(".gz") else out.read_bytes()
    fresh = Store()
    fresh.bulk_extend(parse(data, format=fmt))
    assert len(fresh) == len(original)
    assert set(fresh) == set(original)  # graph names included


def test_kg_load_reads_a_dump_back(built_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.nq"
    dump(built_store, str(out))
    assert run_kg("load", "--store", str(tmp_path / "copy"), str(out)).exit_code == 0
    assert len(open_store(tmp_path / "copy")) == len(open_store(built_store))


def test_standard_output_gets_n_quads_unless_told(built_store: Path) -> None:
    plain = dump(built_store).stdout_bytes
    assert plain.splitlines()[0].endswith(b"> .")
    packed = dump(built_store, "--gzip", "--format", "trig", "-").stdout_bytes
    assert b"{" in gzip.decompress(packed)


def test_the_file_name_says_the_format() -> None:
    assert dump_format("x.nq.gz") == ("nq", True)
    assert dump_format("x.trig") == ("trig", False)
    assert dump_format("-") == ("nq", False)


def test_a_remote_store_is_not_dumped(tmp_path: Path) -> None:
    done = run_kg("dump", "--store", "sparql+http://127.0.0.1:9/query", str(tmp_path / "x.nq"))
    assert done.exit_code != 0 and "embedded store" in done.stderr
    assert not (tmp_path / "x.nq").exists()
