"""Single sign-on for staff with OpenID Connect: the authorization code flow with PKCE (Authlib's
client), the ID token checked with joserfc (signature from the provider's JWKS; issuer, audience,
expiry and nonce), the user info merged in, and the claims turned into a staff account: a user
name, a role and the kommunekoder (claim names and value maps in the settings, TG_OIDC_*).

Nothing is kept on the server between the redirect to the provider and its answer: state, nonce
and the PKCE verifier travel in a short-lived cookie signed with TG_WEB_SECRET, so the answer may
reach any web server of the deployment. The provider is trusted for who the person is; what they
may see is the role and municipalities its claims give, within the municipalities file.

Token times are checked against the real clock (the provider's), never a pinned TG_TODAY.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from training_guidance.handoff.accounts import ROLES
from training_guidance.settings import Settings

CALLBACK = "/personale/sso/svar"
STATE_COOKIE = "tg_sso"
STATE_SECONDS = 600  # ten minutes to log in at the provider
ROLE_ORDER = ("sagsbehandler", "indholdsansvarlig", "borgerservice")  # the strongest role a person has wins
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


class SsoError(RuntimeError):
    """Why a single sign-on login failed, in Danish for the login page."""


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: Optional[str]
    redirect_uri: str
    scopes: Tuple[str, ...] = ("openid", "profile", "email")
    name_claim: str = "preferred_username"
    roles_claim: str = "roles"
    municipalities_claim: str = "kommuner"
    role_map: Mapping[str, str] = field(default_factory=dict)
    municipality_map: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings, origin: str) -> Optional["OidcConfig"]:
        if not settings.oidc_enabled:
            return None
        scopes = tuple(dict.fromkeys(["openid", *settings.oidc_scopes.split()]))
        return cls(issuer=settings.oidc_issuer.rstrip("/"), client_id=settings.oidc_client_id,
                   client_secret=settings.oidc_client_secret, redirect_uri=origin.rstrip("/") + CALLBACK,
                   scopes=scopes, name_claim=settings.oidc_name_claim, roles_claim=settings.oidc_roles_claim,
                   municipalities_claim=settings.oidc_municipalities_claim, role_map=settings.oidc_role_pairs,
                   municipality_map=settings.oidc_municipality_pairs)


@dataclass(frozen=True)
class Identity:
    """What the provider says about the person, as a staff account needs it."""

    issuer: str
    subject: str
    name: str
    role: str
    municipalities: Tuple[str, ...]


# --- the signed state cookie -------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_state(secret: bytes, values: Dict[str, Any]) -> str:
    body = _b64(json.dumps(values, separators=(",", ":")).encode())
    mac = hmac.new(secret, f"sso:{body}".encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac)}"


def read_state(secret: bytes, cookie: Optional[str], now: float) -> Optional[Dict[str, Any]]:
    """The values of a cookie this deployment signed less than STATE_SECONDS ago, else None."""
    if not cookie or cookie.count(".") != 1 or len(cookie) > 2000:
        return None
    body, mac = cookie.split(".")
    want = hmac.new(secret, f"sso:{body}".encode(), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(_unb64(mac), want):
            return None
        values = json.loads(_unb64(body))
    except ValueError:
        return None
    if not isinstance(values, dict) or not 0 <= now - float(values.get("t", 0)) <= STATE_SECONDS:
        return None
    return values


# --- claims → a staff account ------------------------------------------------------------------
def _values(claims: Mapping[str, Any], name: str) -> List[str]:
    value = claims.get(name)
    if isinstance(value, str):
        return value.split() if " " in value.strip() else [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if isinstance(v, (str, int))]
    return []


def identity_from_claims(config: OidcConfig, claims: Mapping[str, Any]) -> Identity:
    """The staff account the claims describe; SsoError when they give no role or no municipality."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise SsoError("Login-tjenesten sendte ingen bruger-id.")
    name = next((v for v in (claims.get(config.name_claim), claims.get("email"), subject) if isinstance(v, str) and v),
                subject)
    roles = set()
    for value in _values(claims, config.roles_claim):
        role = config.role_map.get(value) or (value.lower() if value.lower() in ROLES else None)
        if role in ROLES:
            roles.add(role)
    role = next((r for r in ROLE_ORDER if r in roles), None)
    if role is None:
        raise SsoError("Din konto har ingen rolle i Træningsguiden. Spørg kommunens it-afdeling.")
    codes = []
    for value in _values(claims, config.municipalities_claim):
        code = config.municipality_map.get(value) or (value if value.isdigit() and len(value) == 4 else None)
        if code and code not in codes:
            codes.append(code)
    if not codes:
        raise SsoError("Din konto er ikke knyttet til en kommune i Træningsguiden. Spørg kommunens it-afdeling.")
    return Identity(config.issuer, subject, name.strip().lower(), role, tuple(sorted(codes)))


# --- the provider ------------------------------------------------------------------------------
class OidcClient:
    """One provider, its discovery document and keys fetched once per process (the keys again when
    a token names a key it does not know: the provider rotated them). Synchronous (requests):
    call it off the event loop."""

    def __init__(self, config: OidcConfig, timeout: float = 10.0, now: Callable[[], float] = time.time):
        self.config = config
        self.timeout = timeout
        self.now = now
        self._metadata: Optional[Dict[str, Any]] = None
        self._keys = None

    def _session(self, **kw: Any):
        from authlib.integrations.requests_client import OAuth2Session

        return OAuth2Session(self.config.client_id, self.config.client_secret, scope=" ".join(self.config.scopes),
                             redirect_uri=self.config.redirect_uri, code_challenge_method="S256",
                             default_timeout=self.timeout, **kw)

    def metadata(self) -> Dict[str, Any]:
        if self._metadata is None:
            import requests

            url = f"{self.config.issuer}/.well-known/openid-configuration"
            try:
                found = requests.get(url, timeout=self.timeout)
                found.raise_for_status()
                metadata = found.json()
            except (requests.RequestException, ValueError) as exc:
                raise SsoError("Kommunens login-tjeneste svarer ikke. Prøv igen om lidt.") from exc
            if metadata.get("issuer", "").rstrip("/") != self.config.issuer:  # OpenID Connect Discovery 1.0 §4.3
                raise SsoError("Login-tjenesten er ikke den, der er sat op (issuer).")
            self._metadata = metadata
        return self._metadata

    def keys(self, refresh: bool = False):
        from joserfc.jwk import KeySet

        if self._keys is None or refresh:
            import requests

            try:
                found = requests.get(self.metadata()["jwks_uri"], timeout=self.timeout)
                found.raise_for_status()
                self._keys = KeySet.import_key_set(found.json())
            except (requests.RequestException, ValueError, KeyError) as exc:
                raise SsoError("Login-tjenestens nøgler kan ikke hentes.") from exc
        return self._keys

    def start(self, secret: bytes) -> Tuple[str, str]:
        """(the provider's login address, the signed state cookie)."""
        state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
        url, _ = self._session().create_authorization_url(
            self.metadata()["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier)
        return url, sign_state(secret, {"s": state, "n": nonce, "v": verifier, "t": int(self.now())})

    def finish(self, secret: bytes, cookie: Optional[str], params: Mapping[str, str]) -> Identity:
        """Check the provider's answer (``params``: the callback's query) against the cookie,
        exchange the code, check the ID token and return who logged in."""
        saved = read_state(secret, cookie, self.now())
        if saved is None:
            raise SsoError("Login-forsøget er for gammelt eller kom ikke herfra. Prøv igen.")
        if not hmac.compare_digest(str(params.get("state", "")), str(saved["s"])):
            raise SsoError("Login-forsøget kom ikke herfra. Prøv igen.")
        if params.get("error"):
            raise SsoError("Kommunens login-tjeneste afviste login. Prøv igen, eller spørg kommunens it-afdeling.")
        code = params.get("code")
        if not code:
            raise SsoError("Login-tjenesten sendte ingen kode.")
        metadata = self.metadata()
        try:
            token = self._session(state=saved["s"]).fetch_token(
                metadata["token_endpoint"], grant_type="authorization_code", code=code, code_verifier=saved["v"])
        except Exception as exc:  # noqa: BLE001 - Authlib's OAuthError, requests' errors: the login failed
            raise SsoError("Login-tjenesten godkendte ikke koden. Prøv igen.") from exc
        claims = self.id_token_claims(token.get("id_token"), saved["n"])
        if metadata.get("userinfo_endpoint") and token.get("access_token"):
            claims = {**self.userinfo(metadata["userinfo_endpoint"], token["access_token"], claims["sub"]), **claims}
        return identity_from_claims(self.config, claims)

    def id_token_claims(self, id_token: Optional[str], nonce: str) -> Dict[str, Any]:
        from joserfc import jwt
        from joserfc.errors import JoseError

        if not id_token:
            raise SsoError("Login-tjenesten sendte intet ID-token.")
        try:
            try:
                decoded = jwt.decode(id_token, self.keys(), algorithms=list(SIGNING_ALGORITHMS))
            except JoseError:  # perhaps a new key: fetch the keys once more
                decoded = jwt.decode(id_token, self.keys(refresh=True), algorithms=list(SIGNING_ALGORITHMS))
            registry = jwt.JWTClaimsRegistry(
                now=lambda: int(self.now()), leeway=60,
                iss={"essential": True, "value": str(self.metadata().get("issuer") or self.config.issuer)},
                aud={"essential": True, "value": self.config.client_id},
                sub={"essential": True}, exp={"essential": True}, iat={"essential": True},
                nonce={"essential": True, "value": nonce})
            registry.validate(decoded.claims)
        except (JoseError, ValueError) as exc:
            raise SsoError("Login-tjenestens ID-token kunne ikke godkendes.") from exc
        azp = decoded.claims.get("azp")
        if azp is not None and azp != self.config.client_id:
            raise SsoError("Login-tjenestens ID-token er til en anden tjeneste.")
        return dict(decoded.claims)

    def userinfo(self, url: str, access_token: str, subject: str) -> Dict[str, Any]:
        import requests

        try:
            found = requests.get(url, headers={"Authorization": f"Bearer {access_token}"}, timeout=self.timeout)
            found.raise_for_status()
            info = found.json()
        except (requests.RequestException, ValueError):
            return {}  # the ID token alone may be enough
        return info if isinstance(info, dict) and info.get("sub") == subject else {}  # Core 1.0 §5.3.2

