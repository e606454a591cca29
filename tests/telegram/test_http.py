"""The Bot API's connection honours the environment's proxy settings, as PTB's own client does."""
from yarl import URL

from bot.telegram.http import _from_env

API = URL("https://api.telegram.org/bot123:abc/sendMessage")


def test_the_proxy_the_environment_names_is_used_unless_no_proxy_lists_the_host(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://ops:secret@proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    route = _from_env(API)
    assert route["proxy"] == URL("http://proxy.example:3128")
    assert route["proxy_auth"].login == "ops"
    assert "proxy" not in _from_env(URL("http://127.0.0.1:8081/bot123:abc/sendMessage"))


def test_without_a_proxy_the_call_goes_direct(monkeypatch, tmp_path):
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))
    assert _from_env(API) == {}
