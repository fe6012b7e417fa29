"""Another site, in a real Chromium, can neither change the store through the app (cross-site
upload) nor read it by rebinding its own name to 127.0.0.1; the app's own upload form still works."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from browser_support import CHROMIUM, CHROMIUM_ARGS, LiveServer, free_port

from report_samples import sample_report, store_report
from storyweave.store import Store

STORY = "The pier in Dunmere reopened on Friday after the storm, the harbour master said."


@contextmanager
def other_site(page_html: str) -> Iterator[str]:
    """A page served from ``localhost`` on another port: another site than ``127.0.0.1``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page_html.encode()
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def run_count(db: Path) -> int:
    with Store.open(db) as store:
        return len(store.runs())


def test_browser_a_cross_site_upload_is_refused(page: Any, tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    store_report(db, sample_report())
    with LiveServer(db) as app:
        script = f"""<!doctype html><title>waiting</title><script>
        const form = new FormData();
        form.append('files', new Blob([{STORY!r}], {{type: 'text/plain'}}), 'story.txt');
        fetch('{app.url}/upload', {{method: 'POST', body: form, mode: 'no-cors', credentials: 'include'}})
          .then(() => {{ document.title = 'sent'; }}, (e) => {{ document.title = 'failed ' + e; }});
        </script>"""
        with other_site(script) as attacker:
            page.goto(attacker)
            page.wait_for_function("document.title !== 'waiting'", timeout=60_000)
            assert page.title() == "sent"  # the browser did send it: the app must refuse it
        assert run_count(db) == 1  # nothing was analysed or stored

        form = f"""<!doctype html><form id=f method=post enctype=multipart/form-data action="{app.url}/upload">
        <input name=files value=x></form><script>document.getElementById('f').submit()</script>"""
        with other_site(form) as attacker:
            page.goto(attacker)
            page.wait_for_url(f"{app.url}/upload", timeout=60_000)
            assert "cross-site request refused" in page.content()
        assert run_count(db) == 1


def test_browser_the_apps_own_upload_form_passes_the_check(page: Any, tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    store_report(db, sample_report())
    blank = tmp_path / "blank.txt"
    blank.write_text("   ", encoding="utf-8")  # refused by ingest, after the cross-site check
    with LiveServer(db) as app:
        page.goto(f"{app.url}/upload")
        page.set_input_files("input[type=file]", str(blank))
        with page.expect_navigation():
            page.click("form[action='/upload'] button[type=submit]")
        assert "blank.txt" in page.content()
        assert "cross-site request refused" not in page.content()


def test_browser_a_rebound_name_cannot_read_the_store(browser: Any, tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    store_report(db, sample_report())
    with LiveServer(db) as app:
        # The attacker's name now resolves to this machine, as after a DNS rebinding: the browser
        # treats http://attacker.example:PORT as the attacker's own origin and lets its page read it.
        rebound = browser.browser_type.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP attacker.example 127.0.0.1"],
        )
        try:
            tab = rebound.new_page()
            response = tab.goto(f"http://attacker.example:{app.port}/api/runs")
            assert response is not None
            assert response.status == 400
            assert "Hilde" not in tab.content()
            own = tab.goto(f"{app.url}/api/runs")  # the app's own address still answers
            assert own is not None
            assert own.status == 200
        finally:
            rebound.close()
