"""Draw Bro's app icons (PNG) with the standard library only: a white bridge on teal.

Run once when the design changes: python scripts/make_icons.py; the PNGs are committed.
"""

import math
import struct
import zlib
from pathlib import Path

TEAL = (11, 90, 85)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def png(width: int, height: int, pixel) -> bytes:
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row.extend(pixel(x, y))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def bridge(size: int, safe: float):
    """The arch and deck of a bridge inside the central `safe` share of the square."""
    inset = size * (1 - safe) / 2
    span = size - 2 * inset
    thick = span * 0.09
    deck_y = inset + span * 0.68
    radius = span * 0.42
    cx, cy = size / 2, deck_y + span * 0.08

    def pixel(x, y):
        px, py = x + 0.5, y + 0.5
        on_deck = (
            abs(py - deck_y) <= thick / 2
            and inset + span * 0.08 <= px <= size - inset - span * 0.08
        )
        distance = math.hypot(px - cx, py - cy)
        on_arch = abs(distance - radius) <= thick / 2 and py <= deck_y
        return WHITE if on_deck or on_arch else TEAL

    return pixel


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"bro-{size}.png").write_bytes(png(size, size, bridge(size, 0.8)))
    # Maskable: the drawing stays inside the 80 % safe zone a launcher may crop to a circle.
    (OUT / "bro-maskable-512.png").write_bytes(png(512, 512, bridge(512, 0.6)))
    (OUT / "apple-touch-icon.png").write_bytes(png(180, 180, bridge(180, 0.8)))


if __name__ == "__main__":
    main()
