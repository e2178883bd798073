"""Start nginx with the repository's own deploy/nginx.conf on loopback, for make bench and tests.

The production file is used as it is; only its placeholders are swapped: the ports, a
self-signed certificate made here, Bro's address, and temporary folders for the static files
and the cache. TLS stays on (rather than a plain-HTTP listener added for testing) so what is
measured and tested is the file a municipality deploys, handshake and all; wrk and the tests
keep their connections open, so the handshake is paid once per connection.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx.conf"
HOST = "bro.example.dk"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, valid for a day (cryptography is installed
    with Bro's test extras)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def site_config(
    *,
    upstream: str,
    https_port: int,
    http_port: int,
    static: Path,
    cache: Path,
    cert: Path,
    key: Path,
) -> str:
    """deploy/nginx.conf with its placeholders swapped; fails if the file lost one."""
    text = SITE.read_text()
    swaps = [
        ("listen [::]:80;\n", ""),
        ("listen [::]:443 ssl http2;\n", ""),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("/etc/ssl/bro/fullchain.pem", str(cert)),
        ("/etc/ssl/bro/privkey.pem", str(key)),
        ("/srv/bro/static/", f"{static}/"),
        ("server 127.0.0.1:8000;", f"server {upstream};"),
        ("/var/cache/nginx/bro", str(cache)),
    ]
    for old, new in swaps:
        if old not in text:
            raise ValueError(f"deploy/nginx.conf no longer has {old.strip()!r}")
        text = text.replace(old, new)
    return text


def start(folder: Path, upstream: str, static_source: Path | None = None) -> dict:
    """nginx in front of Bro at `upstream` (host:port), with static/ copied and precompressed.

    Returns {"process", "base" (https URL), "cert", "static"}; stop it with stop().
    """
    folder.mkdir(parents=True, exist_ok=True)
    static = folder / "static"
    shutil.copytree(static_source or ROOT / "static", static, dirs_exist_ok=True)
    python = ROOT / ".venv" / "bin" / "python"
    subprocess.run(
        [python, "-m", "flask", "--app", "app", "offline", "compress-static", str(static)],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "unused", "BRO_DATABASE": str(folder / "unused.db")},
        check=True,
        capture_output=True,
    )
    cert, key = self_signed(folder)
    https_port, http_port = free_port(), free_port()
    (folder / "cache").mkdir(exist_ok=True)
    (folder / "bro-site.conf").write_text(
        site_config(
            upstream=upstream,
            https_port=https_port,
            http_port=http_port,
            static=static,
            cache=folder / "cache",
            cert=cert,
            key=key,
        )
    )
    # What Debian's /etc/nginx/nginx.conf gives a site file, with everything in `folder`.
    main = folder / "nginx.conf"
    main.write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 2;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  access_log off;
  client_body_temp_path {folder}/client_body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  include {folder}/bro-site.conf;
}}
""")
    check = subprocess.run(["nginx", "-t", "-c", str(main)], capture_output=True, text=True)
    if check.returncode:
        raise RuntimeError(f"nginx refused deploy/nginx.conf:\n{check.stderr}")
    process = subprocess.Popen(
        ["nginx", "-c", str(main), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", https_port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    return {
        "process": process,
        "base": f"https://127.0.0.1:{https_port}",
        "http": f"http://127.0.0.1:{http_port}",
        "cert": cert,
        "static": static,
    }


def stop(nginx: dict) -> None:
    nginx["process"].terminate()
    nginx["process"].wait(timeout=10)


def tls_context(nginx: dict) -> ssl.SSLContext:
    """A client context that trusts the self-signed certificate (and nothing else)."""
    return ssl.create_default_context(cafile=str(nginx["cert"]))
