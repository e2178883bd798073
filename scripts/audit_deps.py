"""Check every locked dependency against the known vulnerabilities that PyPI publishes.

This is the check pip-audit makes with its PyPI service, written so that it also works where
only the package registry is reachable:

1. For each ``name==version`` in ``requirements.lock`` (and the venv's pip), ask PyPI for that
   release (``/pypi/<name>/<version>/json``). Its ``vulnerabilities`` list is PyPI's copy of
   the advisories (PyPA advisory database / OSV) that affect exactly that release.
2. Where the per-release address is not answered, ask for the project (``/pypi/<name>/json``):
   when the locked version is the newest release, that answer's ``vulnerabilities`` are the
   ones of our release too, so the check is just as exact.
3. Otherwise the release cannot be checked from here: it is listed as *unchecked* with the
   newer version that would make it checkable (pip-audit also skips what it cannot look up,
   and fails on that only with ``--strict``; so does this script).

Exit status: 0 when no locked release has a known vulnerability, 1 when one has (each printed
with its id, aliases, the versions that fix it and a link), 2 when PyPI could not be asked.

    python scripts/audit_deps.py [--lock requirements.lock] [--strict] [--index URL]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INDEX = "https://pypi.org/pypi"
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


@dataclass
class Result:
    name: str
    version: str
    status: str = "unchecked"  # ok | vulnerable | unchecked
    how: str = ""
    latest: str = ""
    vulnerabilities: list[dict] = field(default_factory=list)


def read_lock(path: Path) -> list[tuple[str, str]]:
    """The ``name==version`` pins of a lock file, comments and blank lines skipped."""
    pins = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins.append((match.group(1), match.group(2)))
    return pins


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def fetch(url: str, timeout: float) -> dict | None:
    """PyPI's JSON for ``url``; None when PyPI answers 404 (or its address is refused)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code in (403, 404, 405):
            return None
        raise


def check(name: str, version: str, index: str, timeout: float) -> Result:
    result = Result(name, version)
    release = fetch(f"{index}/{normalise(name)}/{version}/json", timeout)
    if release is not None:
        result.how = "release"
        result.latest = ""
        vulnerabilities = release.get("vulnerabilities") or []
    else:
        project = fetch(f"{index}/{normalise(name)}/json", timeout)
        if project is None:
            result.how = "not on the index"
            return result
        result.latest = project["info"]["version"]
        if result.latest != version:
            needs = project["info"].get("requires_python")
            result.how = f"newest is {result.latest}" + (f" (Python {needs})" if needs else "")
            return result
        result.how = "newest release"
        vulnerabilities = project.get("vulnerabilities") or []
    result.vulnerabilities = [v for v in vulnerabilities if not v.get("withdrawn")]
    result.status = "vulnerable" if result.vulnerabilities else "ok"
    return result


def audit(pins: list[tuple[str, str]], index: str, timeout: float = 30) -> list[Result]:
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda pin: check(*pin, index, timeout), pins))


def report(results: list[Result], out=None) -> None:
    out = out or sys.stdout
    width = max((len(r.name) for r in results), default=4)
    for r in sorted(results, key=lambda r: normalise(r.name)):
        print(f"  {r.name:<{width}}  {r.version:<12} {r.status:<10} {r.how}", file=out)
    for r in results:
        for v in r.vulnerabilities:
            aliases = ", ".join(v.get("aliases") or [])
            fixed = ", ".join(v.get("fixed_in") or []) or "no fixed release yet"
            print(
                f"\n{r.name} {r.version}: {v.get('id')}"
                + (f" ({aliases})" if aliases else "")
                + f"\n  fixed in: {fixed}\n  {v.get('link', '')}\n  {(v.get('summary') or v.get('details') or '').strip()[:300]}",
                file=out,
            )
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "vulnerable", "unchecked")}
    print(
        f"\n{len(results)} locked releases: {counts['ok']} without known vulnerabilities, "
        f"{counts['vulnerable']} with, {counts['unchecked']} not checkable from here.",
        file=out,
    )
    if counts["unchecked"]:
        print(
            "Unchecked releases: PyPI's per-release answer is not reachable and a newer release "
            "exists; run pip-audit where osv.dev or that address is reachable.",
            file=out,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--index", default=INDEX, help="PyPI's JSON API (default %(default)s)")
    parser.add_argument("--strict", action="store_true", help="fail on unchecked releases too")
    parser.add_argument("--no-pip", action="store_true", help="do not add this venv's pip")
    args = parser.parse_args(argv)

    pins = read_lock(args.lock)
    if not args.no_pip and not any(normalise(n) == "pip" for n, _ in pins):
        try:
            pins.append(("pip", metadata.version("pip")))
        except metadata.PackageNotFoundError:
            pass
    print(f"Known vulnerabilities in {args.lock.name} ({len(pins)} releases), from {args.index}:")
    try:
        results = audit(pins, args.index.rstrip("/"))
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        print(f"Could not ask the index: {error}", file=sys.stderr)
        return 2
    report(results)
    if any(r.status == "vulnerable" for r in results):
        return 1
    if args.strict and any(r.status == "unchecked" for r in results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
