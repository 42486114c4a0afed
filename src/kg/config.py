"""All configuration in one place: declared once, read from options, environment and defaults.

Every setting has an environment variable ``KG_<NAME>``; command-line options override the
environment, which overrides the defaults below.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


SETTINGS: tuple[Setting, ...] = (
    Setting("PROJECT_DIR", PROJECT_DIR, "Directory holding ontology/, data/ and queries/.", Path),
    Setting("STORE", str(PROJECT_DIR / "var" / "store"),
            "Store directory, or sparql+http(s)://host/path for a remote SPARQL endpoint."),
    Setting("HOST", "127.0.0.1", "Address kg serve listens on."),
    Setting("PORT", 5000, "Port kg serve listens on.", int),
    Setting("BASE_IRI", "https://w3id.org/october-days/",
            "Namespace of the resources; request paths are mapped onto IRIs under it."),
    Setting("PUBLIC_URL", "", "Public URL of the service when it differs from the request's host."),
    Setting("QUERY_TIMEOUT", 10.0, "Seconds a query may run before it is stopped with 503.", float),
    Setting("MAX_QUERY_LENGTH", 100_000, "Longest query text accepted, in characters (413 beyond).", int),
    Setting("MAX_BODY", 1_000_000, "Largest request body accepted, in bytes (413 beyond).", int),
    Setting("MAX_ROWS", 100_000, "Most result rows or triples returned; longer results are cut and marked.", int),
    Setting("MAX_NESTING", 200, "Deepest nesting of groups and brackets a query may have.", int),
    Setting("CORS_ORIGINS", ("*",), "Origins allowed to read the endpoint (comma-separated).", _list),
    Setting("CACHE_MAX_AGE", 300, "Cache-Control max-age, in seconds, for query and page responses.", int),
    Setting("SERVICE_ALLOWLIST", (), "Endpoints SERVICE may call (comma-separated); empty refuses SERVICE.", _list),
    Setting("WORKERS", 2, "Worker processes in production mode.", int),
    Setting("THREADS", 4, "Threads per worker process in production mode.", int),
    Setting("IN_MEMORY", True, "Copy the store into memory in each server process (faster reads).", _bool),
    Setting("PAGE_SIZE", 50, "Items per page on listing pages.", int),
    Setting("LICENSE", "https://creativecommons.org/licenses/by/4.0/",
            "License of the dataset, stated in its VoID description."),
    Setting("PUBLISHER", "The October Days knowledge graph project",
            "Who publishes the dataset, named in its DCAT description (/catalog)."),
    Setting("CREATOR", "The October Days knowledge graph project",
            "Who made the dataset, named in its DCAT description (/catalog)."),
    Setting("ISSUED", "2026-12-02", "Date the dataset was first published (YYYY-MM-DD), in its DCAT description."),
    Setting("WORKER_MEMORY", 1024, "Megabytes a production worker may use beyond the shared store before its "
            "queries get 503 and it is replaced (0: no ceiling).", int),
    Setting("HEADER_TIMEOUT", 10.0, "Seconds a client has to send a request's headers (production).", float),
    Setting("RESERVED_THREADS", 2, "Request threads per worker kept for cheap requests (production).", int),
    Setting("CLIENT_QUERIES", 2, "Queries one client may run at once (429 beyond).", int),
    Setting("CLIENT_BUDGET", 30.0, "Seconds of query time one client may use per KG_CLIENT_WINDOW (429 beyond).", float),
    Setting("CLIENT_WINDOW", 60.0, "Seconds over which a client's query-time budget is counted.", float),
    Setting("HEAVY_QUERIES", 2, "Queries that may run at once, over the whole server, for clients not yet "
            "known to ask quick ones (new, or with long recent queries); about one per core (429 beyond).", int),
    Setting("TRUSTED_PROXY_HEADER", "", "Header whose last address names the client, set by a trusted proxy "
            "(e.g. X-Forwarded-For); empty uses the connection's address."),
)

DEFAULTS: Mapping[str, Any] = {s.name: s.default for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """The settings of one run; build one with :func:`load`."""

    PROJECT_DIR: Path
    STORE: str
    HOST: str
    PORT: int
    BASE_IRI: str
    PUBLIC_URL: str
    QUERY_TIMEOUT: float
    MAX_QUERY_LENGTH: int
    MAX_BODY: int
    MAX_ROWS: int
    MAX_NESTING: int
    CORS_ORIGINS: tuple[str, ...]
    CACHE_MAX_AGE: int
    SERVICE_ALLOWLIST: tuple[str, ...]
    WORKERS: int
    THREADS: int
    IN_MEMORY: bool
    PAGE_SIZE: int
    LICENSE: str
    PUBLISHER: str
    CREATOR: str
    ISSUED: str
    WORKER_MEMORY: int
    HEADER_TIMEOUT: float
    RESERVED_THREADS: int
    CLIENT_QUERIES: int
    CLIENT_BUDGET: float
    CLIENT_WINDOW: float
    HEAVY_QUERIES: int
    TRUSTED_PROXY_HEADER: str

    @property
    def store_path(self) -> Path | None:
        """The store directory, or None when the store is a remote endpoint."""
        if self.STORE.startswith(("sparql+http://", "sparql+https://")):
            return None
        return Path(self.STORE)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


def shown(value: Any) -> str:
    """A setting's value as it would be written in its KG_* variable."""
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, Path) or str(value).startswith(str(PROJECT_DIR)):
        return str(value).replace(str(PROJECT_DIR), "<project>")
    return str(value)


def markdown_table() -> str:
    """Every setting as a Markdown table (docs/settings.md holds this table; a test keeps them equal)."""
    rows = [f"| `KG_{s.name}` | {f'`{shown(s.default)}`' if shown(s.default) else '(empty)'} | {s.help} |"
            for s in SETTINGS]
    return "\n".join(["| variable | default | what it sets |", "|---|---|---|", *rows]) + "\n"


def load(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from defaults, then ``KG_*`` environment variables, then ``overrides`` (None values ignored)."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = dict(DEFAULTS)
    for setting in SETTINGS:
        raw = environ.get(f"KG_{setting.name}")
        if raw is not None and raw != "":
            try:
                values[setting.name] = setting.parse(raw)
            except ValueError as exc:
                raise ConfigError(f"KG_{setting.name}={raw!r} cannot be used ({exc}); {setting.help}") from exc
    for name, value in (overrides or {}).items():
        if value is not None:
            values[name.upper()] = value
    if not values["BASE_IRI"].endswith(("/", "#")):
        values["BASE_IRI"] += "/"
    return Settings(**values)
