"""Errors the project knows how to report; the CLI and the web face word them for their users."""

from __future__ import annotations


class KGError(Exception):
    """Base for errors with a message a user can act on."""


class InputError(KGError):
    """A source file is wrong: carries the file and line so the message reads ``file:line: message``."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class ValidationFailed(KGError):
    """The graph breaks SHACL shapes; ``report`` lists each violation."""

    def __init__(self, report: str, count: int) -> None:
        self.report = report
        self.count = count
        super().__init__(f"SHACL validation failed with {count} violation(s):\n{report}")


class ConfigError(KGError):
    """A setting has a value that cannot be used; the message names it and says what it takes."""


class StoreMissing(KGError):
    """No built store where one was expected."""


class QueryError(KGError):
    """A query that cannot be run; ``status`` is the HTTP status that fits."""

    status = 400
    title = "Bad query"

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(message)


class QuerySyntaxError(QueryError):
    title = "Malformed query"


class QueryRefused(QueryError):
    """A well-formed request this service will not run (update, SERVICE, too large, too deep)."""

    title = "Query refused"

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class QueryTimeout(QueryError):
    status = 503
    title = "Query timed out"


class EndpointUnavailable(QueryError):
    """The remote SPARQL endpoint behind ``--store sparql+http://…`` failed or could not be reached."""

    status = 502
    title = "Store unavailable"


class MemoryExceeded(QueryError):
    """The process serving the query passed its memory ceiling; it ends, and a fresh one replaces it."""

    status = 503
    title = "Query needed too much memory"
