"""Browser fixtures: the real server as a subprocess, a second origin hosting the widget, Chromium.

The app runs with uvicorn on 127.0.0.1 (real corpus, fake embedder, throwaway index and feedback
database); a plain `http.server` on another port serves a portal-like host page carrying the
one-line widget embed. Chromium is Debian's /usr/bin/chromium driven by Playwright, with a fresh
profile per test; no browser is ever downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from servers import free_port, stop_process, wait_until_responds

from corpus_docs import ROOT  # the repository

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "tests" / "artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
PYTHON = ROOT / ".venv" / "bin" / "python"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium, or scripts/setup.sh --test)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def wait_for_server(url: str, process: subprocess.Popen, timeout: float = 240.0) -> None:
    """Wait for a server we started; fail with its output if it dies or never answers."""
    try:
        wait_until_responds(url, timeout, process)
    except (RuntimeError, TimeoutError) as exc:
        output = ""
        if process.poll() is not None and process.stdout:
            output = process.stdout.read().decode("utf-8", "replace")[-4000:]
        pytest.fail(f"{exc}\n{output}")


@pytest.fixture(scope="session")
def server_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser-server")


@pytest.fixture(scope="session")
def feedback_db(server_dir) -> Path:
    return server_dir / "feedback.sqlite3"


@pytest.fixture(scope="session")
def app_url(server_dir, feedback_db) -> str:
    """The assistant served by uvicorn on a free loopback port, built on the fast settings."""
    port = free_port()
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(server_dir / "index"), "ASSISTANT_EMBEDDING_MODEL": "test-hashing",
           "ASSISTANT_FEEDBACK_DB": str(feedback_db), "ASSISTANT_CORPUS_DIR": str(ROOT / "corpus"),
           "ASSISTANT_ANSWERER": "extractive", "ASSISTANT_ALLOWED_ORIGINS": '["*"]', "PYTHONUNBUFFERED": "1"}
    python = str(PYTHON if PYTHON.exists() else sys.executable)
    process = subprocess.Popen(
        [python, "-m", "uvicorn", "tests.browser.server_app:create", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url + "/healthz", process)
        yield url
    finally:
        stop_process(process)


HOST_PAGE = """<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Cổng thông tin điện tử tỉnh Đồng Nai — trang thử</title>
  <style>
    /* The portal's own, deliberately greedy styles: none of them may reach the widget. */
    * {{ font-family: Georgia, "DejaVu Serif", serif !important; box-sizing: content-box; }}
    body {{ margin: 0; background: #f7f3ea; color: #3b2f1e; }}
    header {{ background: #a3181e; color: #fff; padding: 18px 32px; }}
    header h1 {{ margin: 0; font-size: 26px; letter-spacing: .5px; }}
    nav {{ background: #7d1015; padding: 10px 32px; }}
    nav a {{ color: #ffe9a8; margin-right: 22px; text-decoration: none; font-weight: bold; }}
    main {{ max-width: 980px; margin: 28px auto; padding: 0 24px; line-height: 1.7; }}
    .news {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 18px; }}
    .news div {{ background: #fff; border-top: 4px solid #a3181e; padding: 14px; }}
    button {{ background: #a3181e !important; color: #ff0 !important; border-radius: 0 !important; font-size: 22px !important; }}
    iframe {{ display: none !important; }}
    div {{ padding: 14px; }}
  </style>
</head>
<body>
  <header><h1>CỔNG THÔNG TIN ĐIỆN TỬ TỈNH ĐỒNG NAI</h1></header>
  <nav><a href="#">Trang chủ</a><a href="#">Chính quyền</a><a href="#">Chuyển đổi số</a><a href="#">Thủ tục hành chính</a></nav>
  <main>
    <h2>Chuyển đổi số tỉnh Đồng Nai</h2>
    <p>Trang này là một cổng thông tin khác (khác nguồn gốc) nhúng trợ lý ảo bằng một dòng mã. Bấm nút ở góc phải dưới để hỏi.</p>
    <section class="news">
      <div><h3>Kinh tế số</h3><p>Phấn đấu tỷ trọng kinh tế số trong GRDP theo Kế hoạch 198/KH-UBND.</p></div>
      <div><h3>Xã hội số</h3><p>Phổ cập kỹ năng số cho người dân, phát triển nền tảng số.</p></div>
      <div><h3>Chính quyền số</h3><p>Dịch vụ công trực tuyến toàn trình, dữ liệu mở.</p></div>
    </section>
  </main>
  <script src="{app_url}/widget.js" data-title="Trợ lý ảo" defer></script>
</body>
</html>
"""


@pytest.fixture(scope="session")
def host_url(tmp_path_factory, app_url) -> str:
    """A second origin (another port) serving a portal page that embeds the widget with one line."""
    site = tmp_path_factory.mktemp("host-site")
    (site / "portal.html").write_text(HOST_PAGE.format(app_url=app_url), encoding="utf-8")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url + "/portal.html", process, timeout=30)
        yield url
    finally:
        stop_process(process)


@pytest.fixture(scope="session")
def playwright_driver():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def launch(playwright_driver, tmp_path):
    """Open Chromium with a fresh profile: `context = launch(viewport=...)`; closed after the test."""
    contexts = []

    def _launch(**options):
        profile = tmp_path / f"profile-{len(contexts)}"
        context = playwright_driver.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, locale="vi-VN",
            **{"viewport": {"width": 1280, "height": 860}, **options})
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context

    yield _launch
    for context in contexts:
        context.close()


@pytest.fixture
def page(launch):
    context = launch()
    page = context.pages[0] if context.pages else context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    assert errors == [], f"JavaScript errors on the page: {errors}"


def _shoot(page, name: str, *, publish: str | None = None, full_page: bool = False) -> Path:
    """Save a screenshot to tests/artifacts/; with UPDATE_SCREENSHOTS=1 also to docs/screenshots/<publish>
    (the README's pictures), so ordinary test runs leave tracked files alone."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if publish and os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / publish)
    return path


@pytest.fixture
def shoot():
    """`shoot(page, "01-chat", publish="chat.png")`."""
    return _shoot
