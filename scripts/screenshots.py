"""Take a screenshot of every page of the web app into docs/screenshots/.

Runs the server in-process (uvicorn in a thread, on a free 127.0.0.1 port, on a
temporary copy of the flagship model and a temporary SQLite store) and drives Debian's
chromium through Playwright. Usage: ``python scripts/screenshots.py [OUT_DIR]``.
"""

from __future__ import annotations

import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from kizashi.analysis.corpus_texts import bundled_model
from kizashi.web.app import create_app
from kizashi.web.settings import WebSettings

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="kizashi-shots-"))
    model = work / "us-japan-alliance.yaml"
    shutil.copy(bundled_model(), model)
    app = create_app(WebSettings(model_path=model, db_url=str(work / "kizashi.db"), semantic=False))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    america_first = "fix=us_orientation=america_first"
    pages = [
        ("overview", "/", None),
        ("matrix", "/matrix", None),
        ("judgement", "/judgement?from=us_orientation.america_first&to=hns_pressure.high", None),
        ("whatif", f"/whatif?{america_first}&tolerance=1", None),
        ("compare", None, "compare"),
        ("network", None, "network"),
        ("ensemble", f"/ensemble?{america_first}", None),
        ("search", "/search?q=host+nation+support", None),
    ]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
            for name, path, special in pages:
                if special is not None:
                    page.goto(f"{base}/whatif?{america_first}&tolerance=1")
                    codes = page.eval_on_selector_all("input.pick", "els => els.map(e => e.value)")
                    path = f"/compare?a={codes[0]}&b={codes[1]}&{america_first}" if special == "compare" else f"/network?s={codes[0]}&{america_first}"
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(out / f"{name}.png"), full_page=name not in ("matrix",))
                print(out / f"{name}.png")
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
