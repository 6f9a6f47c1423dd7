"""The one schema per provider kind: the config, the settings editor, the docs and the registry read it."""

from __future__ import annotations

import dataclasses
import runpy

import pytest

from desktop import kinds
from desktop.config import ConfigError, parse_config
from desktop.kinds import KINDS, OPTION_TYPES, PERMISSION_NAMES, Option
from desktop.providers.base import Provider
from desktop.providers.registry import provider_class
from tests.helpers.paths import ROOT

CONFIG_DOCS = runpy.run_path(str(ROOT / "scripts" / "config_docs.py"))


def test_the_configuration_doc_is_written_from_the_schema():
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert CONFIG_DOCS["updated"](text) == text, "run: python scripts/config_docs.py"
    for spec in KINDS.values():
        for option in spec.options:
            assert f"| `{option.key}` |" in text


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_is_complete_and_its_class_loads(kind):
    spec = KINDS[kind]
    assert spec.kind == kind and spec.title and spec.summary
    assert spec.permissions <= PERMISSION_NAMES
    for option in spec.all_options():
        assert option.type in OPTION_TYPES and option.label and option.help
        if option.type == "choice":
            assert option.default in option.choices
    for key in spec.menu_tables:
        assert spec.option(key).type == "table"
    cls = provider_class(kind)
    assert issubclass(cls, Provider) and cls.kind == kind


def test_adding_an_option_is_one_edit(monkeypatch, qapp):
    """A new option in the schema is parsed, defaulted, validated, shown by the editor and documented."""
    from desktop.shell.settings_dialog import editor_options
    spec = KINDS["spatialchat"]
    extra = Option("floor", "choice", "ground", "Floor", "which floor the site opens on",
                   choices=("ground", "first"))
    monkeypatch.setitem(kinds.KINDS, "spatialchat", dataclasses.replace(spec, options=(*spec.options, extra)))
    base = '[[provider]]\nid = "room"\nkind = "spatialchat"\nurl = "https://site.example/"\n'
    assert parse_config(base).provider("room").options["floor"] == "ground"
    assert parse_config(base + 'floor = "first"\n').provider("room").options["floor"] == "first"
    with pytest.raises(ConfigError) as error:
        parse_config(base + 'floor = "roof"\n', "c.toml")
    assert (error.value.line, error.value.key) == (5, "provider[0].floor")
    assert "must be one of ground, first" in error.value.message
    assert "floor" in [o.key for o in editor_options("spatialchat")]
    assert "| `floor` | `ground` \\| `first` | `\"ground\"` | Floor: which floor the site opens on |" \
           in CONFIG_DOCS["render"]()


def test_remember_session_is_offered_only_where_the_config_accepts_it():
    from desktop.shell.settings_dialog import editor_options
    for kind, spec in KINDS.items():
        offered = "remember_session" in [o.key for o in editor_options(kind)]
        assert offered is not spec.signs_in_from_keyring
        text = f'[[provider]]\nid = "p"\nkind = "{kind}"\nremember_session = true\n' + {
            "rocketchat": 'server = "https://chat.example.com"\nusername = "ada"\n',
            "spoki": 'email = "ops@example.com"\n',
            "spatialchat": 'url = "https://site.example/"\n',
            "postmessage": 'url = "https://site.example/"\nevents = ["x"]\n'}[kind]
        if offered:
            assert parse_config(text).provider("p").options["remember_session"] is True
        else:
            with pytest.raises(ConfigError, match="remember_session"):
                parse_config(text)


def test_secret_labels_come_from_the_schema():
    assert kinds.secret_fields("rocketchat") == ("password", "token")
    assert kinds.secret_label("private_key") == "Service user's private key"
    assert kinds.secret_label("totp") == "Two-factor code"
    assert kinds.secret_fields("nope") == ()


# --- the declarative postmessage kind and installed kinds' rules ------------------------------


def _postmessage(extra: str) -> str:
    return f'[[provider]]\nid = "p"\nkind = "postmessage"\nurl = "https://app.example/"\n{extra}\n'


@pytest.mark.parametrize(("extra", "key", "words"), [
    ('unread_events = ["u"]', "unread_count", "is required with unread_events"),
    ('notify_events = ["n"]', "notify_body", "is required with notify_events"),
    ("", "events", "names no message"),
    ('events = ["x"]\ncommands = ["x"]', "commands", "also an event name"),
    ('events = ["x"]\nunread_count = "data..count"', "unread_count", "dotted path"),
    ('events = ["has space"]', "events", "message name"),
    ('events = ["x"]\nname_key = "a.b.c.d.e.f.g.h.i"', "name_key", "at most 8 keys"),
])
def test_postmessage_options_are_checked_with_the_key_named(extra, key, words):
    with pytest.raises(ConfigError) as error:
        parse_config(_postmessage(extra))
    assert error.value.key == f"provider[0].{key}" and words in error.value.message


def test_postmessage_commands_and_lookups_follow_the_configured_paths(qtbot):
    from desktop.contract import Drop
    from desktop.providers.postmessage import PostMessageProvider, lookup
    config = parse_config(_postmessage('name_key = "msg.type"\ndata_key = "msg.args"\nunread_events = ["u"]\n'
                                       'unread_count = "msg.args.0"\ncommands = ["go"]')).providers[0]
    provider = PostMessageProvider(config)
    sent: list = []
    provider.outbound.connect(sent.append)
    provider.run_command("go", ('[1, "two"]',))
    provider.run_command("go", ("not json",))
    assert [m.payload for m in sent] == [{"msg": {"type": "go", "args": [1, "two"]}},
                                         {"msg": {"type": "go", "args": "not json"}}]
    with pytest.raises(ValueError, match="no command 'other'"):
        provider.run_command("other", ())
    provider.handle(provider.parse({"msg": {"type": "u", "args": [7]}}))
    assert provider.unread == 7
    for bad, reason in [({"msg": {"type": "u", "args": [-1]}}, "bad-unread-count"),
                        ({"msg": {"type": "u", "args": []}}, "no-unread-count"),
                        ({"msg": {"type": 3}}, "no-name"), ([], "not-an-object")]:
        with pytest.raises(Drop) as drop:
            provider.parse(bad)
        assert drop.value.reason == reason
    assert lookup({"a": [{"b": 1}]}, "a.0.b") == 1
    with pytest.raises(KeyError):
        lookup({"a": [1]}, "a.1")


def test_an_installed_kind_is_held_to_the_rules_of_the_built_ins():
    spec = KINDS["spatialchat"]
    assert kinds.spec_problem(spec, "spatialchat") == ""
    assert "not a KindSpec" in kinds.spec_problem({"kind": "x"}, "x")
    assert "entry point is named" in kinds.spec_problem(spec, "other")
    broken = {
        "declared twice": dataclasses.replace(spec, options=(*spec.options, Option("title", "string", ""))),
        "permission": dataclasses.replace(spec, permissions=frozenset({"geolocation"})),
        "module:Class": dataclasses.replace(spec, provider_class="nocolon"),
        "secret field": dataclasses.replace(spec, secrets=(kinds.SecretField("Bad Field", "x"),)),
        "command": dataclasses.replace(spec, commands=(kinds.KindCommand("a"), kinds.KindCommand("a"))),
    }
    for words, bad in broken.items():
        assert words in kinds.spec_problem(bad, "spatialchat"), words
    assert "[a-z]" in kinds.spec_problem(dataclasses.replace(spec, kind="Bad"), "Bad")


def test_the_kind_strings_for_translation_are_written_from_the_schema():
    kind_strings = runpy.run_path(str(ROOT / "scripts" / "kind_strings.py"))
    written = (ROOT / "desktop" / "shell" / "kind_strings.py").read_text(encoding="utf-8")
    assert kind_strings["render"]() == written, "run: python scripts/kind_strings.py, then scripts/setup-translations --update"
