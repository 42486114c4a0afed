"""The ``kg`` command line: thin wrappers over kg.build, kg.store and kg.web."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path
from typing import cast

import click
from pyoxigraph import Store

from . import config
from .build import build, is_stale, validate_only
from .describing import answer_describe
from .errors import ConfigError, InputError, KGError, QuerySyntaxError, StoreMissing, ValidationFailed
from .format import table
from .namespaces import prefixes
from .queries import BundledQuery, bundled, check_all, find
from .store import load_files, open_store, run_query
from .formats import DATASETS, GRAPHS, RESULTS
from .store.dump import dump_format, dump_store
from .store.guard import query_form
from .store.query import serialize_result

store_option = click.option("--store", "store", metavar="DIR", default=None,
                            help="Store directory [env KG_STORE; default var/store in the project].")


def settings_from(**options: object) -> config.Settings:
    return config.load({k.upper(): v for k, v in options.items()})


def progress(message: str) -> None:
    click.echo(f"  … {message}", err=True)


class Commands(click.Group):
    """The ``kg`` group: the project's errors become one-line messages (exit 1; 2 for a query's
    syntax), never tracebacks, whichever command raised them."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except QuerySyntaxError as exc:
            click.echo(f"syntax error: {exc.message}", err=True)
            ctx.exit(2)
        except KGError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=Commands, help="Build, query and serve the October Days knowledge graph.")
@click.version_option(package_name="october-days-kg")
def cli() -> None:
    pass


@cli.command("build")
@store_option
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation (not recommended).")
def build_command(store: str | None, no_validate: bool) -> None:
    """Read ontology/ and data/, generate, validate and swap in a new store."""
    settings = settings_from(store=store)
    started = time.perf_counter()
    try:
        dataset, info = build(settings, progress, check=not no_validate)
    except (InputError, ValidationFailed, StoreMissing) as exc:
        raise click.ClickException(f"{exc}\nThe previous store, if any, is unchanged.") from exc
    width = max(len(p.source) for p in dataset.parts)
    for part in dataset.parts:
        click.echo(f"{part.source.ljust(width)}  {len(part.triples):>7} triples  <{part.name.value}>")
    click.echo(f"{'total'.ljust(width)}  {info.triples:>7} triples in {len(dataset.parts)} graphs, "
               f"{time.perf_counter() - started:.2f} s -> {settings.STORE}")


@cli.command("validate")
def validate_command() -> None:
    """Run the SHACL shapes on the graph without writing a store."""
    dataset = validate_only(settings_from(), progress)
    click.echo(f"valid: {len(dataset)} triples conform to ontology/shapes/")


@cli.command("load")
@store_option
@click.option("--graph", metavar="IRI", default=None, help="Load into this named graph.")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_command(store: str | None, graph: str | None, files: tuple[Path, ...]) -> None:
    """Load RDF files into a store (created if needed)."""
    settings = settings_from(store=store)
    try:
        count = load_files(Path(settings.STORE), files, graph)
    except InputError as exc:
        raise click.ClickException(f"{exc}\nNothing was loaded.") from exc
    click.echo(f"loaded {count} quads into {settings.STORE}" + (f" <{graph}>" if graph else ""))


@cli.command("dump")
@store_option
@click.option("--format", "fmt", type=click.Choice(list(DATASETS)), default=None,
              help="N-Quads or TriG [default: from the file name, else nq].")
@click.option("--gzip", "compress", is_flag=True, default=None, help="Compress [default: when FILE ends in .gz].")
@click.argument("output", default="-", metavar="[FILE]")
def dump_command(store: str | None, fmt: str | None, compress: bool | None, output: str) -> None:
    """Write the whole graph, named graphs kept, to FILE (e.g. graph.nq.gz) or standard output."""
    settings = settings_from(store=store)
    if settings.store_path is None:
        raise click.ClickException("kg dump reads an embedded store; dump a remote endpoint with its own tools")
    named_fmt, named_gz = dump_format(output)
    source = cast(Store, open_store(settings.store_path))  # a directory, never an endpoint: the embedded store
    with click.open_file(output, "wb") as sink:
        count = dump_store(source, sink, fmt=fmt or named_fmt, compress=named_gz if compress is None else compress)
    click.echo(f"dumped {count} quads from {settings.STORE} to {'standard output' if output == '-' else output}", err=True)


@cli.group("publish")
def publish_group() -> None:
    """Serve the graph from another SPARQL engine, to put behind `kg serve --store sparql+http://...`."""


@publish_group.command("virtuoso")
@store_option
@click.option("--http-port", type=int, default=0, help="Port of its SPARQL endpoint, on 127.0.0.1 (required to start).")
@click.option("--sql-port", type=int, default=0, help="Port of its SQL interface, on 127.0.0.1 (required to start).")
@click.option("--buffers", type=int, default=10_000, show_default=True,
              help="8 KB pages Virtuoso keeps in memory (about 2/3 of the RAM it may use, / 8 KB).")
@click.option("--stop", is_flag=True, help="Stop the instance kept in FOLDER instead.")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def publish_virtuoso_command(store: str | None, http_port: int, sql_port: int, buffers: int, stop: bool,
                             folder: Path) -> None:
    """Start OpenLink Virtuoso with everything in FOLDER and bulk-load the graph, named graphs kept."""
    from .deploy import virtuoso

    instance = virtuoso.Instance(folder, http_port, sql_port, buffers=buffers)
    if stop:
        click.echo("stopped" if virtuoso.stop(instance) else f"no instance running from {folder}")
        return
    if not (http_port and sql_port):
        raise click.UsageError("give both ports: --http-port and --sql-port")
    settings = settings_from(store=store)
    if settings.store_path is None:
        raise click.ClickException("kg publish reads an embedded store; give --store DIR")
    if (folder / "virtuoso.db").exists():
        raise click.ClickException(f"{folder} already holds a Virtuoso database; stop it with --stop and "
                                   "remove the folder, or choose another")
    for port in (http_port, sql_port):
        port_free("127.0.0.1", port)
    virtuoso.programs()
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / virtuoso.DUMP_NAME
    with dump.open("wb") as sink:
        count = dump_store(cast(Store, open_store(settings.store_path)), sink, compress=True)
    virtuoso.write_config(instance, max_rows=settings.MAX_ROWS)
    started = time.perf_counter()
    pid = virtuoso.start(instance)
    try:
        virtuoso.bulk_load(instance, dump)
    except KGError:
        virtuoso.stop(instance)
        raise
    click.echo(f"loaded {count} quads into Virtuoso (PID {pid}) in {time.perf_counter() - started:.1f} s\n"
               f"serve it with: kg serve --store {instance.endpoint}\n"
               f"stop it with:  kg publish virtuoso --stop {folder}")


def read_query(query: str, settings: config.Settings) -> tuple[str, BundledQuery | None]:
    """The query text, and the bundled query when QUERY names one."""
    if query == "-":
        return sys.stdin.read(), None
    path = Path(query)
    if path.suffix == ".rq" or path.exists():
        if not path.exists():
            raise click.ClickException(f"no such query file: {query}")
        return path.read_text(encoding="utf-8"), None
    bundled_query = find(settings.PROJECT_DIR / "queries", query)
    return bundled_query.text, bundled_query


def parse_params(params: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r}: write NAME=VALUE, e.g. person=person:lenin", param_hint="--param")
        values[name.strip().lstrip("?$")] = value.strip()
    return values


@cli.command("query")
@store_option
@click.option("--format", "fmt", type=click.Choice([*RESULTS, *GRAPHS]), default=None,
              help="Machine-readable output instead of a table or Turtle.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a parameter of a bundled query (repeatable), e.g. --param person=person:lenin.")
@click.option("--all", "run_all", is_flag=True, help="Run every bundled query and check it against its expected result.")
@click.argument("query", required=False)
def query_command(store: str | None, fmt: str | None, params: tuple[str, ...], run_all: bool, query: str | None) -> None:
    """Run QUERY: a .rq file, the name of a bundled query, or - for standard input."""
    settings = settings_from(store=store)
    if run_all:
        check_bundled(settings)
        return
    if query is None:
        raise click.UsageError("give a QUERY (file, bundled name or -) or --all")
    text, bundled_query = read_query(query, settings)
    values = parse_params(params)
    if bundled_query is not None:
        bindings = bundled_query.bindings(values, settings.BASE_IRI)
    elif values:
        raise click.UsageError("--param only applies to bundled queries, which declare their parameters")
    else:
        bindings = None
    # The graph's prefixes are declared for the query, as the query page declares them; DESCRIBE gives
    # the description the resource documents give, as the endpoint does.
    source = open_store(settings.STORE, timeout=settings.QUERY_TIMEOUT)
    if query_form(text) == "describe":
        result = answer_describe(source, text, settings.BASE_IRI, max_triples=settings.MAX_ROWS,
                                 substitutions=bindings, prefixes=prefixes(settings.BASE_IRI))
    else:
        result = run_query(source, text, substitutions=bindings, prefixes=prefixes(settings.BASE_IRI))
    if fmt is not None:
        if (fmt in GRAPHS) != (result.kind == "graph"):
            raise click.ClickException(f"--format {fmt} does not fit a {result.kind.upper()} result")
        sys.stdout.buffer.write(serialize_result(result, fmt))
        return
    if result.kind == "ask":
        click.echo("true" if result.boolean else "false")
    elif result.kind == "graph":
        sys.stdout.buffer.write(serialize_result(result, "ttl"))
    else:
        click.echo(table(result.variables, result.rows(), prefixes(settings.BASE_IRI)))


def check_bundled(settings: config.Settings) -> None:
    store = open_store(settings.STORE, timeout=settings.QUERY_TIMEOUT)
    checks = check_all(store, settings.PROJECT_DIR / "queries", settings.BASE_IRI)
    for check in checks:
        click.echo(f"{'pass' if check.passed else 'FAIL'}  {check.name}  {check.detail}")
    failed = sum(not c.passed for c in checks)
    click.echo(f"{len(checks) - failed} passed, {failed} failed")
    if failed:
        sys.exit(1)


@cli.command("settings")
@click.option("--markdown", is_flag=True, help="Print the table of docs/settings.md instead.")
def settings_command(markdown: bool) -> None:
    """Show every setting: its KG_* variable, the value in force and what it sets."""
    if markdown:
        click.echo(config.markdown_table(), nl=False)
        return
    settings = settings_from()
    for setting in config.SETTINGS:
        click.echo(f"KG_{setting.name}={config.shown(getattr(settings, setting.name))}  # {setting.help}")


@cli.command("queries")
def queries_command() -> None:
    """List the bundled example queries with their titles."""
    settings = settings_from()
    listed = bundled(settings.PROJECT_DIR / "queries")
    width = max((len(q.name) for q in listed), default=0)
    for q in listed:
        params = f"  [{', '.join(p.name for p in q.params)}]" if q.params else ""
        click.echo(f"{q.name.ljust(width)}  {q.title}{params}")


@cli.command("serve")
@store_option
@click.option("--host", default=None, help="Address to listen on [env KG_HOST; 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [env KG_PORT; 5000].")
@click.option("--production", is_flag=True,
              help="Serve with Granian: several workers forked from one copy of the store, with limits.")
def serve_command(store: str | None, host: str | None, port: int | None, production: bool) -> None:
    """Serve the SPARQL endpoint and the pages; builds the store first if it is missing or stale."""
    settings = settings_from(store=store, host=host, port=port)
    if settings.store_path is not None and is_stale(settings):
        click.echo("store is missing or older than the data: building it first", err=True)
        build(settings, progress)
    port_free(settings.HOST, settings.PORT)
    from .web.serve import serve  # the web face is only imported by the commands that need it

    try:
        serve(settings, production=production)
    except KGError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command("reload")
@store_option
@click.option("--port", type=int, default=None, help="Port of the server [env KG_PORT; 5000].")
def reload_command(store: str | None, port: int | None) -> None:
    """Make a running `kg serve --production` serve the current build (it sends the server SIGHUP)."""
    from .web.production import reload

    settings = settings_from(store=store, port=port)
    try:
        pid = reload(settings)
    except (ProcessLookupError, FileNotFoundError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"asked the server (PID {pid}) to serve the current build")


def port_free(host: str, port: int) -> None:
    """Refuse at once, saying which option to change, when another program holds the address."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror}); another program may hold it: "
                              "choose another port with --port or KG_PORT, or another address with --host or "
                              "KG_HOST") from None


def main() -> None:
    cli()
