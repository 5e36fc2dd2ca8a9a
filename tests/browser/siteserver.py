"""Serve a built site over HTTP under a sub-path, the way GitHub Pages serves a project site.

`http://127.0.0.1:PORT/marginalia/...` maps to `site/...`; a missing file gets `site/404.html` with
status 404, as on GitHub Pages. Used by the browser tests and by `screenshot.py`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

SUBPATH = "/marginalia/"  # the path of site_url in mkdocs.yml: Material's 404.html links assets under it


class SubPathHandler(SimpleHTTPRequestHandler):
    """Static files of `directory` under SUBPATH; anything else is GitHub Pages' 404."""

    def _in_site(self) -> bool:
        path = unquote(urlsplit(self.path).path)
        return path.startswith(SUBPATH) or path == SUBPATH.rstrip("/")

    def translate_path(self, path: str) -> str:
        url_path = unquote(urlsplit(path).path)
        return super().translate_path("/" + url_path[len(SUBPATH) :])

    def send_head(self):  # type: ignore[no-untyped-def]  (returns the open file or None, as the base)
        if not self._in_site():  # outside the project site
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def list_directory(self, path: str) -> None:  # type: ignore[override]  (Pages lists no folders)
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on a free port of 127.0.0.1; yields the base URL, ending in SUBPATH."""
    handler = partial(SubPathHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
