#!/usr/bin/env python3
"""Checks a rendered GenLab report the way a reader sees it, in headless Chromium at 1400 and
400 px: screenshots of both (report-1400.png, report-400.png in --png-dir); the check fails if
the page is blank, scrolls sideways, shows a figure missing or empty, an unreadable section or a
console error; if a figure's text extends past its SVG's edge, a legend's box covers a data mark
(`.data` markers and points along `.data` lines), or a numeric x axis carries category codes
("0 none, 1 dropout, …", "rank of the measure"); if the figures are not two per row at 1400 px and one per row at 400 px; if the
points carry no hover values; if a figure's CSV link points at no file; if the verdict filter
shows other rows than the chosen kind; or if the page loads a script or anything from outside.
(The probe that measures the layout runs in a temporary copy of the page.)

usage: scripts/check-report.py DIR [--png-dir FOLDER]
"""
import html as entities, json, re, struct, subprocess, sys, zlib, shutil, os, tempfile, urllib.parse

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

PROBE = r"""
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
  // Every figure as drawn: text inside its SVG, legends off the data, categories by name.
  r.figures = [];
  const inside = (p, b) => p.x > b.left + 1 && p.x < b.right - 1 && p.y > b.top + 1 && p.y < b.bottom - 1;
  document.querySelectorAll('figure svg').forEach((svg, i) => {
    const cap = (svg.closest('figure').querySelector('figcaption') || {}).textContent || '';
    const name = 'figure ' + (i + 1) + ' (' + cap.split(' — ')[0].slice(0, 70) + ')';
    const box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
    // Text past the SVG's edge (viewBox and drawn box coincide: the page scales the whole SVG).
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBoundingClientRect();
      if (b.width === 0) continue;
      if (b.left < box.left - 1 || b.right > box.right + 1 || b.top < box.top - 1 || b.bottom > box.bottom + 1) {
        r.figures.push(name + ': text "' + t.textContent.slice(0, 50) + '" extends past the figure\'s edge by ' +
          Math.round(Math.max(box.left - b.left, b.right - box.right, box.top - b.top, b.bottom - box.bottom) / scale) + ' px');
      }
    }
    // A legend's box over a data mark: markers by their centre, lines by points along them.
    const points = [];
    for (const m of svg.querySelectorAll('.data')) {
      if (m.closest('.legend')) continue;
      const ctm = m.getScreenCTM();
      if (m.tagName === 'circle' || m.tagName === 'polygon') {
        const b = m.getBoundingClientRect(); points.push({x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2}); continue;
      }
      if (!m.getTotalLength) continue;
      const n = m.getTotalLength();
      for (let s = 0; s <= n; s += 3) { const p = m.getPointAtLength(s); points.push(new DOMPoint(p.x, p.y).matrixTransform(ctm)); }
    }
    for (const legend of svg.querySelectorAll('.legend')) {
      const frame = legend.querySelector('rect') || legend;
      const b = frame.getBoundingClientRect();
      const hit = points.filter(p => inside(p, b)).length;
      if (hit) r.figures.push(name + ': the legend covers ' + hit + (hit === 1 ? ' data point' : ' data points'));
    }
    // Categories coded as numbers on a numeric axis ("0 none, 1 dropout, …", "rank of the measure").
    if (svg.getAttribute('data-x-axis') !== 'categorical') {
      for (const t of svg.querySelectorAll('text')) {
        const s = t.textContent;
        if (/\b0\s*[=:]?\s*[A-Za-z][^,]*,\s*1\s*[=:]?\s*[A-Za-z]/.test(s) || /\b(rank|index|code) of (the|each)\b/i.test(s)) {
          r.figures.push(name + ': the x axis is numeric but its values are category codes ("' + s.slice(0, 60) + '"): name the categories');
          break;
        }
      }
    }
  });
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
    return json.loads(entities.unescape(m.group(1))), out.stdout, out.stderr

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
        if width == 1400:
            problems += measured.get("figures", [])
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
    print(f"{page}: {figures} figures, their text inside them, legends off the data, categories named; at 1400 px two per row, at 400 px one per row and no sideways scrolling; hover values, CSV links and the verdict filter work; screenshots in {shots}")

main()
