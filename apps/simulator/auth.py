"""Who is calling: API tokens, web sessions with CSRF tokens, and the 8.3 IdP login flow."""

import secrets
from dataclasses import dataclass, field
from urllib.parse import urlencode

from .resources import ResourceStore

IDP_AUTH = "/idp/default/oidc/auth"
CALLBACK = "/data/federate/callback/internal"


@dataclass
class Principal:
    """An authenticated caller; ``session`` is set for web sessions (which need CSRF)."""

    name: str
    read: bool
    write: bool
    session: "Session | None" = None


@dataclass
class Session:
    sid: str
    username: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))


@dataclass
class LoginTransaction:
    """One IdP login in progress; its token rotates on every call (spec 1.4)."""

    params: dict
    token: str
    sid: str = field(default_factory=lambda: secrets.token_hex(8))
    username: str | None = None
    complete: bool = False


class AuthError(Exception):
    """``status`` is 401 (who are you?) or 403 (not allowed)."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


class Auth:
    def __init__(self, users: dict[str, str], resources: ResourceStore, gateway_id: str):
        self.users = users
        self.resources = resources
        self.cookie_name = f"webui-sid-{gateway_id}"
        self.sessions: dict[str, Session] = {}
        self.transactions: dict[str, LoginTransaction] = {}
        self.used_tokens: set[str] = set()
        self.codes: dict[str, str] = {}
        self.relays: set[str] = set()

    # --- API tokens -----------------------------------------------------------------------
    def token_principal(self, headers, scheme: str) -> Principal | None:
        """The token caller, ``None`` when no token header is present.

        Raises ``AuthError(401)`` for Basic auth, a malformed or unknown token, and
        ``AuthError(403)`` when the token requires HTTPS but the request is plain HTTP.
        """
        authorization = headers.get("authorization", "")
        if authorization.lower().startswith("basic "):
            raise AuthError(401)
        value = headers.get("x-ignition-api-token")
        if value is None and authorization.lower().startswith("bearer "):
            value = authorization[7:].strip()
        if value is None:
            return None
        name, _, secret = value.partition(":")
        check = self.resources.check_token(name, secret) if secret else None
        if check is None or not check.known:
            raise AuthError(401)
        if check.secure_required and scheme != "https":
            raise AuthError(403)
        return Principal(name, check.read, check.write)

    # --- web sessions -----------------------------------------------------------------------
    def check_password(self, username: str, password: str) -> bool:
        stored = self.users.get(username)
        # Compared as UTF-8 bytes: ``compare_digest`` refuses non-ASCII text.
        return stored is not None and secrets.compare_digest(
            stored.encode(), str(password).encode()
        )

    def open_session(self, username: str) -> Session:
        session = Session(secrets.token_urlsafe(24), username)
        self.sessions[session.sid] = session
        return session

    def session_for(
        self, cookies: dict[str, str], cookie_name: str | None = None
    ) -> Session | None:
        return self.sessions.get(cookies.get(cookie_name or self.cookie_name, ""))

    def close_session(self, cookies: dict[str, str], cookie_name: str | None = None) -> None:
        self.sessions.pop(cookies.get(cookie_name or self.cookie_name, ""), None)

    # --- 8.3 IdP flow -----------------------------------------------------------------------
    def start_relay(self) -> tuple[str, str]:
        """``/data/app/login``: a new relay state and the IdP authorisation URL."""
        state = secrets.token_urlsafe(12)
        self.relays.add(state)
        params = {
            "app": "gateway",
            "response_type": "code",
            "client_id": "ignition",
            "redirect_uri": CALLBACK,
            "scope": "openid",
            "state": state,
            "nonce": secrets.token_urlsafe(12),
        }
        return state, f"{IDP_AUTH}?{urlencode(params)}"

    def begin_login(self, params: dict) -> LoginTransaction:
        txn = LoginTransaction(params=params, token=secrets.token_urlsafe(16))
        self.transactions[txn.token] = txn
        return txn

    def _rotate(self, token: str) -> LoginTransaction:
        """Consume a login token and give its transaction a fresh one; reuse is an error."""
        txn = self.transactions.pop(token, None)
        if txn is None:
            raise AuthError(400)
        self.used_tokens.add(token)
        txn.token = secrets.token_urlsafe(16)
        self.transactions[txn.token] = txn
        return txn

    def next_challenge(self, token: str) -> dict:
        txn = self._rotate(token)
        challenge = [] if txn.complete else [{"type": "basic", "config": {}}]
        return {
            "complete": txn.complete,
            "nextChallenge": challenge,
            "rememberMe": False,
            "passwordExpired": False,
            "token": txn.token,
        }

    def submit_basic(self, token: str, username: str, password: str) -> dict:
        txn = self._rotate(token)
        success = self.check_password(username, password)
        if success:
            txn.username, txn.complete = username, True
        return {"success": success, "token": txn.token}

    def finish_login(self, token: str) -> str | None:
        """The callback URL with a one-time code, or ``None`` for an incomplete login."""
        txn = self.transactions.get(token)
        if txn is None or not txn.complete:
            return None
        del self.transactions[token]
        code = secrets.token_urlsafe(16)
        self.codes[code] = txn.username or ""
        return f"{CALLBACK}?{urlencode({'code': code, 'state': txn.params.get('state', '')})}"

    def redeem(self, code: str, state: str) -> Session | None:
        username = self.codes.pop(code, None)
        if username is None or state not in self.relays:
            return None
        self.relays.discard(state)
        return self.open_session(username)
