"""Running the application: Flask's server for development, gunicorn for production."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..config import Settings


def serve(settings: Settings, *, production: bool = False) -> None:
    if not production:
        from . import create_app

        create_app(_overrides(settings)).run(host=settings.HOST, port=settings.PORT, threaded=True)
        return
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):  # gunicorn's documented way to embed it
        def load_config(self) -> None:
            self.cfg.set("bind", f"{settings.HOST}:{settings.PORT}")
            self.cfg.set("workers", settings.WORKERS)
            self.cfg.set("threads", settings.THREADS)
            self.cfg.set("worker_class", "gthread" if settings.THREADS > 1 else "sync")

        def load(self) -> Any:
            from . import create_app

            return create_app(_overrides(settings))

    Application().run()


def _overrides(settings: Settings) -> dict[str, Any]:
    return dataclasses.asdict(settings)
