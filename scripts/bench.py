"""make bench: page weight and Lighthouse scores of Bro under its production server.

Not a test: it measures and reports. It starts gunicorn (as the README's production section does)
on a loopback port with a fresh demo database, then
- loads each page once in a fresh Chromium profile (service worker blocked, so its background
  precache is not counted) and adds up the bytes transferred (compressed, as sent);
- runs Lighthouse (from the npm registry, against Debian's Chromium, mobile defaults);
and prints a table, also written to tests/bench/RESULTS.md.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / ".bench" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
PAGES = [
    ("Home (Danish)", "/da/"),
    ("Guide (Arabic)", "/ar/guides/decisions-and-appeals"),
    ("Sign-in (Danish)", "/da/login"),
]
WEIGHT_BUDGET = 40 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(tmp: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "SECRET_KEY": "bench-only-secret",
        "BRO_DATABASE": str(tmp / "bench.sqlite3"),
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    python = ROOT / ".venv" / "bin" / "python"
    subprocess.run(
        [python, "-m", "flask", "--app", "app", "seed-demo"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [
            ROOT / ".venv" / "bin" / "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "app:create_app()",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def page_weight(base: str, path: str) -> tuple[int, int]:
    """(bytes transferred, requests) for a first visit with an empty cache."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROME,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        context = browser.new_context(
            service_workers="block", viewport={"width": 412, "height": 823}
        )
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        sizes: dict[str, int] = {}
        cdp.on(
            "Network.loadingFinished",
            lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
        )
        page.goto(base + path, wait_until="networkidle")
        page.wait_for_timeout(300)
        browser.close()
    return sum(sizes.values()), len(sizes)


def lighthouse(base: str, path: str, out: Path) -> dict:
    if not LIGHTHOUSE.exists():
        return {}
    report = out / (path.strip("/").replace("/", "_") or "root")
    subprocess.run(
        [
            str(LIGHTHOUSE),
            base + path,
            "--quiet",
            "--output=json",
            f"--output-path={report}.json",
            "--only-categories=performance,accessibility,best-practices",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking",
        ],
        env={**os.environ, "CHROME_PATH": CHROME},
        check=False,
        capture_output=True,
        timeout=300,
    )
    try:
        data = json.loads(Path(f"{report}.json").read_text())
    except (OSError, ValueError):
        return {}
    return {
        key: round(value["score"] * 100)
        for key, value in data["categories"].items()
        if value["score"] is not None
    }


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bro-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(tmp, port)
    rows = []
    try:
        for label, path in PAGES:
            weight, requests = page_weight(base, path)
            scores = lighthouse(base, path, tmp)
            rows.append((label, path, weight, requests, scores))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    header = "| page | URL | first load (bytes, compressed) | requests | performance | accessibility | best practices |"
    lines = [header, "|---|---|---|---|---|---|---|"]
    for label, path, weight, requests, scores in rows:
        lines.append(
            f"| {label} | `{path}` | {weight:,} | {requests} | {scores.get('performance', '–')} | "
            f"{scores.get('accessibility', '–')} | {scores.get('best-practices', '–')} |"
        )
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    chromium = subprocess.run([CHROME, "--version"], capture_output=True, text=True).stdout.strip()
    text = "\n".join(
        [
            "# Bro benchmark results",
            "",
            f"Measured {datetime.date.today().isoformat()} by `make bench` on {machine}; {chromium}; "
            "Bro under gunicorn (2 workers) on loopback with the demo data.",
            "",
            "## Page weight and Lighthouse (mobile defaults)",
            "",
            "First load with an empty cache and the service worker blocked: HTML, CSS, JavaScript, icons "
            f"and manifest as transferred. Budget: {WEIGHT_BUDGET:,} bytes per page.",
            "",
            *lines,
            "",
        ]
    )
    out = ROOT / "tests" / "bench" / "RESULTS.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text)
    over = [row for row in rows if row[2] > WEIGHT_BUDGET]
    if over:
        print(
            f"Over the {WEIGHT_BUDGET:,}-byte budget: {', '.join(r[0] for r in over)}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
