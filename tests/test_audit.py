"""The dependency audit (scripts/audit_deps.py) and the lock file it reads.

The audit is run against a small PyPI-shaped JSON server on loopback, so each verdict can be
shown to fail: a vulnerable release fails the run, a withdrawn advisory does not, a release that
cannot be looked up is reported as unchecked (and fails only with --strict).
"""

import importlib.util
import io
import json
import re
import sys
import threading
import tomllib
from contextlib import redirect_stdout
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
audit_deps = importlib.util.module_from_spec(spec)
sys.modules["audit_deps"] = audit_deps  # dataclasses look their module up
spec.loader.exec_module(audit_deps)

ADVISORY = {
    "id": "PYSEC-2099-1",
    "aliases": ["CVE-2099-0001"],
    "fixed_in": ["2.0.1"],
    "link": "https://osv.dev/vulnerability/PYSEC-2099-1",
    "summary": "Crafted input runs code",
    "withdrawn": None,
}
# path → JSON answer; anything else is a 404, as PyPI answers for an unknown release.
ANSWERS = {
    # The per-release address answers: the exact check.
    "/pypi/vulnerable/2.0.0/json": {"info": {"version": "2.0.0"}, "vulnerabilities": [ADVISORY]},
    "/pypi/fixed/2.0.1/json": {"info": {"version": "2.0.1"}, "vulnerabilities": []},
    "/pypi/withdrawn/1.0/json": {
        "info": {"version": "1.0"},
        "vulnerabilities": [dict(ADVISORY, withdrawn="2099-02-01T00:00:00Z")],
    },
    # Only the project address answers: exact when the lock has the newest release.
    "/pypi/newest/json": {"info": {"version": "3.0"}, "vulnerabilities": []},
    "/pypi/newest-vulnerable/json": {"info": {"version": "1.5"}, "vulnerabilities": [ADVISORY]},
    "/pypi/older/json": {
        "info": {"version": "9.0", "requires_python": ">=3.12"},
        "vulnerabilities": [],
    },
}


class FakeIndex(BaseHTTPRequestHandler):
    def do_GET(self):
        answer = ANSWERS.get(self.path)
        body = json.dumps(answer).encode() if answer is not None else b"Not Found"
        self.send_response(200 if answer is not None else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def index():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeIndex)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/pypi"
    server.shutdown()


def run(index, tmp_path, lines, *flags):
    lock = tmp_path / "requirements.lock"
    lock.write_text("# a comment\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    with redirect_stdout(out):
        code = audit_deps.main(["--lock", str(lock), "--index", index, "--no-pip", *flags])
    return code, out.getvalue()


def test_a_release_with_a_known_vulnerability_fails_the_audit_and_says_what_to_do(index, tmp_path):
    code, out = run(index, tmp_path, ["vulnerable==2.0.0", "fixed==2.0.1"])
    assert code == 1
    assert "PYSEC-2099-1 (CVE-2099-0001)" in out
    assert "fixed in: 2.0.1" in out
    assert "https://osv.dev/vulnerability/PYSEC-2099-1" in out
    assert "2 locked releases: 1 without known vulnerabilities, 1 with" in out


def test_the_fixed_release_passes(index, tmp_path):
    code, out = run(index, tmp_path, ["fixed==2.0.1"])
    assert code == 0
    assert re.search(r"fixed\s+2\.0\.1\s+ok\s+release", out)


def test_a_withdrawn_advisory_does_not_fail_the_audit(index, tmp_path):
    code, out = run(index, tmp_path, ["withdrawn==1.0"])
    assert code == 0
    assert "PYSEC-2099-1" not in out


def test_the_project_answer_is_used_when_the_lock_has_the_newest_release(index, tmp_path):
    code, out = run(index, tmp_path, ["newest==3.0"])
    assert code == 0
    assert re.search(r"newest\s+3\.0\s+ok\s+newest release", out)
    code, out = run(index, tmp_path, ["Newest_Vulnerable==1.5"])
    assert code == 1
    assert "Newest_Vulnerable 1.5: PYSEC-2099-1" in out


def test_a_release_that_cannot_be_looked_up_is_reported_and_fails_only_when_strict(index, tmp_path):
    code, out = run(index, tmp_path, ["older==1.0", "nowhere==1.0"])
    assert code == 0
    assert re.search(r"older\s+1\.0\s+unchecked\s+newest is 9\.0 \(Python >=3\.12\)", out)
    assert re.search(r"nowhere\s+1\.0\s+unchecked\s+not on the index", out)
    assert "2 not checkable from here" in out
    code, _ = run(index, tmp_path, ["older==1.0"], "--strict")
    assert code == 1


def test_an_index_that_cannot_be_reached_is_an_error_not_a_pass(tmp_path):
    # Port 9 on loopback: nothing listens, the connection is refused.
    code, _ = run("http://127.0.0.1:9/pypi", tmp_path, ["fixed==2.0.1"])
    assert code == 2


# The lock file is what the Makefile installs with and what the audit checks.

LOCK = dict(audit_deps.read_lock(ROOT / "requirements.lock"))
LOCKED = {audit_deps.normalise(name): version for name, version in LOCK.items()}


def test_every_pin_in_pyproject_is_in_the_lock_with_the_same_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = project["dependencies"] + [
        p for extra in project["optional-dependencies"].values() for p in extra
    ]
    for pin in pins:
        name, version = pin.split("==")
        assert LOCKED.get(audit_deps.normalise(name)) == version, f"{pin}: run make lock"


def test_the_installed_packages_are_the_locked_ones():
    installed = {
        audit_deps.normalise(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if audit_deps.normalise(dist.metadata["Name"]) not in {"bro", "pip", "setuptools", "wheel"}
    }
    assert installed == LOCKED, "the venv and requirements.lock differ: run make lock"
