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
import urllib.error
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


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BRO %d %d %d %.3f %.3f %.3f %.3f\\n", summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.duration / 1000000))
end
"""
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "50"))
DURATION = int(os.environ.get("BENCH_SECONDS", "15"))


def wrk(
    url: str,
    tmp: Path,
    cookie: str | None = None,
    connections: int = CONCURRENCY,
    seconds: int = DURATION,
) -> dict:
    """requests/s, p50/p95/p99 in ms, non-2xx/3xx and socket errors, from wrk."""
    script = tmp / "report.lua"
    script.write_text(WRK_SCRIPT)
    expect_ok(url, cookie)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    line = next(line for line in output.splitlines() if line.startswith("BRO "))
    requests, bad_status, socket_errors, p50, p95, p99, duration = line.split()[1:]
    return {
        "rps": int(requests) / float(duration),
        "p50": float(p50), "p95": float(p95), "p99": float(p99),
        "bad": int(bad_status), "socket_errors": int(socket_errors),
    }  # fmt: skip


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def session_cookie(base: str, login: str, password: str, then: str | None = None) -> str:
    """Sign in like a browser and return the session cookie header value.

    With ``then``, open that page once more as the browser would, and return the cookie it
    leaves (my page starts a visit in the session; wrk itself never stores a cookie).
    """
    import http.cookiejar
    import re
    import urllib.error
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    page = opener.open(base + "/en/login").read().decode()
    for cookie in jar:  # production cookies are Secure; the benchmark speaks plain HTTP on loopback
        cookie.secure = False
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"login": login, "password": password, "csrf_token": token}
    ).encode()
    try:
        opener.open(base + "/en/login", data=data)
    except urllib.error.HTTPError as answer:  # 303 to the person's start page: signed in
        if answer.code != 303:
            raise
    if then:
        for cookie in jar:
            cookie.secure = False
        opener.open(base + then).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar if c.name == "bro_session")


def expect_ok(url: str, cookie: str | None = None) -> None:
    """Refuse to measure a page that does not answer 200 (a redirect to sign-in is fast and wrong)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        status = opener.open(request, timeout=10).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{url} answered {status}, not 200: not measuring it")


def nginx_static(tmp: Path, base: str, path: str) -> tuple[subprocess.Popen, str]:
    """nginx serving the same page's bytes as a static file, gzip on, on loopback."""
    root = tmp / "nginx-root"
    root.mkdir(exist_ok=True)
    (root / "page.html").write_bytes(urllib.request.urlopen(base + path).read())
    port = free_port()
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
user root;
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  gzip on; gzip_types text/html;
  types {{ text/html html; }}
  server {{ listen 127.0.0.1:{port}; root {root}; }}
}}
""")
    process = subprocess.Popen(
        ["nginx", "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/page.html", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return process, f"http://127.0.0.1:{port}/page.html"


HOT_QUERIES = {
    "my meetings": ("SELECT * FROM meetings WHERE citizen_id = ? ORDER BY starts_at", ["citizen"]),
    "my decisions": (
        "SELECT * FROM decisions WHERE citizen_id = ? ORDER BY appeal_deadline",
        ["citizen"],
    ),
    "my caseworker": (
        "SELECT * FROM assignments WHERE citizen_id = ? AND valid_to IS NULL",
        ["citizen"],
    ),
    "caseload": (
        "SELECT citizen_id FROM assignments WHERE caseworker_id = ? AND valid_to IS NULL",
        ["caseworker"],
    ),
    "interpreter queue": (
        "SELECT * FROM interpreter_requests WHERE status IN ('requested', 'booked') AND citizen_id IN "
        "(SELECT citizen_id FROM assignments WHERE valid_to IS NULL AND caseworker_id = ?) ORDER BY starts_at",
        ["caseworker"],
    ),
    "bookings of an interpreter": (
        "SELECT 1 FROM interpreter_requests WHERE interpreter_id = ? AND status = 'booked' AND starts_at < ? AND ends_at > ?",
        ["interpreter", "t", "t"],
    ),
}


def query_plans(database: Path) -> list[tuple[str, str]]:
    import sqlite3

    db = sqlite3.connect(database)
    ids = {"citizen": 501, "caseworker": 1, "interpreter": 1, "t": "2026-12-01T10:00:00"}
    plans = []
    for name, (sql, params) in HOT_QUERIES.items():
        rows = db.execute("EXPLAIN QUERY PLAN " + sql, [ids[p] for p in params]).fetchall()
        plans.append((name, "; ".join(row[3] for row in rows)))
    db.close()
    return plans


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bro-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(tmp, port)
    rows = []
    load = []
    plans = []
    scale = []
    try:
        # By host name, as people reach Bro: the sign-in page then offers passkeys (browsers
        # refuse them on an IP address, so Bro leaves the button and its script out there).
        named = base.replace("127.0.0.1", "localhost")
        for label, path in PAGES:
            weight, requests = page_weight(named, path)
            scores = lighthouse(named, path, tmp)
            rows.append((label, path, weight, requests, scores))
        logins = json.loads((tmp / "demo-logins.json").read_text())
        citizen = next(e for e in logins if e["role"] == "citizen")
        caseworker = next(e for e in logins if e["login"] == "caseworker1")
        citizen_cookie = session_cookie(base, citizen["login"], citizen["password"])
        visiting_cookie = session_cookie(base, citizen["login"], citizen["password"], "/en/me")
        staff_cookie = session_cookie(base, caseworker["login"], caseworker["password"])
        guide = "/ar/guides/decisions-and-appeals"
        for label, path, cookie in [
            ("Guide page (Arabic)", guide, None),
            ("Home page", "/da/", None),
            ("Citizen's my page, first view of a visit (writes)", "/en/me", citizen_cookie),
            ("Citizen's my page, later in the visit", "/en/me", visiting_cookie),
            ("Caseworker's caseload", "/da/staff", staff_cookie),
        ]:
            load.append((label, path, wrk(base + path, tmp, cookie)))
        nginx, static_url = nginx_static(tmp, base, guide)
        try:
            load.append(("Same guide bytes, nginx static", "(file)", wrk(static_url, tmp)))
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
    # A city-sized database: 60,000 citizens, 500 caseworkers, 300,000 meetings, …
    big = tmp / "scale"
    big.mkdir()
    env = {
        **os.environ,
        "SECRET_KEY": "bench-only-secret",
        "BRO_DATABASE": str(big / "city.sqlite3"),
    }
    started = time.time()
    seeded = json.loads(subprocess.run(
        [ROOT / ".venv" / "bin" / "python", "-m", "flask", "--app", "app", "seed-scale"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1])  # fmt: skip
    seed_seconds = time.time() - started
    plans = query_plans(big / "city.sqlite3")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [ROOT / ".venv" / "bin" / "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "app:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        citizen_cookie = session_cookie(base, seeded["citizen"], seeded["password"])
        visiting_cookie = session_cookie(base, seeded["citizen"], seeded["password"], "/en/me")
        staff_cookie = session_cookie(base, seeded["caseworker"], seeded["password"])
        scale.append(
            (
                "Citizen's my page, first view of a visit (writes)",
                wrk(f"{base}/en/me", tmp, citizen_cookie, 20, 10),
            )
        )
        scale.append(
            (
                "Citizen's my page, later in the visit",
                wrk(f"{base}/en/me", tmp, visiting_cookie, 20, 10),
            )
        )
        scale.append(
            (
                "Caseworker's caseload (120 citizens)",
                wrk(f"{base}/da/staff", tmp, staff_cookie, 20, 10),
            )
        )
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
    nginx_rps = next((r["rps"] for label, _p, r in load if "nginx" in label), 0)
    bro_rps = next((r["rps"] for label, _p, r in load if label.startswith("Guide")), 0)
    load_lines = [
        "| page | URL | requests/s | p50 ms | p95 ms | p99 ms | non-2xx/3xx | socket errors |",
        "|---|---|---|---|---|---|---|---|",
        *[
            f"| {label} | `{path}` | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['bad']} | {r['socket_errors']} |"
            for label, path, r in load
        ],
    ]
    scale_lines = [
        "| page | requests/s | p50 ms | p95 ms | p99 ms | non-2xx/3xx |",
        "|---|---|---|---|---|---|",
        *[
            f"| {label} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['bad']} |"
            for label, r in scale
        ],
    ]
    plan_lines = [
        "| query | plan |",
        "|---|---|",
        *[f"| {name} | `{plan}` |" for name, plan in plans],
    ]
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
            f"## Throughput under load (wrk, {CONCURRENCY} connections, {DURATION} s each, gunicorn 2 workers)",
            "",
            *load_lines,
            "",
            f"The guide page served by Bro reaches **{bro_rps / nginx_rps:.1%}** of the requests/s nginx "
            "achieves serving the same bytes as a static file (gzip on) on the same machine."
            if nginx_rps
            else "",
            "",
            f"## A city-sized database ({seeded['citizens']:,} citizens, {seeded['caseworkers']} caseworkers, "
            f"{seeded['meetings']:,} meetings, {seeded['requests']:,} interpreter requests, {seeded['decisions']:,} "
            f"decisions; seeded in {seed_seconds:.0f} s by `flask --app app seed-scale`)",
            "",
            "wrk, 20 connections, 10 s each, gunicorn 2 workers:",
            "",
            *scale_lines,
            "",
            "`EXPLAIN QUERY PLAN` of the hot queries on that database:",
            "",
            *plan_lines,
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
