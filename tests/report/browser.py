"""Headless Chromium for the report tests: what a person would see when opening a report.html.

A copy of the report gets a small script that, once the page has loaded, writes what the browser laid
out into the page (visible text, every section's and figure's size, every resource it loaded); Chromium's
--dump-dom returns it. The same page is also screenshotted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars")
PROBE = """<script>
window.addEventListener("load", () => {
  const size = (e) => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
  const found = {
    text: document.body.innerText,
    sections: Object.fromEntries([...document.querySelectorAll("section")].map((s) => [s.id, size(s)])),
    figures: [...document.querySelectorAll("figure svg, img")].map(size),
    images: [...document.images].map((i) => [i.complete, i.naturalWidth]),
    resources: performance.getEntriesByType("resource").map((r) => r.name),
    width: document.documentElement.scrollWidth,
  };
  const out = document.createElement("pre");
  out.id = "browser-probe";
  out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
});
</script>"""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(binary: str, *arguments: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        return subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *arguments], capture_output=True,
                              text=True, timeout=120)


def probe(report: Path, workdir: Path) -> dict:
    """What Chromium laid out for `report` (see PROBE)."""
    page = workdir / f"probed-{report.name}"
    page.write_text(report.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = _run(chromium(), "--virtual-time-budget=10000", "--window-size=1280,1000", "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    start = done.stdout.index('<pre id="browser-probe">') + len('<pre id="browser-probe">')
    text = done.stdout[start:done.stdout.index("</pre>", start)]
    import html

    return json.loads(html.unescape(text))


def screenshot(report: Path, target: Path, width: int = 1280, height: int = 4000) -> Path:
    done = _run(chromium(), f"--window-size={width},{height}", f"--screenshot={target}", report.as_uri())
    assert done.returncode == 0 and target.exists(), done.stderr[-2000:]
    return target
