"""Who may use the admin area: an access code or password, a signed session cookie, a CSRF token per form.

- The area exists only when `admin_token` or `admin_password_hash` is set; codes are compared with
  `hmac.compare_digest`, passwords with PBKDF2-SHA256 (the iteration count is part of the hash).
- A session is a cookie signed with itsdangerous (`HttpOnly; SameSite=Strict; Path=/admin`, `Secure`
  over HTTPS), valid `admin_session_minutes`. The signing key is derived from the token/hash, so
  rotating the code ends every session, and all server processes agree on it without shared state.
- Every POST carries the session's CSRF token in its form; the login form its own, from a short-lived
  signed cookie (double submit). A cross-site `Origin` is refused too.
- Ten failed logins from one address within ten minutes lock that address out for the rest of them.

`python -m assistant.api.admin_auth` asks for a password and prints the hash to put in
`ASSISTANT_ADMIN_PASSWORD_HASH`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from assistant.errors import AssistantError
from assistant.settings import Settings

SESSION_COOKIE = "admin_session"
LOGIN_COOKIE = "admin_login"
COOKIE_PATH = "/admin"
LOGIN_MINUTES = 30
MAX_FAILURES, FAILURE_WINDOW_S = 10, 600
PBKDF2_ITERATIONS = 600_000  # OWASP's 2023 figure for PBKDF2-SHA256


class AdminLoginRequired(AssistantError, status=401, code="admin_login_required"):
    """No valid admin session: pages redirect to the login form, other requests get 401."""


class CsrfFailed(AssistantError, status=403, code="csrf_failed"):
    """A POST without the session's CSRF token, or from another site."""


class TooManyAttempts(AssistantError, status=429, code="too_many_attempts"):
    """Too many failed logins from one address."""


def hash_password(password: str, *, iterations: int = PBKDF2_ITERATIONS, salt: bytes | None = None) -> str:
    """`pbkdf2_sha256$<iterations>$<salt>$<hash>` (base64), the format `admin_password_hash` takes."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    b64 = lambda b: base64.b64encode(b).decode().rstrip("=")  # noqa: E731
    return f"pbkdf2_sha256${iterations}${b64(salt)}${b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """True when `password` matches the hash; a malformed hash matches nothing."""
    try:
        scheme, iterations, salt, expected = encoded.split("$")
        unb64 = lambda s: base64.b64decode(s + "=" * (-len(s) % 4))  # noqa: E731
        if scheme != "pbkdf2_sha256" or int(iterations) < 1:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode(), unb64(salt), int(iterations))
        return hmac.compare_digest(digest, unb64(expected))
    except (ValueError, TypeError):
        return False


def admin_enabled(settings: Settings) -> bool:
    return bool((settings.admin_token and settings.admin_token.get_secret_value()) or settings.admin_password_hash)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "-"


@dataclass(frozen=True)
class AdminSession:
    sid: str
    csrf: str


class AdminAuth:
    """Credentials check, signed session and login cookies, CSRF checks and the failed-login throttle."""

    def __init__(self, settings: Settings) -> None:
        token = settings.admin_token.get_secret_value() if settings.admin_token else ""
        self.token = token
        self.password_hash = settings.admin_password_hash or ""
        key = hmac.new(b"assistant-admin-session-key", f"{token}\0{self.password_hash}".encode(), hashlib.sha256).hexdigest()
        self.sessions = URLSafeTimedSerializer(key, salt="admin-session")
        self.logins = URLSafeTimedSerializer(key, salt="admin-login")
        self.max_age = settings.admin_session_minutes * 60
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    # --- credentials --------------------------------------------------------------------------
    def credentials_ok(self, given: str) -> bool:
        given = given or ""
        ok = bool(self.token) and hmac.compare_digest(given.encode(), self.token.encode())
        if self.password_hash and not ok:
            ok = verify_password(given, self.password_hash)
        return ok

    def locked_out(self, address: str) -> bool:
        with self._lock:
            recent = self._failures.get(address, deque())
            while recent and recent[0] < time.monotonic() - FAILURE_WINDOW_S:
                recent.popleft()
            return len(recent) >= MAX_FAILURES

    def record_failure(self, address: str) -> None:
        with self._lock:
            self._failures.setdefault(address, deque()).append(time.monotonic())

    def clear_failures(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)

    # --- cookies --------------------------------------------------------------------------------
    @staticmethod
    def _set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
        response.set_cookie(name, value, max_age=max_age, path=COOKIE_PATH, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")

    def start_session(self, request: Request, response: Response) -> AdminSession:
        session = AdminSession(secrets.token_urlsafe(16), secrets.token_urlsafe(32))
        self._set_cookie(request, response, SESSION_COOKIE, self.sessions.dumps([session.sid, session.csrf]), self.max_age)
        response.delete_cookie(LOGIN_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
        return session

    def end_session(self, response: Response) -> None:
        response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")

    def session(self, request: Request) -> AdminSession | None:
        raw = request.cookies.get(SESSION_COOKIE)
        if not raw:
            return None
        try:
            sid, csrf = self.sessions.loads(raw, max_age=self.max_age)
            return AdminSession(str(sid), str(csrf))
        except (BadSignature, ValueError, TypeError):
            return None

    def require(self, request: Request) -> AdminSession:
        session = self.session(request)
        if session is None:
            raise AdminLoginRequired("Cần đăng nhập khu vực quản trị.")
        return session

    def login_token(self, request: Request) -> str:
        """The login form's CSRF token: the one in the login cookie while it is valid, else a new one."""
        return self._login_cookie_token(request) or secrets.token_urlsafe(32)

    def set_login_cookie(self, request: Request, response: Response, token: str) -> None:
        """Keep the login form's token in a short-lived signed cookie (double submit)."""
        self._set_cookie(request, response, LOGIN_COOKIE, self.logins.dumps(token), LOGIN_MINUTES * 60)

    def _login_cookie_token(self, request: Request) -> str | None:
        raw = request.cookies.get(LOGIN_COOKIE)
        try:
            return str(self.logins.loads(raw, max_age=LOGIN_MINUTES * 60)) if raw else None
        except BadSignature:
            return None

    # --- CSRF -----------------------------------------------------------------------------------
    @staticmethod
    def check_origin(request: Request) -> None:
        origin = request.headers.get("origin")
        if origin and origin != "null" and origin.rstrip("/") != f"{request.url.scheme}://{request.url.netloc}":
            raise CsrfFailed("Yêu cầu đến từ trang khác đã bị từ chối.")

    def check_csrf(self, request: Request, expected: str | None, given: object) -> None:
        self.check_origin(request)
        if not expected or not isinstance(given, str) or not hmac.compare_digest(given.encode(), expected.encode()):
            raise CsrfFailed("Thiếu hoặc sai mã chống giả mạo (CSRF); hãy tải lại trang rồi thử lại.")

    def check_login_csrf(self, request: Request, given: object) -> None:
        self.check_csrf(request, self._login_cookie_token(request), given)


if __name__ == "__main__":  # pragma: no cover - interactive helper
    import getpass

    first = getpass.getpass("Mật khẩu quản trị: ")
    if not first or first != getpass.getpass("Nhập lại: "):
        raise SystemExit("Hai lần nhập không khớp (hoặc để trống).")
    print(hash_password(first))
