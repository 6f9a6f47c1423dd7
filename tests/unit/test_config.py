"""Config parsing: valid files become frozen dataclasses; every error names file, line and key."""

from __future__ import annotations

import os

import pytest

from desktop.config import ConfigError, load_config, parse_config, update_provider

GOOD = '''# my providers
[[provider]]
id = "room"
kind = "spatialchat"
url = "https://site.example/board"
space_id = "abc"

[provider.user]
name = "Ada"   # shown to the site

[[provider]]
id = "work"
kind = "rocketchat"
server = "https://chat.example.com/"
channel = "general"
username = "ada"

[[provider]]
id = "wa"
kind = "spoki"
email = "ops@example.com"
page = "templates"
'''


def test_good_config():
    config = parse_config(GOOD, "c.toml")
    room, work, wa = config.providers
    assert (room.id, room.kind, room.origin, room.url) == ("room", "spatialchat", "https://site.example",
                                                           "https://site.example/board")
    assert room.options["user"]["name"] == "Ada"
    assert work.url == "https://chat.example.com/channel/general?layout=embedded"
    assert work.origin == "https://chat.example.com"
    assert wa.origin == "https://spoki.app" and wa.options["api_base"] == "https://app.spoki.it"
    assert wa.options["language"] == "window" and wa.options["can_reply_in_chat"] is True
    with pytest.raises(Exception):
        room.options["user"] = None  # frozen


@pytest.mark.parametrize("change, line, key, words", [
    (('id = "room"', 'id = "Room!"'), 3, "provider[0].id", "must match"),
    (('kind = "spatialchat"', 'kind = "slack"'), 4, "provider[0].kind", "is not one of"),
    (('url = "https://site.example/board"', 'url = "ftp://x"'), 5, "provider[0].url", "http(s) URL"),
    (('space_id = "abc"', 'space_id = 5'), 6, "provider[0].space_id", "must be a string, not integer"),
    (('space_id = "abc"', 'space_url = "ftp://x"'), 6, "provider[0].space_url", "http(s) URL"),
    (('space_id = "abc"', 'space_url = "https://app.spatial.chat/s/x#r"'), 6, "provider[0].space_url", "#fragment"),
    (('name = "Ada"', 'nickname = "Ada"'), 9, "provider[0].user.nickname", "not a known key"),
    (('server = "https://chat.example.com/"', 'server = "http://chat.example.com"'), 14,
     "provider[1].server", "https://"),
    (('channel = "general"', 'channel = "a b"'), 15, "provider[1].channel", "channel name"),
    (('id = "wa"', 'id = "work"'), 19, "provider[2].id", "already used"),
    (('page = "templates"', 'page = "chats/not-a-uuid"'), 22, "provider[2].page", "chats/<uuid>"),
    (('email = "ops@example.com"', 'emial = "ops@example.com"'), 21, "provider[2].emial", "not a known key"),
    (('page = "templates"', 'page = "templates"\nlanguage = "de"'), 23, "provider[2].language", "one of window, it, en, es"),
])
def test_errors_name_file_line_and_key(change, line, key, words):
    text = GOOD.replace(*change)
    assert text != GOOD
    with pytest.raises(ConfigError) as info:
        parse_config(text, "/home/ada/.config/portico/config.toml")
    err = info.value
    assert (err.path, err.line, err.key) == ("/home/ada/.config/portico/config.toml", line, key)
    assert words in err.message
    assert str(err).startswith(f"/home/ada/.config/portico/config.toml:{line}: {key}: ")


@pytest.mark.parametrize("server", ["http://127.0.0.1.evil.example.com", "http://127.evil.com:3000",
                                    "http://localhost.evil.example.com", "http://127.0.0.1.nip.io",
                                    "http://localhost.", "http://[::ffff:127.0.0.1]:3000"])
def test_http_to_a_look_alike_of_loopback_is_refused_where_a_secret_goes(server):
    text = GOOD.replace('server = "https://chat.example.com/"', f'server = "{server}"')
    with pytest.raises(ConfigError) as info:
        parse_config(text, "c.toml")
    assert (info.value.line, info.value.key) == (14, "provider[1].server")
    assert "loopback address" in info.value.message
    text = GOOD.replace('page = "templates"', f'page = "templates"\napi_base = "{server}"')
    with pytest.raises(ConfigError) as info:
        parse_config(text, "c.toml")
    assert (info.value.line, info.value.key) == (23, "provider[2].api_base")


@pytest.mark.parametrize("server", ["http://127.0.0.1:3000", "http://[::1]:3000", "http://localhost:3000"])
def test_http_to_loopback_is_accepted(server):
    text = GOOD.replace('server = "https://chat.example.com/"', f'server = "{server}"')
    assert parse_config(text, "c.toml").providers[1].origin == server


def test_missing_required_key_points_at_the_table():
    with pytest.raises(ConfigError) as info:
        parse_config('[[provider]]\nkind = "spoki"\n', "c.toml")
    assert (info.value.line, info.value.key, info.value.message) == (1, "provider[0].id", "is required")


def test_invalid_toml_names_the_line():
    with pytest.raises(ConfigError) as info:
        parse_config(GOOD.replace('channel = "general"', 'channel = "general'), "c.toml")
    assert info.value.line == 15 and "invalid TOML" in str(info.value)


def test_unknown_top_level_key():
    with pytest.raises(ConfigError) as info:
        parse_config(GOOD + "\n[provider_x]\na = 1\n", "c.toml")
    assert info.value.key == "provider_x" and info.value.line == 24


def test_missing_file_and_non_utf8(tmp_path):
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe[[provider]]")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(bad)


def test_update_provider_keeps_comments_and_is_atomic(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(GOOD)
    os.chmod(path, 0o600)
    config = update_provider(path, "room", {"name": "Grace", "pronoun": "she"}, subtable="user")
    assert config.provider("room").options["user"]["name"] == "Grace"
    text = path.read_text()
    assert "# my providers" in text and "# shown to the site" in text
    assert path.stat().st_mode & 0o777 == 0o600
    # An update that would make the file invalid is refused and leaves it untouched.
    with pytest.raises(ConfigError):
        update_provider(path, "room", {"name": 5}, subtable="user")
    assert path.read_text() == text
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temp file left behind


@pytest.mark.parametrize("value, words", [
    ('["start-call", 5]', "item 2 (5): each must be an action id"),
    ('["has space"]', "item 1 ('has space'): each must be an action id"),
    ('"start-call"', "must be a array, not string"),
])
def test_a_list_option_checks_each_item(value, words):
    text = GOOD.replace('username = "ada"', f'username = "ada"\n[provider.hide_actions]\nroom = {value}')
    with pytest.raises(ConfigError) as info:
        parse_config(text, "/c.toml")
    assert info.value.key == "provider[1].hide_actions.room" and words in info.value.message


def test_a_list_option_reads_as_a_tuple():
    text = GOOD.replace('username = "ada"', 'username = "ada"\n[provider.hide_actions]\nroom = ["start-call"]')
    work = parse_config(text).providers[1]
    assert work.options["hide_actions"]["room"] == ("start-call",) and work.options["hide_actions"]["user"] == ()
