"""/admin/ in `showcase serve`: Decap CMS, its configuration, its file API and the problems panel.

Decap CMS is a single-page app from npm (node_modules/decap-cms/dist, served as it is: no CDN). In the
preview it talks to a "local backend" that reads and writes the site's files. That backend is the
protocol of Decap's own `decap-server` (a POST of `{action, params}`), answered here in Python so that
every save goes through our rules: only Markdown files under content/models/ and content/localities/
and photos under content/images/ may be written, and each entry's front matter is rewritten in the
stable form of generator/editor/save.py. The watcher of `showcase serve` then rebuilds as after any
save, and the panel beside the form lists the entry's problems with the CLI's own messages.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from generator.content.config import load_config
from generator.editor.admin_config import MEDIA_FOLDER, admin_config, dump_config
from generator.editor.save import normalise_entry
from generator.core.errors import ConfigError
from generator.content.load import CONTENT_DIRS

PREFIX = "/admin/"
API = PREFIX + "api/v1"
DECAP_DIST = Path(__file__).resolve().parents[2] / "node_modules" / "decap-cms" / "dist"
OWN_FILES = Path(__file__).resolve().parent / "admin"
_DIST_NAME = re.compile(r"^[\w.-]+\.(js|css|wasm)$")
_ENTRY = re.compile(r"^(content/(?:models|localities))/([a-z0-9][a-z0-9-]*)\.md$")
_MEDIA = re.compile(r"^content/images/[\w.-]+\.(jpe?g|png|webp)$", re.IGNORECASE)
KIND_OF_FOLDER = {folder: kind for kind, folder in CONTENT_DIRS.items()}
JSON = "application/json; charset=utf-8"
TYPES = {"js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "wasm": "application/wasm"}
StartResponse = Callable[..., Any]


class Refused(Exception):
    """A request the editor may not make (a path outside the content folders)."""


def make_admin_app(root: Path, preview: Any) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The WSGI app for every path under /admin/; `preview` is serve's Preview (builds, last result)."""
    compressed: dict[tuple[str, int, int], bytes] = {}      # Decap's files, gzipped once per process

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", "/"), environ["REQUEST_METHOD"]
        headers = [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]
        try:
            if path == PREFIX.rstrip("/"):
                start_response("301 Moved Permanently", headers + [("Location", PREFIX)])
                return [b""]
            if path == API and method == "POST":
                size = int(environ.get("CONTENT_LENGTH") or 0)
                request = json.loads(environ["wsgi.input"].read(size) or b"{}")
                body = json.dumps(handle(root, request, _gazetteer_names(preview)), ensure_ascii=False).encode("utf-8")
                return _send(start_response, "200 OK", headers, JSON, body)
            if method not in ("GET", "HEAD"):
                return _send(start_response, "405 Method Not Allowed", headers + [("Allow", "GET, HEAD")], JSON, b"")
            if path in (PREFIX, PREFIX + "index.html"):
                return _send(start_response, "200 OK", headers, "text/html; charset=utf-8",
                             (OWN_FILES / "index.html").read_bytes())
            if path == PREFIX + "config.yml":
                host = environ.get("HTTP_HOST") or "127.0.0.1"
                config = admin_config(load_config(root), local_backend=f"http://{host}{API}",
                                      site_url=f"http://{host}/")
                return _send(start_response, "200 OK", headers, "text/yaml; charset=utf-8",
                             dump_config(config).encode("utf-8"))
            if path == PREFIX + "problems":
                query = parse_qs(environ.get("QUERY_STRING", ""))
                found = json.dumps(problems(preview, query.get("path", [""])[0]), ensure_ascii=False)
                return _send(start_response, "200 OK", headers, JSON, found.encode("utf-8"))
            if path == PREFIX + "names":
                found = json.dumps(names(preview), ensure_ascii=False)
                return _send(start_response, "200 OK", headers, JSON, found.encode("utf-8"))
            name = path[len(PREFIX):]
            for folder in (OWN_FILES, DECAP_DIST):
                if _DIST_NAME.match(name) and (folder / name).is_file():
                    kind = TYPES[name.rsplit(".")[-1]]
                    # Always gzipped: livereload writes its script before any "</head>" in a response,
                    # whatever its type, and Decap's script holds that text in strings.
                    return _send(start_response, "200 OK", headers + [("Content-Encoding", "gzip")], kind,
                                 _gzipped(folder / name, compressed))
            return _send(start_response, "404 Not Found", headers, "text/plain; charset=utf-8", b"")
        except (Refused, ValueError, KeyError, ConfigError) as exc:
            body = json.dumps({"error": str(exc)}, ensure_ascii=False).encode("utf-8")
            return _send(start_response, "422 Unprocessable Entity", headers, JSON, body)

    return app


def _gzipped(path: Path, memo: dict[tuple[str, int, int], bytes]) -> bytes:
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in memo:
        memo[key] = gzip.compress(path.read_bytes(), compresslevel=5, mtime=0)
    return memo[key]


def _send(start_response: StartResponse, status: str, headers: list[tuple[str, str]], kind: str,
          body: bytes) -> list[bytes]:
    start_response(status, headers + [("Content-Type", kind)])
    return [body]


def handle(root: Path, request: dict[str, Any], names: dict[str, str] | None = None) -> Any:
    """Answer one call of Decap's local backend protocol (the actions of decap-server's local_fs mode).

    `names` (locality id -> name) fills in the name of a locality file that has only a GSO `code`, as
    the site shows it: Decap lists, searches and picks localities by name, and would show such a
    file as a blank (its name is then written on its next save, which `showcase check` accepts)."""
    action, params = request.get("action"), request.get("params") or {}
    names = names or {}
    if action == "info":
        return {"repo": root.name, "publish_modes": ["simple"], "type": "local_fs"}
    if action == "entriesByFolder":
        folder = _folder(params["folder"])
        return [_entry(root, f"{folder}/{p.name}", names) for p in sorted((root / folder).glob("*.md"))]
    if action == "entriesByFiles":
        return [_entry(root, _entry_path(f["path"]), names) for f in params["files"]]
    if action == "getEntry":
        return _entry(root, _entry_path(params["path"]), names)
    if action == "persistEntry":
        for data_file in params.get("dataFiles") or [params["entry"]]:
            rel = _entry_path(data_file["path"])
            kind = KIND_OF_FOLDER[rel.rsplit("/", 1)[0]]
            _write(root / rel, normalise_entry(kind, data_file["raw"]).encode("utf-8"))
        for asset in params.get("assets") or []:
            _write(root / _media_path(asset["path"]), _decode(asset))
        return {"message": "entry persisted"}
    if action == "getMedia":
        media = root / MEDIA_FOLDER
        files = sorted(p for p in media.glob("*") if p.is_file() and _MEDIA.match(f"{MEDIA_FOLDER}/{p.name}"))
        return [_media(root, f"{MEDIA_FOLDER}/{p.name}") for p in files]
    if action == "getMediaFile":
        return _media(root, _media_path(params["path"]))
    if action == "persistMedia":
        rel = _media_path(params["asset"]["path"])
        _write(root / rel, _decode(params["asset"]))
        return _media(root, rel)
    if action in ("deleteFile", "deleteFiles"):
        for rel in params.get("paths") or [params["path"]]:
            safe = _entry_path(rel) if rel.endswith(".md") else _media_path(rel)
            (root / safe).unlink(missing_ok=True)
        return {"message": "deleted"}
    if action == "getDeployPreview":
        return None
    raise ValueError(f"hành động không hỗ trợ: {action}")


def problems(preview: Any, path: str) -> dict[str, Any]:
    """The last preview build's problems in file `path`, as the CLI prints them, and the page to see."""
    result = preview.last_result
    diagnostics = result.diagnostics.sorted() if result is not None else []
    found = [{"severity": d.severity, "text": d.format()} for d in diagnostics if d.location.path == path]
    if not found and preview.problems and result is None:       # site.yaml broken, or a crash
        found = [{"severity": "error", "text": p.get("message", "")} for p in preview.problems]
    match = _ENTRY.match(path)
    page, draft = None, False
    if match and result is not None and result.graph is not None:
        kind, ident = KIND_OF_FOLDER[match[1]], match[2]
        if ident in (result.graph.model if kind == "model" else result.graph.locality):
            page = result.graph.url(kind, ident)
        draft = any(d.path == path for d in result.drafts)
    return {"builds": preview.builds, "problems": found, "page": page, "draft": draft}


def names(preview: Any) -> dict[str, dict[str, str]]:
    """What readers see for each id of the last preview build, for the preview pane: a model's title, a
    place with the units above it ("xã Lộc Yên, tỉnh Lạng Sơn")."""
    result = preview.last_result
    graph = result.graph if result is not None else None
    if graph is None:
        return {"models": {}, "localities": {}}
    return {"models": {m.id: str(m.data.get("title") or m.id) for m in graph.models},
            "localities": {loc.id: ", ".join(str(up.data.get("name") or up.id) for up in reversed(graph.chain[loc.id]))
                           for loc in graph.localities}}


def _folder(folder: str) -> str:
    if folder.strip("/") not in KIND_OF_FOLDER:
        raise Refused(f"thư mục không được phép: {folder}")
    return folder.strip("/")


def _entry_path(path: str) -> str:
    if not _ENTRY.match(path):
        raise Refused(f"tệp không được phép: {path}")
    return path


def _media_path(path: str) -> str:
    if not _MEDIA.match(path):
        raise Refused(f"ảnh phải là .jpg, .png hoặc .webp trong {MEDIA_FOLDER}/ (tên không dấu cách): {path}")
    return path


def _entry(root: Path, rel: str, names: dict[str, str]) -> dict[str, Any]:
    try:
        data = (root / rel).read_bytes()
    except FileNotFoundError:
        return {"data": None, "file": {"path": rel, "id": None}}
    text = data.decode("utf-8", errors="replace")
    match = _ENTRY.match(rel)
    if match and match[1] == CONTENT_DIRS["locality"] and match[2] in names and text.startswith("---\n"):
        front = text.split("\n---", 1)[0]
        if not re.search(r"^name\s*:", front, re.MULTILINE):
            text = "---\nname: " + json.dumps(names[match[2]], ensure_ascii=False) + "\n" + text[4:]
    return {"data": text, "file": {"path": rel, "id": hashlib.sha256(data).hexdigest()}}


def _gazetteer_names(preview: Any) -> dict[str, str]:
    """Locality id -> name in the last preview build (a name taken from the gazetteer by `code` too)."""
    result = preview.last_result
    graph = result.graph if result is not None else None
    return {} if graph is None else {loc.id: str(loc.data.get("name")) for loc in graph.localities
                                     if loc.data.get("name")}


def _media(root: Path, rel: str) -> dict[str, Any]:
    data = (root / rel).read_bytes()
    return {"id": hashlib.sha256(data).hexdigest(), "content": base64.b64encode(data).decode("ascii"),
            "encoding": "base64", "path": rel, "name": rel.rsplit("/", 1)[-1]}


def _decode(asset: dict[str, Any]) -> bytes:
    content = asset["content"]
    return base64.b64decode(content) if asset.get("encoding") == "base64" else str(content).encode("utf-8")


def _write(path: Path, data: bytes) -> None:
    """Atomically, so the watcher never rebuilds from half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
