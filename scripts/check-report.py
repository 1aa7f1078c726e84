#!/usr/bin/env python3
"""Checks a rendered GenLab report the way a reader sees it: headless Chromium renders
DIR/index.html to a PNG; the check fails if the page is blank, a figure is missing or empty,
a section is unreadable, or the browser console shows an error.

usage: scripts/check-report.py DIR [--png OUT.png]
"""
import re, struct, subprocess, sys, zlib, shutil, os, tempfile

def decode_png(path):
    """Minimal PNG reader (8-bit RGB/RGBA, non-interlaced): returns (width, height, rows of bytes, channels)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and colour in (2, 6) and interlace == 0, "unsupported PNG layout"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line)); prev = line
    return width, height, rows, channels

def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__); sys.exit(2)
    folder = args[0]
    png = args[args.index("--png") + 1] if "--png" in args else os.path.join(tempfile.mkdtemp(), "report.png")
    page = os.path.abspath(os.path.join(folder, "index.html"))
    if not os.path.exists(page):
        print(f"{page}: expected a rendered report, found no such file (run genlab report {folder})"); sys.exit(1)
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        print("chromium: expected a headless browser, found none (apt-get install chromium)"); sys.exit(1)
    html = open(page, encoding="utf-8").read()
    figures = html.count("<figure>")
    base = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run(base + ["--dump-dom", "file://" + page], capture_output=True, text=True, timeout=120)
    shot = subprocess.run(base + ["--window-size=1100,2600", f"--screenshot={png}", "file://" + page], capture_output=True, text=True, timeout=120)
    problems = []
    console = [l for l in (dom.stderr + shot.stderr).splitlines() if "CONSOLE" in l or "Uncaught" in l]
    problems += [f"console: {l}" for l in console]
    rendered = dom.stdout
    # Every figure in the DOM holds an SVG with drawn marks.
    rendered_figures = re.findall(r"<figure>(.*?)</figure>", rendered, re.S)
    if len(rendered_figures) != figures:
        problems.append(f"expected {figures} figures in the rendered page, found {len(rendered_figures)}")
    for i, f in enumerate(rendered_figures):
        if "<svg" not in f or not re.search(r"<(polyline|circle|rect|polygon)", f):
            problems.append(f"figure {i + 1} has no drawing")
    for m in re.findall(r'<p class="error">(.*?)</p>', rendered, re.S):
        problems.append("report shows an error: " + re.sub("<[^>]+>", "", m)[:200])
    if not os.path.exists(png):
        problems.append("chromium wrote no screenshot")
    else:
        w, h, rows, ch = decode_png(png)
        ink = sum(1 for row in rows[::4] for x in range(0, w * ch, ch * 4) if min(row[x:x + 3]) < 200)
        total = len(rows[::4]) * len(range(0, w * ch, ch * 4))
        if ink < 0.01 * total:
            problems.append(f"the page looks blank ({ink} of {total} sampled pixels are not white)")
    if problems:
        for p in problems: print(f"{page}: {p}")
        sys.exit(1)
    print(f"{page}: {figures} figures rendered, no console errors, screenshot {png}")

main()
