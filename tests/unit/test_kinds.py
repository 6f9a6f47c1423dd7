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
            "spatialchat": 'url = "https://site.example/"\n'}[kind]
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
