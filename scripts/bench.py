"""make bench: page weight, Lighthouse, throughput through the production stack, city scale.

Not a test: it measures and reports. It starts gunicorn (as the README's production section does)
on a loopback port with a fresh demo database, then
- loads each page once in a fresh Chromium profile (service worker blocked, so its background
  precache is not counted) and adds up the bytes transferred (compressed, as sent);
- runs Lighthouse (from the npm registry, against Debian's Chromium, mobile defaults);
- starts Debian's nginx with deploy/nginx.conf itself in front of gunicorn (scripts/nginx_local.py)
  and compares, with wrk, the same gzip bytes of one guide: nginx serving a static file; Bro's
  guide from nginx's cache; Bro's guide from gunicorn directly (its own cache warm); a cold miss
  (a second gunicorn whose page cache holds nothing, so every request renders);
- on a city-sized database, staff and citizen pages with as many connections as workers and 20;
and prints the tables, also written to tests/bench/RESULTS.md.
"""

from __future__ import annotations

import datetime
import gzip
import json
import os
import platform
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts import nginx_local  # noqa: E402  (run as a script: the repository is not on the path)

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


WORKERS = 2


def start_server(tmp: Path, port: int, seed: bool = True, **extra: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "SECRET_KEY": "bench-only-secret",
        "BRO_DATABASE": str(tmp / "bench.sqlite3"),
        "RATELIMIT_STORAGE_URI": "memory://",
        **extra,
    }
    python = ROOT / ".venv" / "bin" / "python"
    if seed:
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
            str(WORKERS),
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


GZIP = {"Accept-Encoding": "gzip"}  # as every browser asks; nginx's static file is gzip too


def wrk(
    url: str,
    tmp: Path,
    cookie: str | None = None,
    connections: int = CONCURRENCY,
    seconds: int = DURATION,
    headers: dict | None = None,
) -> dict:
    """requests/s, p50/p95/p99 in ms, non-2xx/3xx and socket errors, from wrk."""
    script = tmp / "report.lua"
    script.write_text(WRK_SCRIPT)
    expect_ok(url, cookie)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url]
    for name, value in (headers or {}).items():
        command[1:1] = ["-H", f"{name}: {value}"]
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


TLS = ssl.create_default_context()  # set to trust the bench's own certificate in main()


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """(status, headers, body) without following redirects; https trusts the bench certificate."""
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=TLS), _NoRedirect)
    try:
        response = opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    return response.status, dict(response.headers), response.read()


def expect_ok(url: str, cookie: str | None = None) -> None:
    """Refuse to measure a page that does not answer 200 (a redirect to sign-in is fast and wrong)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=TLS), _NoRedirect)
    try:
        status = opener.open(request, timeout=10).status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{url} answered {status}, not 200: not measuring it")


def compare_stack(tmp: Path, base: str, guide: str) -> tuple[list, dict]:
    """The four lines of the comparison: one guide's gzip bytes from nginx's disk, from nginx's
    cache of Bro, from gunicorn (Bro's cache warm), and rendered on every request."""
    global TLS
    nginx = nginx_local.start(tmp / "front", base.removeprefix("http://"))
    TLS = nginx_local.tls_context(nginx)
    cold_port = free_port()
    cold = start_server(tmp, cold_port, seed=False, BRO_PAGE_CACHE_BYTES="0")
    try:
        _status, _headers, packed = fetch(base + guide, GZIP)
        # The same bytes as a file for nginx's gzip_static (and unpacked beside it).
        folder = nginx["static"] / "bench"
        folder.mkdir()
        (folder / "guide.html").write_bytes(gzip.decompress(packed))
        (folder / "guide.html.gz").write_bytes(packed)
        static_url = f"{nginx['base']}/static/bench/guide.html"
        cached_url = nginx["base"] + guide
        fetch(cached_url, GZIP)  # nginx stores it
        bodies = {
            "static": fetch(static_url, GZIP),
            "cache": fetch(cached_url, GZIP),
            "gunicorn": fetch(base + guide, GZIP),
            "cold": fetch(f"http://127.0.0.1:{cold_port}{guide}", GZIP),
        }
        same = len({body for _s, _h, body in bodies.values()}) == 1
        facts = {
            "same_bytes": same,
            "bytes": len(packed),
            "cache_status": bodies["cache"][1].get("X-Cache", "?"),
        }
        lines = [
            ("nginx, static file (gzip_static)", static_url, wrk(static_url, tmp, headers=GZIP)),
            ("Bro's guide through nginx's cache", cached_url, wrk(cached_url, tmp, headers=GZIP)),
            ("Bro's guide from gunicorn directly (cache warm)", base + guide,
             wrk(base + guide, tmp, headers=GZIP)),
            ("Bro's guide, cold miss on every request (page cache off)",
             f"http://127.0.0.1:{cold_port}{guide}",
             wrk(f"http://127.0.0.1:{cold_port}{guide}", tmp, headers=GZIP)),
        ]  # fmt: skip
    finally:
        cold.send_signal(signal.SIGTERM)
        cold.wait(timeout=10)
        nginx_local.stop(nginx)
    return lines, facts


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
        "SELECT * FROM interpreter_requests r WHERE r.status IN ('requested', 'booked') AND r.ends_at >= ? "
        "AND r.citizen_id IN (SELECT citizen_id FROM assignments WHERE valid_to IS NULL AND caseworker_id IN (?)) "
        "ORDER BY r.starts_at LIMIT 300",
        ["t", "caseworker"],
    ),
    "interpreter queue, forced into start order (not used)": (
        "SELECT * FROM interpreter_requests r INDEXED BY interpreter_requests_open "
        "WHERE r.status IN ('requested', 'booked') AND r.ends_at >= ? "
        "AND r.citizen_id IN (SELECT citizen_id FROM assignments WHERE valid_to IS NULL AND caseworker_id IN (?)) "
        "ORDER BY r.starts_at LIMIT 300",
        ["t", "caseworker"],
    ),
    "free interpreters (register)": (
        "SELECT * FROM interpreters i WHERE i.active = 1 AND i.certification != 'none'",
        [],
    ),
    "bookings of an interpreter": (
        "SELECT 1 FROM interpreter_requests WHERE interpreter_id = ? AND status = 'booked' AND starts_at < ? AND ends_at > ?",
        ["interpreter", "t", "t"],
    ),
}


def query_plans(database: Path) -> list[tuple[str, str, float, int]]:
    """(name, plan, ms per run, rows) of each hot query on the city-sized database."""
    import sqlite3

    db = sqlite3.connect(database)
    now = datetime.datetime.now().isoformat(timespec="minutes")
    ids = {"citizen": 501, "caseworker": 1, "interpreter": 1, "t": now}
    plans = []
    for name, (sql, params) in HOT_QUERIES.items():
        values = [ids[p] for p in params]
        rows = db.execute("EXPLAIN QUERY PLAN " + sql, values).fetchall()
        started = time.perf_counter()
        for _ in range(20):
            found = db.execute(sql, values).fetchall()
        ms = (time.perf_counter() - started) / 20 * 1000
        plans.append((name, "; ".join(row[3] for row in rows), ms, len(found)))
    db.close()
    return plans


SCALE_PAGES = [
    ("Caseworker's caseload (120 citizens)", "/da/staff", "staff"),
    ("Caseworker's interpreter queue", "/da/staff/interpreters", "staff"),
    ("Citizen's my page, later in the visit", "/en/me", "visiting"),
    ("Citizen's my page, first view of a visit (writes)", "/en/me", "citizen"),
]
P95_TARGET_MS = 50
STACK_TARGETS = {1: 0.50, 2: 0.05}  # line → share of nginx static (through the cache, gunicorn)


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bro-bench-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(tmp, port)
    rows = []
    load = []
    stack: list = []
    facts: dict = {}
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
        stack, facts = compare_stack(tmp, base, guide)
        for label, path, cookie, headers in [
            ("Home page", "/da/", None, GZIP),
            ("Citizen's my page, first view of a visit (writes)", "/en/me", citizen_cookie, None),
            ("Citizen's my page, later in the visit", "/en/me", visiting_cookie, None),
            ("Caseworker's caseload", "/da/staff", staff_cookie, None),
        ]:
            load.append((label, path, wrk(base + path, tmp, cookie, headers=headers)))
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
    server = start_server(big, port, seed=False, BRO_DATABASE=str(big / "city.sqlite3"))
    scale = []
    try:
        cookies = {
            "citizen": session_cookie(base, seeded["citizen"], seeded["password"]),
            "visiting": session_cookie(base, seeded["citizen"], seeded["password"], "/en/me"),
            "staff": session_cookie(base, seeded["caseworker"], seeded["password"]),
        }
        for label, path, who in SCALE_PAGES:
            for connections in (WORKERS, 20):
                scale.append(
                    (label, path, connections, wrk(base + path, tmp, cookies[who], connections, 10))
                )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    text = report(rows, stack, facts, load, scale, plans, seeded, seed_seconds)
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


def report(rows, stack, facts, load, scale, plans, seeded, seed_seconds) -> str:
    """The Markdown of tests/bench/RESULTS.md."""
    header = "| page | URL | first load (bytes, compressed) | requests | performance | accessibility | best practices |"
    lines = [header, "|---|---|---|---|---|---|---|"]
    for label, path, weight, requests, scores in rows:
        lines.append(
            f"| {label} | `{path}` | {weight:,} | {requests} | {scores.get('performance', '–')} | "
            f"{scores.get('accessibility', '–')} | {scores.get('best-practices', '–')} |"
        )
    nginx_rps = stack[0][2]["rps"] if stack else 0
    stack_lines = [
        "| # | what serves the guide | requests/s | share of nginx static | p50 ms | p95 ms | p99 ms | non-2xx/3xx | socket errors |",
        "|---|---|---|---|---|---|---|---|---|",
        *[
            f"| {n} | {label} | {r['rps']:,.0f} | {r['rps'] / nginx_rps:.1%} | {r['p50']:.1f} | "
            f"{r['p95']:.1f} | {r['p99']:.1f} | {r['bad']} | {r['socket_errors']} |"
            for n, (label, _url, r) in enumerate(stack)
        ],
    ]
    verdicts = [
        f"- line {n} ({stack[n][0]}): {stack[n][2]['rps'] / nginx_rps:.1%} of nginx static, "
        f"target ≥ {target:.0%}: **{'met' if stack[n][2]['rps'] / nginx_rps >= target else 'not met'}**"
        for n, target in STACK_TARGETS.items()
    ]
    load_lines = [
        "| page | URL | requests/s | p50 ms | p95 ms | p99 ms | non-2xx/3xx | socket errors |",
        "|---|---|---|---|---|---|---|---|",
        *[
            f"| {label} | `{path}` | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['bad']} | {r['socket_errors']} |"
            for label, path, r in load
        ],
    ]
    scale_lines = [
        "| page | URL | connections | requests/s | p50 ms | p95 ms | p99 ms | non-2xx/3xx | p95 target |",
        "|---|---|---|---|---|---|---|---|---|",
        *[
            f"| {label} | `{path}` | {c} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['bad']} | "
            + (
                f"≤ {P95_TARGET_MS} ms: **{'met' if r['p95'] <= P95_TARGET_MS else 'not met'}**"
                if c == WORKERS
                else "(reported)"
            )
            + " |"
            for label, path, c, r in scale
        ],
    ]
    plan_lines = [
        "| query | plan | ms per run | rows |",
        "|---|---|---|---|",
        *[f"| {name} | `{plan}` | {ms:.2f} | {found} |" for name, plan, ms, found in plans],
    ]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    chromium = subprocess.run([CHROME, "--version"], capture_output=True, text=True).stdout.strip()
    nginx_version = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    load_avg = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return "\n".join(
        [
            "# Bro benchmark results",
            "",
            f"Measured {datetime.date.today().isoformat()} by `make bench` on {machine}; {chromium}; "
            f"{nginx_version}; Bro under gunicorn ({WORKERS} workers) on loopback with the demo data. "
            f"Load average at the end of the run: {load_avg}.",
            "",
            "## Page weight and Lighthouse (mobile defaults)",
            "",
            "First load with an empty cache and the service worker blocked: HTML, CSS, JavaScript, icons "
            f"and manifest as transferred. Budget: {WEIGHT_BUDGET:,} bytes per page.",
            "",
            *lines,
            "",
            f"## One guide through the real stack (wrk, {CONCURRENCY} connections, {DURATION} s each)",
            "",
            "The Arabic guide `/ar/guides/decisions-and-appeals`, the same "
            f"{facts.get('bytes', 0):,} gzip bytes on every line"
            + (
                " (checked byte for byte)"
                if facts.get("same_bytes")
                else " (**the bytes differed**)"
            )
            + ". Lines 0 and 1: nginx with `deploy/nginx.conf` itself (TLS with a self-signed "
            "certificate, HTTP/1.1 keep-alive); line 1 answered from nginx's cache (X-Cache: "
            f"{facts.get('cache_status', '?')} before the run). Lines 2 and 3: gunicorn directly, plain "
            "HTTP on loopback; line 3 with the page cache off (`BRO_PAGE_CACHE_BYTES=0`), so each "
            "request renders the page. wrk, nginx and gunicorn share the same 2 cores.",
            "",
            *stack_lines,
            "",
            *verdicts,
            "",
            f"## Other pages (wrk, {CONCURRENCY} connections, {DURATION} s each, gunicorn {WORKERS} workers)",
            "",
            *load_lines,
            "",
            f"## A city-sized database ({seeded['citizens']:,} citizens, {seeded['caseworkers']} caseworkers, "
            f"{seeded['meetings']:,} meetings, {seeded['requests']:,} interpreter requests, {seeded['decisions']:,} "
            f"decisions; seeded in {seed_seconds:.0f} s by `flask --app app seed-scale`)",
            "",
            f"wrk, 10 s each, gunicorn {WORKERS} workers; {WORKERS} connections (as many as workers) and 20:",
            "",
            *scale_lines,
            "",
            "`EXPLAIN QUERY PLAN` of the hot queries on that database (time: SQLite alone, mean of 20 runs):",
            "",
            *plan_lines,
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
