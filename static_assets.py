"""Static files: content-hashed URLs cached for a year, compressed once per worker.

``url_for("static", filename=...)`` gains ``?v=<hash of the file's bytes>``. A request carrying
the current hash is answered with ``Cache-Control: public, max-age=31536000, immutable``; any
other (an old hash, none) with ``no-cache``, so the browser revalidates with the ETag. A release
changes the bytes, hence the URLs, so no visitor keeps a stale stylesheet.

Each file is read and compressed (Brotli and gzip at their best levels) the first time a worker
serves it, and again only when it changes on disk. This is the project's own code rather than a
library's because the libraries do not fit: Flask-Static-Digest needs a build step that writes
renamed copies into ``static/`` (a fresh clone would serve unhashed files until someone runs it),
WhiteNoise recognises hashes only in file names and serves only compressed copies written to disk
beforehand, and Flask-Compress (which compresses the pages) recompresses a streamed file on every
request and leaves its file handle open. Behind a proxy that serves ``/static/`` itself, none of
this runs.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import brotli
from flask import Flask, Response, abort, request

YEAR = 365 * 24 * 3600
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


@dataclass(frozen=True)
class Asset:
    """One static file as served: its bytes in each encoding and its content hash."""

    mtime: float
    digest: str
    mimetype: str
    encodings: dict[str, bytes]  # "identity", and "br" / "gzip" when they are smaller


def _encode(data: bytes, mimetype: str) -> dict[str, bytes]:
    encodings = {"identity": data}
    if len(data) > 512 and mimetype.startswith(COMPRESSIBLE):
        for name, packed in (
            ("br", brotli.compress(data, quality=11)),
            ("gzip", gzip.compress(data, compresslevel=9, mtime=0)),
        ):
            if len(packed) < len(data):
                encodings[name] = packed
    return encodings


class StaticAssets:
    """The files under one folder, read, hashed and compressed on first use.

    With ``watch`` (development and tests) each use checks the file's modification time, so an
    edited file gets a new hash at once; in production the files do not change under a running
    worker, and a page's static URLs cost a dictionary lookup each.
    """

    def __init__(self, root: Path, watch: bool):
        self.root = root.resolve()
        self.watch = watch
        self._assets: dict[str, Asset] = {}
        self._lock = threading.Lock()

    def get(self, filename: str) -> Asset | None:
        """The file as served, or None when there is no such file under the root."""
        known = self._assets.get(filename)
        if known is not None and not self.watch:
            return known
        path = (self.root / filename).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        mtime = os.stat(path).st_mtime
        if known is not None and known.mtime == mtime:
            return known
        with self._lock:
            data = path.read_bytes()
            mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if mimetype.startswith("text/") or mimetype == "application/javascript":
                mimetype += "; charset=utf-8"
            digest = hashlib.sha256(data).hexdigest()[:12]
            asset = Asset(mtime, digest, mimetype, _encode(data, mimetype))
            self._assets[filename] = asset
        return asset

    def digest(self, filename: str) -> str | None:
        """The file's content hash (12 hex digits), or None when there is no such file."""
        asset = self.get(filename)
        return asset.digest if asset else None


def _serve(assets: StaticAssets, filename: str) -> Response:
    asset = assets.get(filename)
    if asset is None:
        abort(404)
    accepted = request.accept_encodings
    encoding = next(
        (e for e in ("br", "gzip") if e in asset.encodings and accepted[e] > 0), "identity"
    )
    response = Response(asset.encodings[encoding], mimetype=asset.mimetype)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.set_etag(f"{asset.digest}-{encoding}")
    if request.args.get("v") == asset.digest:
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


def init_static_assets(app: Flask) -> None:
    """Serve ``static/`` through ``StaticAssets`` and put content hashes in its URLs."""
    assets = StaticAssets(Path(app.static_folder), watch=app.debug or app.testing)
    app.extensions["static_assets"] = assets
    app.view_functions["static"] = lambda filename: _serve(assets, filename)

    @app.url_defaults
    def _add_hash(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            digest = assets.digest(values["filename"])
            if digest:
                values["v"] = digest
