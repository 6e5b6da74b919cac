#!/usr/bin/env python3
"""Draw Workspace Sync's icons as RGBA PNGs (stdlib only: zlib + struct).

    python3 scripts/gen-icons.py            # writes into icons/

Every icon is rendered from signed distance functions at its own pixel size,
so each size is crisp on its own (not a scaled copy of another).

- Tray icons, 22 and 44 px, one per state: a light cloud with a dark outline
  (readable on dark and on light panels) and a state badge in its corner:
    tray-idle       green check      (synced, nothing to do)
    tray-syncing    blue arrows      (a sync is running)
    tray-paused     grey bars        (syncing paused)
    tray-attention  amber "!"        (conflicts, needs login, blocked)
    tray-error      red cross        (failing, offline)
  Files: icons/tray-STATE.png (22 px) and icons/tray-STATE@2x.png (44 px).
- App icons: icons/32x32.png, 128x128.png, 128x128@2x.png (256 px) and
  icon.png (512 px): a white cloud with sync arrows on a blue rounded square.
"""
import math
import os
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "icons")


# ---------------------------------------------------------------- PNG -------
def write_png(path, size, pixels):
    """pixels: list of rows, each a list of (r, g, b, a) with 0..255 ints."""
    raw = bytearray()
    for row in pixels:
        raw.append(0)  # filter: none
        for r, g, b, a in row:
            raw += bytes((r, g, b, a))

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))  # 8-bit RGBA
    png += chunk(b"IDAT", zlib.compress(bytes(raw), 9))
    png += chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


# ------------------------------------------------------- distance fields ----
# Coordinates are in units of the icon (0..1, y down). Negative = inside.
def circle(cx, cy, r):
    return lambda x, y: math.hypot(x - cx, y - cy) - r


def rbox(x0, y0, x1, y1, r):
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = (x1 - x0) / 2 - r, (y1 - y0) / 2 - r

    def f(x, y):
        qx, qy = abs(x - cx) - hx, abs(y - cy) - hy
        out = math.hypot(max(qx, 0.0), max(qy, 0.0))
        return out + min(max(qx, qy), 0.0) - r

    return f


def capsule(ax, ay, bx, by, r):
    def f(x, y):
        px, py, vx, vy = x - ax, y - ay, bx - ax, by - ay
        h = max(0.0, min(1.0, (px * vx + py * vy) / (vx * vx + vy * vy)))
        return math.hypot(px - vx * h, py - vy * h) - r

    return f


def polygon(pts):
    def f(x, y):
        d = float("inf")
        inside = False
        n = len(pts)
        for i in range(n):
            ax, ay = pts[i]
            bx, by = pts[(i + 1) % n]
            px, py, vx, vy = x - ax, y - ay, bx - ax, by - ay
            h = max(0.0, min(1.0, (px * vx + py * vy) / (vx * vx + vy * vy)))
            d = min(d, math.hypot(px - vx * h, py - vy * h))
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                inside = not inside
        return -d if inside else d

    return f


def union(*fs):
    return lambda x, y: min(f(x, y) for f in fs)


def offset(f, by):
    return lambda x, y: f(x, y) - by


def minus(f, g):
    return lambda x, y: max(f(x, y), -g(x, y))


# ------------------------------------------------------------ rendering -----
def render(size, layers):
    """layers: list of (sdf, (r, g, b, a)) painted in order (over)."""
    px = 1.0 / size
    rows = []
    for j in range(size):
        row = []
        y = (j + 0.5) * px
        for i in range(size):
            x = (i + 0.5) * px
            r = g = b = a = 0.0  # premultiplied
            for sdf, (cr, cg, cb, ca) in layers:
                d = sdf(x, y)
                cov = max(0.0, min(1.0, 0.5 - d / px))
                if cov <= 0.0:
                    continue
                sa = cov * ca / 255.0
                r = cr / 255.0 * sa + r * (1 - sa)
                g = cg / 255.0 * sa + g * (1 - sa)
                b = cb / 255.0 * sa + b * (1 - sa)
                a = sa + a * (1 - sa)
            if a > 0:
                row.append((round(r / a * 255), round(g / a * 255), round(b / a * 255), round(a * 255)))
            else:
                row.append((0, 0, 0, 0))
        rows.append(row)
    return rows


def cloud(s=1.0, dx=0.0, dy=0.0):
    """A cloud in the unit square, scaled by s about (0.5, 0.5) and moved."""
    def t(x, y):
        return 0.5 + (x - 0.5) * s + dx, 0.5 + (y - 0.5) * s + dy

    (bx0, by0), (bx1, by1) = t(0.06, 0.44), t(0.94, 0.80)
    c1 = t(0.34, 0.46)
    c2 = t(0.58, 0.36)
    return union(
        rbox(bx0, by0, bx1, by1, 0.18 * s),
        circle(c1[0], c1[1], 0.19 * s),
        circle(c2[0], c2[1], 0.25 * s),
    )


def arrows(cx, cy, h, w, stroke):
    """An up arrow left of a down arrow, centred at (cx, cy)."""
    lx, rx = cx - w / 2, cx + w / 2
    top, bot = cy - h / 2, cy + h / 2
    head = w * 0.75
    up = union(
        capsule(lx, top + head * 0.6, lx, bot, stroke),
        polygon([(lx, top - stroke * 0.6), (lx - head * 0.8, top + head), (lx + head * 0.8, top + head)]),
    )
    down = union(
        capsule(rx, top, rx, bot - head * 0.6, stroke),
        polygon([(rx, bot + stroke * 0.6), (rx - head * 0.8, bot - head), (rx + head * 0.8, bot - head)]),
    )
    return union(up, down)


BADGES = {
    # state: (badge colour, glyph colour, glyph builder(cx, cy, r))
    "idle": ((0x1E, 0x9E, 0x55, 255), (255, 255, 255, 255),
             lambda cx, cy, r: union(capsule(cx - r * 0.48, cy + r * 0.02, cx - r * 0.12, cy + r * 0.38, r * 0.15),
                                     capsule(cx - r * 0.12, cy + r * 0.38, cx + r * 0.5, cy - r * 0.34, r * 0.15))),
    "syncing": ((0x25, 0x6E, 0xE8, 255), (255, 255, 255, 255),
                lambda cx, cy, r: arrows(cx, cy, r * 1.0, r * 0.62, r * 0.12)),
    "paused": ((0x5B, 0x63, 0x70, 255), (255, 255, 255, 255),
               lambda cx, cy, r: union(rbox(cx - r * 0.42, cy - r * 0.45, cx - r * 0.10, cy + r * 0.45, r * 0.06),
                                       rbox(cx + r * 0.10, cy - r * 0.45, cx + r * 0.42, cy + r * 0.45, r * 0.06))),
    "attention": ((0xF5, 0x9E, 0x0B, 255), (0x1F, 0x24, 0x2C, 255),
                  lambda cx, cy, r: union(capsule(cx, cy - r * 0.48, cx, cy + r * 0.10, r * 0.15),
                                          circle(cx, cy + r * 0.45, r * 0.16))),
    "error": ((0xD9, 0x2D, 0x2D, 255), (255, 255, 255, 255),
              lambda cx, cy, r: union(capsule(cx - r * 0.36, cy - r * 0.36, cx + r * 0.36, cy + r * 0.36, r * 0.15),
                                      capsule(cx - r * 0.36, cy + r * 0.36, cx + r * 0.36, cy - r * 0.36, r * 0.15))),
}

OUTLINE = (0x23, 0x2A, 0x33, 255)
CLOUD_FILL = (0xF4, 0xF6, 0xF9, 255)


def tray_icon(size, state):
    badge_col, glyph_col, glyph = BADGES[state]
    px = 1.0 / size
    line = max(1.0, size / 22.0) * px  # outline: 1 px at 22, 2 px at 44
    body = cloud(0.92, -0.04, -0.10)
    bcx, bcy, br = 0.73, 0.72, 0.27
    gap = line * 1.2
    badge = circle(bcx, bcy, br)
    cut = circle(bcx, bcy, br + gap)
    return render(size, [
        (minus(offset(body, line), cut), OUTLINE),
        (minus(body, cut), CLOUD_FILL),
        (badge, badge_col),
        (glyph(bcx, bcy, br), glyph_col),
    ])


def app_icon(size):
    bg = rbox(0.04, 0.04, 0.96, 0.96, 0.2)
    body = cloud(0.78, 0.0, 0.0)
    return render(size, [
        (bg, (0x25, 0x6E, 0xE8, 255)),
        (body, (255, 255, 255, 255)),
        (arrows(0.52, 0.56, 0.24, 0.14, 0.028), (0x25, 0x6E, 0xE8, 255)),
    ])


def main():
    os.makedirs(OUT, exist_ok=True)
    written = []
    for state in BADGES:
        for size, suffix in ((22, ""), (44, "@2x")):
            name = f"tray-{state}{suffix}.png"
            write_png(os.path.join(OUT, name), size, tray_icon(size, state))
            written.append(name)
    for size, name in ((32, "32x32.png"), (128, "128x128.png"), (256, "128x128@2x.png"), (512, "icon.png")):
        write_png(os.path.join(OUT, name), size, app_icon(size))
        written.append(name)
    print("gen-icons: wrote " + ", ".join(written) + f" into {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
