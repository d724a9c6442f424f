"""The action server's token (rasa_sdk_plugins/): required in every mode, on every route but /health."""
import asyncio
import uuid

import pytest
from sanic import Sanic, response

from sanic_client import serve

import rasa_sdk_plugins as plugin


def action_app():
    app = Sanic(f"actions_{uuid.uuid4().hex[:8]}", configure_logging=False)

    @app.get("/health")
    async def health(request):
        return response.json({"status": "ok"})

    @app.post("/webhook")
    async def webhook(request):
        return response.json({"events": [], "responses": []})

    @app.get("/actions")
    async def actions(request):
        return response.json([{"name": "action_application_done"}])

    return app


def test_uden_token_starter_handlingsserveren_ikke(monkeypatch, capfd):
    monkeypatch.delenv("TG_ACTION_TOKEN", raising=False)
    with pytest.raises(SystemExit) as stopped:
        plugin.attach_sanic_app_extensions(app=action_app())
    assert stopped.value.code == 2
    assert "TG_ACTION_TOKEN" in capfd.readouterr().err


def test_hver_rute_undtagen_health_kraever_tokenet(monkeypatch):
    monkeypatch.setenv("TG_ACTION_TOKEN", "hemmeligt-token-" + "x" * 20)
    app = action_app()
    plugin.attach_sanic_app_extensions(app=app)
    good = {"Authorization": "Bearer hemmeligt-token-" + "x" * 20}

    async def check():
        async with serve(app) as client:
            assert (await client.get("/health")).status == 200
            for headers in ({}, {"Authorization": "Bearer forkert"}, {"Authorization": "hemmeligt-token-" + "x" * 20}):
                assert (await client.post("/webhook", json={}, headers=headers)).status == 401
                assert (await client.get("/actions", headers=headers)).status == 401
            assert (await client.post("/webhook", json={}, headers=good)).status == 200
            assert (await client.get("/actions", headers=good)).status == 200
    asyncio.run(check())


def test_begge_endpoints_filer_sender_tokenet():
    from pathlib import Path

    import yaml

    root = Path(__file__).resolve().parents[1]
    for name in ("endpoints.yml", "deploy/endpoints.production.yml"):
        endpoint = yaml.safe_load((root / name).read_text(encoding="utf-8"))["action_endpoint"]
        assert endpoint["headers"]["Authorization"] == "Bearer ${TG_ACTION_TOKEN}", name


def test_make_run_laver_et_token_og_en_kanalhemmelighed_pr_koersel(tmp_path, monkeypatch):
    from servers import server_env

    monkeypatch.delenv("TG_ACTION_TOKEN", raising=False)
    monkeypatch.delenv("TG_CHANNEL_SECRET", raising=False)

    first, second = server_env(5055, tmp_path / "a"), server_env(5055, tmp_path / "b")
    for name in ("TG_ACTION_TOKEN", "TG_CHANNEL_SECRET"):
        assert len(first[name]) >= 32 and first[name] != second[name]
    kept = server_env(5055, tmp_path / "c", {"TG_ACTION_TOKEN": "fra-miljoeet", "TG_CHANNEL_SECRET": "ogsaa"})
    assert kept["TG_ACTION_TOKEN"] == "fra-miljoeet" and kept["TG_CHANNEL_SECRET"] == "ogsaa"
