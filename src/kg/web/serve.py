"""Running the application: Flask's server for development, Granian for production.

Production mode is the one for a public deployment (see :mod:`kg.web.production`). A query past its
deadline gets its 503 in both modes, but only production can replace the process whose engine
thread is still running it, bound its memory and time out slow clients.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging

from ..config import Settings
from ..errors import KGError

log = logging.getLogger(__name__)


def serve(settings: Settings, *, production: bool = False) -> None:
    if production:
        from .production import serve as serve_production

        serve_production(settings)
        return
    if not loopback(settings.HOST):
        raise KGError(f"the development server does not listen on {settings.HOST}: it has no limits on "
                      "threads, memory or slow clients. Use `kg serve --production` for other addresses")
    from . import create_app

    log.warning("development server: a runaway query keeps its thread until restart; "
                "use --production for a public deployment")
    create_app(dataclasses.asdict(settings)).run(host=settings.HOST, port=settings.PORT, threaded=True)


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
