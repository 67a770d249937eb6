"""Who gets into /admin: off without a code, code or password checked in constant time, signed session
cookie with strict flags, CSRF token on every POST, cross-site posts refused, brute force throttled."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from admin_helpers import TOKEN, admin_client, admin_settings, csrf_of, logged_in, login
from assistant.api.admin_auth import MAX_FAILURES, hash_password, verify_password
from assistant.api.app import create_app


@pytest.fixture
def settings(tmp_path, corpus_copy, fast_settings, fast_assistant):
    return admin_settings(tmp_path, corpus_copy, fast_settings.index_dir)


@pytest.fixture
def client(settings, fake_embedder):
    with admin_client(settings, fake_embedder) as c:
        yield c


def audit(settings) -> list[dict]:
    path = settings.admin_dir / "audit.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


@pytest.mark.parametrize("path", ["/admin", "/admin/login", "/admin/feedback", "/admin/index/status"])
def test_the_admin_area_does_not_exist_without_a_code(fast_settings, fast_assistant, path):
    client = TestClient(create_app(fast_settings, assistant=fast_assistant))
    r = client.get(path)
    assert r.status_code == 404
    assert r.json() == {"error": {"code": "not_found", "message": "Không tìm thấy địa chỉ này."}}


def test_pages_need_a_session_and_send_you_to_the_login_form(client):
    r = client.get("/admin", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/admin/login")
    r = client.get("/admin/index/status", headers={"Accept": "application/json"})
    assert r.status_code == 401
    assert r.json() == {"error": {"code": "admin_login_required", "message": "Cần đăng nhập khu vực quản trị."}}


def test_a_post_without_a_session_is_401_and_its_upload_is_never_read(client, settings):
    r = client.post("/admin/plans/upload", files={"file": ("x.txt", b"KE HOACH", "text/plain")})
    assert r.status_code == 401 and r.json()["error"]["code"] == "admin_login_required"
    assert not (settings.admin_dir / "staging").exists()


def test_the_login_page_has_the_strict_csp_and_no_inline_script(client):
    r = client.get("/admin/login")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in r.text and "<script src=" in r.text
    assert r.headers["cache-control"] == "no-store"


def test_a_wrong_code_is_401_without_a_session_and_is_audited(client, settings):
    r = login(client, "sai-ma")
    assert r.status_code == 401
    assert "Mã truy cập hoặc mật khẩu không đúng." in r.text
    assert "admin_session" not in r.headers.get("set-cookie", "")
    assert client.get("/admin", follow_redirects=False).status_code == 303
    [entry] = audit(settings)
    assert (entry["action"], entry["target"], entry["ok"], entry["client"]) == ("login", "admin", False, "testclient")
    assert entry["detail"] == {"reason": "wrong_credentials"}


def test_the_right_code_sets_an_httponly_samesite_strict_session_cookie(client, settings):
    r = login(client)
    assert (r.status_code, r.headers["location"]) == (303, "/admin")
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("admin_session="))
    flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert "httponly" in flags and flags["samesite"].lower() == "samesite=strict" and flags["path"] == "Path=/admin"
    assert flags["max-age"] == f"Max-Age={settings.admin_session_minutes * 60}"
    assert "secure" not in flags  # plain http here; over https the cookie is Secure
    assert client.get("/admin").status_code == 200
    assert audit(settings)[-1]["action"] == "login" and audit(settings)[-1]["ok"] is True


def test_over_https_the_session_cookie_is_secure(settings, fake_embedder):
    with admin_client(settings, fake_embedder) as c:
        c.base_url = "https://testserver"
        r = login(c)
        cookie = next(x for x in r.headers.get_list("set-cookie") if x.startswith("admin_session="))
        assert "Secure" in cookie


def test_a_tampered_session_cookie_counts_as_none(client):
    logged_in(client)
    value = client.cookies.get("admin_session")
    client.cookies.clear()
    client.cookies.set("admin_session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert client.get("/admin", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("data", [{}, {"csrf_token": "not-the-token"}, {"csrf_token": ""}])
def test_a_post_without_the_sessions_csrf_token_is_403_in_the_error_shape(client, settings, data):
    logged_in(client)
    plans_before = sorted(p.name for p in settings.corpus_dir.iterdir())
    r = client.post("/admin/plans/dong-nai-kh-198-2022/remove", data=data)
    assert r.status_code == 403
    assert r.json() == {"error": {"code": "csrf_failed",
                                  "message": "Thiếu hoặc sai mã chống giả mạo (CSRF); hãy tải lại trang rồi thử lại."}}
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == plans_before


def test_a_post_from_another_site_is_403_even_with_the_token(client):
    csrf = logged_in(client)
    r = client.post("/admin/index/rebuild", data={"csrf_token": csrf}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert r.json()["error"] == {"code": "csrf_failed", "message": "Yêu cầu đến từ trang khác đã bị từ chối."}


def test_the_login_form_has_its_own_csrf_token(client):
    r = client.post("/admin/login", data={"token": TOKEN})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"


def test_logout_ends_the_session(client, settings):
    csrf = logged_in(client)
    r = client.post("/admin/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/admin/login?ok=logged_out")
    assert 'admin_session=""' in r.headers["set-cookie"]
    assert client.get("/admin", follow_redirects=False).status_code == 303
    assert audit(settings)[-1]["action"] == "logout"


def test_changing_the_code_ends_every_session(settings, fake_embedder):
    with admin_client(settings, fake_embedder) as first:
        logged_in(first)
        cookie = first.cookies.get("admin_session")
    rotated = settings.model_copy(update={"admin_token": SecretStr("ma-moi-456")})
    with admin_client(rotated, fake_embedder) as second:
        second.cookies.set("admin_session", cookie)
        assert second.get("/admin", follow_redirects=False).status_code == 303


def test_repeated_wrong_codes_lock_the_address_out(client, settings):
    for _ in range(MAX_FAILURES):
        assert login(client, "sai").status_code == 401
    r = login(client)  # even the right code, for a while
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_attempts"
    assert audit(settings)[-1]["detail"] == {"reason": "locked_out"}


def test_a_password_hash_lets_the_operator_in_with_the_password(settings, fake_embedder):
    hashed = hash_password("mật khẩu dài", iterations=1000)
    with admin_client(settings.model_copy(update={"admin_token": None, "admin_password_hash": hashed}), fake_embedder) as c:
        assert login(c, TOKEN).status_code == 401
        assert login(c, "mật khẩu dài").status_code == 303
        assert c.get("/admin").status_code == 200


def test_password_hashes_verify_only_their_password():
    hashed = hash_password("s3cret", iterations=1000)
    assert hashed.startswith("pbkdf2_sha256$1000$")
    assert verify_password("s3cret", hashed) and not verify_password("s3cret ", hashed)
    assert hash_password("s3cret", iterations=1000) != hashed  # salted
    assert not verify_password("s3cret", "garbage") and not verify_password("", "md5$1$a$b")


def test_csrf_token_is_in_every_form_of_the_dashboard(client):
    logged_in(client)
    html = client.get("/admin").text
    posts = html.count('method="post"')
    assert posts >= 3 and html.count('name="csrf_token"') == posts
    assert len({csrf_of(html)}) == 1
