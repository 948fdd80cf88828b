"""Benchmark-only WSGI wrapper: acknowledge an API write *before* it is carried out.

The negative control of ``crash_bench.py --ack-before-commit``. Every POST under ``/api/`` is
answered ``201`` at once and queued; one thread per worker performs the queued writes afterwards
through the real application. A worker killed with writes still queued loses them although the
client was told they succeeded, which is exactly the failure the benchmark's check must be able to
see. Never installed, never imported by the product: gunicorn loads it by module path
(``gunicorn bench.ack_before_commit_wsgi:application``) only for the control run.
"""

from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

_app = get_wsgi_application()
_pending: queue.Queue[dict[str, Any]] = queue.Queue()


def _perform() -> None:
    while True:
        environ = _pending.get()
        response = _app(environ, lambda status, headers, exc_info=None: lambda data: None)
        try:
            for _ in response:
                pass
        finally:
            response.close()  # request_finished: the worker's connection is tidied as after a request


threading.Thread(target=_perform, name="ack-before-commit", daemon=True).start()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ["REQUEST_METHOD"] != "POST" or not environ.get("PATH_INFO", "").startswith("/api/"):
        return _app(environ, start_response)
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    deferred = {key: value for key, value in environ.items() if isinstance(value, (str, int, bool, tuple))}
    deferred.update({"wsgi.input": io.BytesIO(body), "wsgi.errors": environ["wsgi.errors"]})
    _pending.put(deferred)
    start_response("201 Created", [("Content-Type", "application/json")])
    return [b'{"acknowledged": true}']
