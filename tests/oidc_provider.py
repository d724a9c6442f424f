"""A local OpenID provider for the single sign-on tests: tests/oidc/provider.mjs (the npm package
oidc-provider) on a free loopback port, and a browser's part of a login driven with requests."""
from __future__ import annotations

import contextlib
import json
import subprocess
import urllib.parse
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import requests

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID = "traeningsguiden"
CLIENT_SECRET = "test-klienthemmelighed-0123456789"


class Provider:
    def __init__(self, issuer: str, config_file: Path, config: Dict):
        self.issuer, self.config_file, self.config = issuer, config_file, config

    def set_account(self, sub: str, claims: Dict) -> None:
        """A person at the provider (their claims are read again at their next login)."""
        self.config["accounts"][sub] = claims
        self.config_file.write_text(json.dumps(self.config), encoding="utf-8")

    def settings(self, **extra: str) -> Dict[str, str]:
        """The TG_OIDC_* settings of a web server that uses this provider."""
        return {"TG_OIDC_ISSUER": self.issuer, "TG_OIDC_CLIENT_ID": CLIENT_ID,
                "TG_OIDC_CLIENT_SECRET": CLIENT_SECRET, "TG_OIDC_SCOPES": "openid profile email traeningsguiden",
                **extra}


@contextlib.contextmanager
def running_provider(folder: Path, redirect_uris: List[str], accounts: Optional[Dict] = None) -> Iterator[Provider]:
    if not (ROOT / "node_modules" / "oidc-provider" / "package.json").exists():
        raise RuntimeError("node_modules/oidc-provider is missing: run scripts/web-setup.sh (npm ci)")
    config = {"port": 0, "client": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                    "redirect_uris": redirect_uris}, "accounts": dict(accounts or {})}
    config_file = folder / "oidc-provider.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    proc = subprocess.Popen(["node", str(SCRIPT), str(config_file)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the OpenID provider did not start (exit {proc.wait(5)})")
        yield Provider(json.loads(line)["issuer"], config_file, config)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def log_in_at_provider(authorization_url: str, login: str) -> Dict[str, str]:
    """What a browser does at the provider: open the login, log in as ``login``; returns the query
    of the redirect back to the web server (code, state, iss)."""
    browser = requests.Session()
    url = authorization_url
    for _ in range(6):
        answer = browser.get(url, allow_redirects=False, timeout=10)
        location = answer.headers.get("location")
        if answer.status_code not in (302, 303) or not location:
            raise AssertionError(f"the provider answered {answer.status_code}: {answer.text[:300]}")
        url = urllib.parse.urljoin(url, location)
        if "/interaction/" in url and "login=" not in url:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"login": login})
        elif "/personale/sso/svar" in url:
            return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    raise AssertionError("the provider did not send the browser back")
