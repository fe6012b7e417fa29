"""The local web app: browse runs, reports, articles, entities and speakers; search; upload.

Security is by construction: autoescaping templates for every page, ids checked against a
pattern before they reach the store, no file served from a request path (the two stylesheets
are fixed package resources), a request body limit, and 127.0.0.1 unless asked otherwise. One
middleware (:class:`SecurityMiddleware`) stands before every route: it refuses oversized requests,
answers only to the host names of the address it is bound to (so a page on another site cannot
reach the app by rebinding its own name to 127.0.0.1), accepts state changes (``POST``) only from
the app's own pages (``Sec-Fetch-Site`` and ``Origin``, so another site cannot submit a form to
it), and puts the security headers on every response, error pages and server errors included.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import socket
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, File, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyweave.errors import shown
from storyweave.report.html import make_environment, report_title
from storyweave.report.view import build_view, story_sections, view_with_article
from storyweave.store import MAX_ROW_ID
from storyweave.web.library import Library

ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
MAX_BODY_BYTES = 20 * 1024 * 1024
#: Request line and headers: generous for any browser, small enough that a hostile client cannot
#: make the app hold or parse megabytes before a route runs.
MAX_URL_BYTES = 8 * 1024
MAX_HEADER_BYTES = 16 * 1024
MAX_HEADER_COUNT = 100
#: What uvicorn's HTTP parser buffers for one incomplete request line or header block.
MAX_INCOMPLETE_EVENT_BYTES = 64 * 1024
MAX_UPLOAD_FILES = 50
UPLOAD_SUFFIXES = {".txt", ".html", ".htm", ".json", ".jsonl", ".md"}
PAGE_SIZE = 50

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    # Not "no-referrer": under it a browser sends "Origin: null" even for the app's own forms, and
    # an older browser without Sec-Fetch-Site could then not be told from another site.
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
#: The only files the app serves: name -> (package, resource, media type).
STATIC = {
    "report.css": ("storyweave.report", "templates/report.css", "text/css"),
    "app.css": ("storyweave.web", "static/app.css", "text/css"),
}

#: Methods that change state: only the app's own pages may send them.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: ``Sec-Fetch-Site`` values of a request the app's own pages (or the person, typing) made.
OWN_FETCH_SITES = frozenset({"same-origin", "none"})
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::", "[::]"})  # noqa: S104 -- recognised, never bound here
_log = logging.getLogger("storyweave.web")

ArticleId = Annotated[str, PathParam(pattern=ID_PATTERN)]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def _host_name(value: str) -> str:
    """The host name of a ``Host`` header value (``[::1]:8008`` -> ``[::1]``), lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1] if "]" in value else value
    name, colon, port = value.rpartition(":")
    return name if colon and port.isdigit() else value


def _bracketed(host: str) -> str:
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def allowed_host_names(host: str, extra: Iterable[str] = ()) -> set[str]:
    """The ``Host`` header names the app answers to when bound to ``host``.

    The bound address itself, and for a loopback address the loopback names (``localhost``,
    ``127.0.0.1``, ``[::1]``); for a wildcard address (``0.0.0.0``) also this machine's names
    (and any IP address, see :class:`HostRule`). ``extra`` adds names, for a reverse proxy.
    """
    names = {_bracketed(host.strip("[]").lower())} | {_host_name(e) for e in extra}
    if is_loopback(host) or host.strip("[]") in WILDCARD_HOSTS:
        names |= {"localhost", "127.0.0.1", "[::1]"}
    if host.strip("[]") in WILDCARD_HOSTS:
        hostname = socket.gethostname().lower()
        names |= {hostname, socket.getfqdn(hostname).lower()}
    return names - {"", "[]"}


class HostRule:
    """Which ``Host`` headers a server bound to ``host`` answers (DNS rebinding defence).

    A page on another site that rebinds its own name to this machine's address still sends its
    own name as ``Host``; only names of the bound address are served. Bound to a wildcard
    address, any IP address is also accepted (a name cannot be rebound to an IP literal).
    """

    def __init__(self, host: str = "127.0.0.1", extra: Iterable[str] = ()) -> None:
        self.names = frozenset(allowed_host_names(host, extra))
        self.any_ip = host.strip("[]") in WILDCARD_HOSTS

    def allows(self, header: str) -> bool:
        name = _host_name(header)
        return name in self.names or (self.any_ip and _is_ip(name))


def _same_origin(origin: str, host_header: str, scheme: str) -> bool:
    """Whether an ``Origin`` header names this very server (the scheme and host it was asked by)."""
    try:
        parts = urlsplit(origin)
        default = {"http": 80, "https": 443}
        theirs = (parts.scheme, (parts.hostname or "").lower(), parts.port or default.get(parts.scheme))
        mine = urlsplit(f"{scheme}://{host_header}")
        ours = (scheme, (mine.hostname or "").lower(), mine.port or default.get(scheme))
    except ValueError:
        return False
    return theirs == ours


class SecurityMiddleware:
    """Stands before every route. Refuses oversized requests: bodies over ``max_body`` bytes (413),
    URLs over MAX_URL_BYTES (414), header blocks over MAX_HEADER_BYTES or MAX_HEADER_COUNT (431),
    NUL characters in the path (400); then a ``Host`` the :class:`HostRule` does not allow (400);
    then a state change (``POST`` ...) sent by another site (403). Adds the security headers to
    every response, and answers an exception no route handled with a plain 500 that has them too."""

    def __init__(
        self, app: Callable[[Scope, Receive, Send], Awaitable[None]], max_body: int, hosts: HostRule | None = None
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.hosts = hosts or HostRule()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_headers = scope.get("headers") or []
        if len(raw_headers) > MAX_HEADER_COUNT or sum(len(k) + len(v) for k, v in raw_headers) > MAX_HEADER_BYTES:
            await _refuse(send, 431, "request header fields too large")
            return
        target = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
        if len(target) + len(scope.get("query_string") or b"") > MAX_URL_BYTES:
            await _refuse(send, 414, "request URL too long")
            return
        if "\x00" in scope.get("path", "") or b"%00" in target.lower():
            await _refuse(send, 400, "NUL character in the request path")
            return
        headers = dict(raw_headers)
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _refuse(send, 413, "request body too large")
            return
        host = headers.get(b"host", b"").decode("latin-1")
        if not self.hosts.allows(host):
            await _refuse(send, 400, "invalid Host header: this server answers only to its own address")
            return
        if scope.get("method", "GET").upper() in UNSAFE_METHODS and not self._from_own_page(headers, host, scope):
            await _refuse(send, 403, "cross-site request refused: send it from this app's own pages")
            return
        received = 0
        started = False

        async def limited_receive() -> MutableMapping[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(413, "request body too large")
            return message

        async def secured_send(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                existing = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in SECURITY_HEADERS]
                message["headers"] = existing + [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except Exception:
            if started:  # the response is under way: nothing better can be sent
                raise
            _log.exception("error while answering %s %s", scope.get("method"), scope.get("path"))
            await _refuse(send, 500, "internal server error")

    @staticmethod
    def _from_own_page(headers: dict[bytes, bytes], host: str, scope: Scope) -> bool:
        """Whether a state-changing request came from this app's own pages (or from no browser page).

        Browsers say where a request comes from: ``Sec-Fetch-Site`` (all current ones) and
        ``Origin`` on every cross-site ``POST``. A request with neither is not from a browser page
        (curl, a script), which another site cannot make a visitor's browser send.
        """
        site = headers.get(b"sec-fetch-site")
        if site is not None:  # the browser's own word on where the request comes from
            return site.decode("latin-1").lower() in OWN_FETCH_SITES
        origin = headers.get(b"origin")
        if origin is None:
            return True
        return _same_origin(origin.decode("latin-1"), host, scope.get("scheme", "http"))


async def _refuse(send: Send, status: int, detail: str) -> None:
    """Answer a request refused before routing (JSON, with the security headers)."""
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *((k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _environment() -> Environment:
    env = make_environment(PackageLoader("storyweave.web", "templates"))
    env.globals["url_id"] = lambda value: quote(str(value), safe="")
    return env


def create_app(
    db_path: str | Path, *, max_body: int = MAX_BODY_BYTES, host: str = "127.0.0.1", allowed_hosts: Iterable[str] = ()
) -> FastAPI:
    """The web app over the store at ``db_path`` (created if missing), to be served on ``host``.

    ``host`` is the address the server is bound to: the app answers only to its names (see
    :class:`HostRule`); ``allowed_hosts`` adds names (a reverse proxy's).
    """
    library = Library(db_path)
    env = _environment()
    upload_lock = threading.Lock()
    upload_errors: dict[int, list[str]] = {}  # files an upload could not read, told with the uploaded names
    app = FastAPI(
        title="storyweave",
        summary="Browse stored analyses of news coverage; the API speaks the report contract.",
        docs_url=None,  # the interactive docs load scripts from a CDN, which the CSP forbids
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.library = library
    app.add_middleware(SecurityMiddleware, max_body=max_body, hosts=HostRule(host, allowed_hosts))

    def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(template).render(**context), status_code=status)

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return page("error.html.j2", exc.status_code, title=f"Error {exc.status_code}", message=str(exc.detail))

    from fastapi.exceptions import RequestValidationError

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": "invalid request", "errors": jsonable_errors(exc)}, status_code=422)
        return page("error.html.j2", 422, title="Invalid request", message="The address or form is not valid.")

    # ---------------------------------------------------------------- pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return page(
            "index.html.j2",
            title="storyweave",
            runs=library.runs(),
            stories=library.stories(),
            article_count=library.article_count(),
        )

    @app.get("/runs/{run_id}", response_class=HTMLResponse, include_in_schema=False)
    def run_page(run_id: int) -> HTMLResponse:
        report = library.report(run_id) if 0 < run_id <= MAX_ROW_ID else None
        if report is None:
            raise HTTPException(404, f"run {run_id} has no report")
        stories = story_sections(report)
        return page(
            "run.html.j2",
            title=report_title(report),
            run_id=run_id,
            view=build_view({}) if stories else build_view(report),
            stories=stories,
            article_href=lambda s: f"/articles/{quote(s.id, safe='')}",
            entity_href=lambda e: f"/entities/{quote(e['id'], safe='')}",
            errors=upload_errors.get(run_id, []),
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: ArticleId) -> HTMLResponse:
        story = next((s for s in library.stories() if s["id"] == story_id), None)
        if story is None:
            raise HTTPException(404, "no such story")
        return page("story.html.j2", title=story["title"], story=story, articles=library.story_articles(story_id))

    @app.get("/articles", response_class=HTMLResponse, include_in_schema=False)
    def articles_page(offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> HTMLResponse:
        return page(
            "articles.html.j2",
            title="Articles",
            articles=library.articles(PAGE_SIZE, offset),
            offset=offset,
            page_size=PAGE_SIZE,
            total=library.article_count(),
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: ArticleId) -> HTMLResponse:
        article = library.article(article_id)
        if article is None:
            raise HTTPException(404, "no such article")
        source = None
        run_id = None
        found = library.report_with_article(article_id)
        if found is not None:
            run_id, report = found
            source = next(s for s in view_with_article(report, article_id).sources if s.id == article_id)
        return page(
            "article.html.j2", title=article.get("title") or article_id, article=article, source=source, run_id=run_id
        )

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(speakers: bool = False) -> HTMLResponse:
        rows = library.entity_index()
        if speakers:
            rows = [r for r in rows if r["quotes"]]
        return page("entities.html.j2", title="Speakers" if speakers else "Entities", entities=rows, speakers=speakers)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(entity_id: ArticleId) -> HTMLResponse:
        entity = library.entity(entity_id)
        if entity is None:
            raise HTTPException(404, "no such entity")
        return page("entity.html.j2", title=entity["name"], entity=entity)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(q: Annotated[str, Query(max_length=500)] = "") -> HTMLResponse:
        hits = library.search(q, limit=50) if q.strip() else []
        return page("search.html.j2", title=f"Search: {q}" if q else "Search", q=q, hits=hits)

    @app.get("/upload", response_class=HTMLResponse, include_in_schema=False)
    def upload_form() -> HTMLResponse:
        return page("upload.html.j2", title="Analyse articles", errors=[], max_mb=max_body // (1024 * 1024))

    @app.post("/upload", include_in_schema=False)
    def upload(files: Annotated[list[UploadFile], File()]) -> Response:
        if not files or len(files) > MAX_UPLOAD_FILES:
            raise HTTPException(400, f"send between 1 and {MAX_UPLOAD_FILES} files")
        from storyweave.runner import run_analysis

        with tempfile.TemporaryDirectory(prefix="storyweave-upload-") as tmp, upload_lock:
            names: dict[str, str] = {}
            paths = []
            for i, f in enumerate(files):
                suffix = Path(f.filename or "").suffix.lower()
                path = Path(tmp) / f"upload-{i:03d}{suffix if suffix in UPLOAD_SUFFIXES else '.txt'}"
                path.write_bytes(f.file.read())
                names[str(path)] = f.filename or path.name
                paths.append(path)
            try:
                result = run_analysis(
                    paths, out_dir=Path(tmp) / "out", db=library.db_path, quiet=True, ctx=_context(app)
                )
            except Exception as exc:  # shown to the user; the runner has recorded the run as failed
                return page(
                    "upload.html.j2", 422, title="Analyse articles", errors=[str(exc)], max_mb=max_body // (1024 * 1024)
                )
            errors = [_rename(e, names) for e in result.errors]
        if result.status != "ok":
            return page(
                "upload.html.j2",
                422,
                title="Analyse articles",
                errors=errors or ["nothing could be analysed"],
                max_mb=max_body // (1024 * 1024),
            )
        if errors:
            upload_errors[result.run_id] = errors
        return RedirectResponse(f"/runs/{result.run_id}", status_code=303)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in STATIC:
            raise HTTPException(404, "not found")
        package, resource, media = STATIC[name]
        body = resources.files(package).joinpath(resource).read_bytes()
        return Response(body, media_type=media, headers={"cache-control": "max-age=300"})

    # ---------------------------------------------------------------- JSON API (the report contract)

    @app.get("/api/runs", tags=["runs"])
    def api_runs() -> list[dict[str, Any]]:
        """Every run, newest first: id, status, arguments, article ids, statistics."""
        return library.runs()

    @app.get("/api/runs/{run_id}/report", tags=["runs"])
    def api_report(run_id: int) -> dict[str, Any]:
        """The run's report.json, exactly as written (schema_version "1")."""
        report = library.report(run_id) if 0 < run_id <= MAX_ROW_ID else None
        if report is None:
            raise HTTPException(404, f"run {run_id} has no report")
        return report

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def api_article(article_id: ArticleId) -> dict[str, Any]:
        """One stored article: text, metadata, source paths and stored per-article findings."""
        article = library.article(article_id)
        if article is None:
            raise HTTPException(404, "no such article")
        return article

    @app.get("/api/search", tags=["articles"])
    def api_search(
        q: Annotated[str, Query(min_length=1, max_length=500)], limit: Annotated[int, Query(ge=1, le=200)] = 50
    ) -> list[dict[str, Any]]:
        """Full-text search over stored articles, best first, with plain-text snippets."""
        return [
            {k: v for k, v in hit.items() if k not in ("snippet_html", "snippet_markup")}
            for hit in library.search(q, limit=limit)
        ]

    @app.get("/api/entities/{entity_id}", tags=["entities"])
    def api_entity(entity_id: ArticleId) -> dict[str, Any]:
        """An entity across every stored report: names, roles, mentions (spans) and quotes."""
        entity = library.entity(entity_id)
        if entity is None:
            raise HTTPException(404, "no such entity")
        return entity

    return app


def jsonable_errors(exc: Any) -> list[dict[str, Any]]:
    return [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors()]


def _rename(error: str, names: dict[str, str]) -> str:
    """An ingest error about a temporary upload path, told with the name the user uploaded."""
    for path, name in names.items():
        error = error.replace(path, shown(name))
    return error


_CONTEXT_LOCK = threading.Lock()


def _context(app: FastAPI) -> Any:
    """One pipeline Context per app, loaded on the first upload (the models take a while)."""
    with _CONTEXT_LOCK:
        if getattr(app.state, "ctx", None) is None:
            from storyweave.pipeline import Context

            app.state.ctx = Context()
        return app.state.ctx


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str | None:
    """What to tell the user when ``host`` makes the app reachable from other machines."""
    if is_loopback(host):
        return None
    return f"warning: serving on {host}: anyone who can reach this address can read the store and run analyses"


def serve(db: str | Path, host: str = "127.0.0.1", port: int = 8008, allowed_hosts: Iterable[str] = ()) -> None:
    """Run the app with uvicorn; warns on stderr when it listens beyond this machine."""
    import uvicorn

    warning = exposure_warning(host)
    if warning:
        print(warning, file=sys.stderr)
    uvicorn.run(
        create_app(db, host=host, allowed_hosts=allowed_hosts),
        host=host,
        port=port,
        log_level="warning",
        h11_max_incomplete_event_size=MAX_INCOMPLETE_EVENT_BYTES,
    )
