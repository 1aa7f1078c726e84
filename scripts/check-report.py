#!/usr/bin/env python3
"""Checks a rendered GenLab report the way a reader sees it, in headless Chromium at 1400 and
400 px: screenshots of both (report-1400.png, report-400.png in --png-dir); the check fails if
the page is blank, scrolls sideways, shows a figure missing or empty, an unreadable section or a
console error; if the figures are not two per row at 1400 px and one per row at 400 px; if the
points carry no hover values; if a figure's CSV link points at no file; if the verdict filter
shows other rows than the chosen kind; or if the page loads a script or anything from outside.
(The probe that measures the layout runs in a temporary copy of the page.)

usage: scripts/check-report.py DIR [--png-dir FOLDER]
"""
import json, re, struct, subprocess, sys, zlib, shutil, os, tempfile, urllib.parse

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

PROBE = """
<script>
window.addEventListener('load', () => {
  const b = document.body, r = {};
  r.viewport = window.innerWidth;
  r.scrollWidth = document.documentElement.scrollWidth;
  // The first section with two figures: side by side or stacked?
  const grid = [...document.querySelectorAll('.figures')].find(g => g.querySelectorAll('figure').length >= 2);
  if (grid) { const f = grid.querySelectorAll('figure'); r.sideBySide = f[0].getBoundingClientRect().top === f[1].getBoundingClientRect().top ? 1 : 0; }
  r.hoverTitles = document.querySelectorAll('svg circle title').length;
  // The verdict filter: choosing "not supported" shows exactly the rows of that kind.
  const rows = [...document.querySelectorAll('table.summary tbody tr')];
  const no = document.getElementById('vf-no');
  if (no) {
    no.checked = true;
    const shown = rows.filter(t => getComputedStyle(t).display !== 'none');
    r.filterOk = shown.length === rows.filter(t => t.classList.contains('v-no')).length && shown.every(t => t.classList.contains('v-no')) ? 1 : 0;
    document.getElementById('vf-all').checked = true;
    r.filterAll = rows.filter(t => getComputedStyle(t).display !== 'none').length === rows.length ? 1 : 0;
  }
  b.setAttribute('data-probe', JSON.stringify(r));
});
</script>
"""

def probe(browser, page, width):
    """Renders a copy of the page with the probe at this width; returns what the probe measured."""
    copy = page[:-5] + f".probe-{os.getpid()}-{width}.html"
    html = open(page, encoding="utf-8").read()
    open(copy, "w", encoding="utf-8").write(html.replace("</body>", PROBE + "</body>"))
    try:
        out = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--window-size={width},1200",
                              "--virtual-time-budget=10000", "--dump-dom", "file://" + copy], capture_output=True, text=True, timeout=180)
    finally:
        os.remove(copy)
    m = re.search(r"data-probe=\"([^\"]*)\"", out.stdout)
    if not m:
        return None, out.stdout, out.stderr
    return json.loads(m.group(1).replace("&quot;", '"')), out.stdout, out.stderr

def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__); sys.exit(2)
    folder = args[0]
    shots = args[args.index("--png-dir") + 1] if "--png-dir" in args else tempfile.mkdtemp()
    page = os.path.abspath(os.path.join(folder, "index.html"))
    if not os.path.exists(page):
        print(f"{page}: expected a rendered report, found no such file (run genlab report {folder})"); sys.exit(1)
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not browser:
        print("chromium: expected a headless browser, found none (apt-get install chromium)"); sys.exit(1)
    html = open(page, encoding="utf-8").read()
    problems = []
    if re.search(r"<script|<link[^>]+href=\"https?:|src=\"https?:", html):
        problems.append("the report loads a script or an external resource")
    figures = html.count("<figure>")
    # Every figure's CSV link points at a file that is there.
    for href in re.findall(r'<figcaption>.*?<a href="([^"]+)"', html):
        if not os.path.exists(os.path.join(folder, urllib.parse.unquote(href))):
            problems.append(f"figure data link {href} points at no file")
    os.makedirs(shots, exist_ok=True)
    for width, expect_side_by_side in [(1400, 1), (400, 0)]:
        png = os.path.join(shots, f"report-{width}.png")
        base = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]
        shot = subprocess.run(base + [f"--window-size={width},{5200 if width > 1000 else 2400}", f"--screenshot={png}", "file://" + page], capture_output=True, text=True, timeout=180)
        measured, rendered, err = probe(browser, page, width)
        console = [l for l in (err + shot.stderr).splitlines() if ("CONSOLE" in l or "Uncaught" in l) and "probe" not in l]
        problems += [f"{width} px: console: {l}" for l in console]
        if measured is None:
            problems.append(f"{width} px: the probe did not run"); continue
        if measured["scrollWidth"] > measured["viewport"] + 1:
            problems.append(f"{width} px: the page is {measured['scrollWidth']} px wide, wider than the screen: it scrolls sideways")
        if "sideBySide" in measured and measured["sideBySide"] != expect_side_by_side:
            problems.append(f"{width} px: figures should be {'two per row' if expect_side_by_side else 'one per row'}")
        if figures and measured["hoverTitles"] == 0:
            problems.append(f"{width} px: no hover values on the figures' points")
        if measured.get("filterOk") == 0 or measured.get("filterAll") == 0:
            problems.append(f"{width} px: the verdict filter does not show exactly the chosen kind")
        rendered_figures = re.findall(r"<figure>(.*?)</figure>", rendered, re.S)
        if len(rendered_figures) != figures:
            problems.append(f"{width} px: expected {figures} figures in the rendered page, found {len(rendered_figures)}")
        for i, f in enumerate(rendered_figures):
            if "<svg" not in f or not re.search(r"<(polyline|circle|rect|polygon)", f):
                problems.append(f"figure {i + 1} has no drawing")
        for m in re.findall(r'<p class="error">(.*?)</p>', rendered, re.S):
            problems.append("report shows an error: " + re.sub("<[^>]+>", "", m)[:200])
        if not os.path.exists(png):
            problems.append(f"{width} px: chromium wrote no screenshot")
        else:
            w, h, rows, ch = decode_png(png)
            ink = sum(1 for row in rows[::4] for x in range(0, w * ch, ch * 4) if min(row[x:x + 3]) < 200)
            total = len(rows[::4]) * len(range(0, w * ch, ch * 4))
            if ink < 0.01 * total:
                problems.append(f"{width} px: the page looks blank ({ink} of {total} sampled pixels are not white)")
    if problems:
        for p in problems: print(f"{page}: {p}")
        sys.exit(1)
    print(f"{page}: {figures} figures; at 1400 px two per row, at 400 px one per row and no sideways scrolling; hover values, CSV links and the verdict filter work; screenshots in {shots}")

main()
