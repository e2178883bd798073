"""make soak: no lost writes under load, and none when the server is killed mid-burst.

Bro runs under gunicorn on loopback with a fresh demo database. 50 clients, each signed in as a
demo citizen, mix reads (my page, a guide) with writes (interpreter requests with a unique
idempotency key, checklist ticks) for a fixed time. A write is *acknowledged* when the server
answered 303. Afterwards every acknowledged write must be in the database and there must be no 5xx.

Phase 2 repeats the burst and kills the whole server with SIGKILL in the middle, restarts it, and
checks again, plus PRAGMA integrity_check. Only loopback addresses are used; loops are bounded.
"""

from __future__ import annotations

import datetime
import http.client
import http.cookiejar
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "50"))
SECONDS = int(os.environ.get("SOAK_SECONDS", "60"))
# A visit a few months ahead: Bro books interpreters up to 2 years ahead, not further.
VISIT_DAY = (datetime.date.today() + datetime.timedelta(days=90)).isoformat()
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Server:
    def __init__(self, tmp: Path, port: int):
        self.port = port
        self.env = {
            **os.environ,
            "SECRET_KEY": "soak-only-secret",
            "BRO_DATABASE": str(tmp / "soak.sqlite3"),
            "BRO_RATELIMIT": "0",  # 50 clients share one address; sign-in limits would refuse them
        }
        self.process: subprocess.Popen | None = None

    def seed(self) -> list[dict]:
        subprocess.run(
            [ROOT / ".venv" / "bin" / "python", "-m", "flask", "--app", "app", "seed-demo"],
            env=self.env, cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        return json.loads((Path(self.env["BRO_DATABASE"]).parent / "demo-logins.json").read_text())

    def start(self) -> None:
        self.process = subprocess.Popen(
            [ROOT / ".venv" / "bin" / "gunicorn", "--workers", "3", "--threads", "4",
             "--bind", f"127.0.0.1:{self.port}", "app:create_app()"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def kill(self) -> None:
        """SIGKILL the master and its workers at once: no clean shutdown, no flush."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked_requests: set[str] = set()
        self.acked_ticks: set[tuple[int, str]] = set()
        self.reads = 0
        self.errors_5xx = 0
        self.refused = 0

    def add(self, **kwargs):
        with self.lock:
            for key, value in kwargs.items():
                if key == "request":
                    self.acked_requests.add(value)
                elif key == "tick":
                    self.acked_ticks.add(value)
                else:
                    setattr(self, key, getattr(self, key) + value)


def unsecure(jar: http.cookiejar.CookieJar) -> None:
    """Production cookies are Secure; this load runs over plain HTTP on loopback."""
    for cookie in jar:
        cookie.secure = False


def client_loop(
    base: str, entry: dict, meetings: list[int], deadline: float, tally: Tally, n: int, phase: int
) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    rng = random.Random(n * 10 + phase)

    def call(path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with opener.open(base + path, data=body, timeout=10) as response:
                unsecure(jar)  # every response may renew the (Secure) session cookie
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            unsecure(jar)
            if error.code >= 500:
                tally.add(errors_5xx=1)
            return error.code, ""
        except (OSError, http.client.HTTPException):
            tally.add(
                refused=1
            )  # the server is down or died mid-answer (phase 2): not acknowledged
            time.sleep(0.3)
            return 0, ""

    token = None
    counter = 0
    while time.time() < deadline:
        if token is None:
            status, page = call("/en/login")
            match = TOKEN.search(page)
            if not match:
                continue
            status, _ = call(
                "/en/login",
                {
                    "login": entry["login"],
                    "password": entry["password"],
                    "csrf_token": match[1] or match[2],
                },
            )
            status, page = call("/en/me/interpreter/new")
            match = TOKEN.search(page)
            token = (match[1] or match[2]) if match and status == 200 else None
            continue
        roll = rng.random()
        if roll < 0.5:
            status, _ = call(
                rng.choice(["/en/me", "/ar/guides/decisions-and-appeals", "/en/me/meetings"])
            )
            if status == 200:
                tally.add(reads=1)
            elif status in (302, 0):
                token = None
        elif roll < 0.8:
            counter += 1
            key = f"soak-{phase}-{n:03d}-{counter:06d}"  # unique per write, across both phases
            data = {"what": "gp", "day": VISIT_DAY, "time": "10:00", "place": "Soak clinic",
                    "language": "ar", "mode": "phone", "gender": "", "note": "", "key": key, "csrf_token": token}  # fmt: skip
            status, _ = call("/en/me/interpreter/new", data)
            if status == 303:
                tally.add(request=key)
            elif status in (302, 400, 0):
                token = None
        else:
            meeting = rng.choice(meetings)
            item = str(rng.randint(1, 4))
            status, _ = call(
                f"/en/me/meetings/{meeting}/checklist",
                {"item": item, "ticked": "y", "csrf_token": token},
            )
            if status == 303:
                tally.add(tick=(meeting, item))
            elif status in (302, 400, 0):
                token = None


def burst(server: Server, logins: list[dict], seconds: int, kill_at: float | None) -> Tally:
    base = f"http://127.0.0.1:{server.port}"
    db = sqlite3.connect(server.env["BRO_DATABASE"])
    citizens = [e for e in logins if e["role"] == "citizen"]
    meetings_of = {
        e["login"]: [r[0] for r in db.execute(
            "SELECT m.id FROM meetings m JOIN users u ON u.id = m.citizen_id WHERE u.login = ?", [e["login"]])]
        for e in citizens
    }  # fmt: skip
    db.close()
    tally = Tally()
    deadline = time.time() + seconds
    threads = []
    for n in range(CLIENTS):
        entry = citizens[n % len(citizens)]
        thread = threading.Thread(
            target=client_loop,
            args=(
                base,
                entry,
                meetings_of[entry["login"]],
                deadline,
                tally,
                n,
                2 if kill_at else 1,
            ),
        )
        thread.start()
        threads.append(thread)
    if kill_at is not None:
        time.sleep(seconds * kill_at)
        server.kill()
        time.sleep(1)
        server.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return tally


def verify(server: Server, tally: Tally) -> dict:
    db = sqlite3.connect(server.env["BRO_DATABASE"])
    stored_requests = {
        r[0]
        for r in db.execute(
            "SELECT idempotency_key FROM interpreter_requests WHERE idempotency_key LIKE 'soak-%'"
        )
    }
    stored_ticks = {
        (r[0], r[1]) for r in db.execute("SELECT meeting_id, item FROM checklist_ticks")
    }
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    return {
        "acknowledged_requests": len(tally.acked_requests),
        "stored_requests": len(stored_requests),
        "lost_requests": len(tally.acked_requests - stored_requests),
        "acknowledged_ticks": len(tally.acked_ticks),
        "lost_ticks": len(tally.acked_ticks - stored_ticks),
        "reads": tally.reads,
        "5xx": tally.errors_5xx,
        "refused_while_down": tally.refused,
        "integrity": integrity,
    }


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bro-soak-"))
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = Server(tmp, port)
    logins = server.seed()
    server.start()
    try:
        first = verify(server, burst(server, logins, SECONDS, None))
        print("Phase 1 (steady load):", json.dumps(first))
        second_tally = burst(server, logins, SECONDS, kill_at=0.5)
        second = verify(server, second_tally)
        print("Phase 2 (SIGKILL mid-burst, restart):", json.dumps(second))
    finally:
        server.stop()
    ok = (
        first["acknowledged_requests"] > 0  # a run that wrote nothing proves nothing
        and second["acknowledged_requests"] > 0
        and first["reads"] > 0
        and first["lost_requests"] == 0 and first["lost_ticks"] == 0 and first["5xx"] == 0
        and first["acknowledged_requests"] == first["stored_requests"]
        and second["lost_requests"] == 0 and second["lost_ticks"] == 0 and second["5xx"] == 0
        and second["integrity"] == "ok"
    )  # fmt: skip
    out = ROOT / "tests" / "bench" / "SOAK.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        "# Soak results (make soak)\n\n"
        f"{CLIENTS} clients, {SECONDS} s per phase, gunicorn 3 workers × 4 threads, loopback, demo data, "
        f"measured {time.strftime('%Y-%m-%d')}.\n\n"
        f"| phase | acknowledged requests | stored | lost | acknowledged ticks | lost | reads | 5xx | integrity |\n"
        f"|---|---|---|---|---|---|---|---|---|\n"
        f"| steady | {first['acknowledged_requests']} | {first['stored_requests']} | {first['lost_requests']} | "
        f"{first['acknowledged_ticks']} | {first['lost_ticks']} | {first['reads']} | {first['5xx']} | {first['integrity']} |\n"
        f"| SIGKILL + restart | {second['acknowledged_requests']} | {second['stored_requests']} | "
        f"{second['lost_requests']} | {second['acknowledged_ticks']} | {second['lost_ticks']} | {second['reads']} | "
        f"{second['5xx']} | {second['integrity']} |\n"
    )
    print("PASS: no acknowledged write lost, no 5xx" if ok else "FAIL", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
