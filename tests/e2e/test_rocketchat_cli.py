"""`portico rocketchat create-user|create-token` against the simulator, the admin token in the real keyring."""

from __future__ import annotations

import hashlib
import io
import pathlib
from collections.abc import Iterator

import pytest

from desktop import credentials
from desktop.commands import rocketchat as rc_cmd
from desktop.demo.rocketchat import ADMIN_PASSWORD, RocketChatServer, RocketChatSimulator, hash_token, start_server
from desktop.demo.server import LoopbackServer, Request, Response
from desktop.secret import Secret


@pytest.fixture
def sim(gnome_keyring) -> Iterator[tuple[RocketChatServer, RocketChatSimulator]]:
    server, simulator = start_server()
    yield server, simulator
    server.stop()
    for pid, field in (("chat-admin", "token"), ("team", "password"), ("team", "token")):
        try:
            credentials.delete_secret(pid, field)
        except credentials.CredentialError:
            pass


def config(tmp_path: pathlib.Path, server: RocketChatServer, admin_id: str) -> pathlib.Path:
    path = tmp_path / "config.toml"
    path.write_text(f'''
[[provider]]
id = "chat-admin"
kind = "rocketchat"
server = "{server.origin}"
user_id = "{admin_id}"

[[provider]]
id = "team"
kind = "rocketchat"
server = "{server.origin}"
username = "newbie"
''')
    return path


def cli(path: pathlib.Path, *argv: str, answers: tuple[str, ...] = ()) -> tuple[int, str, str, list[str]]:
    """`portico rocketchat ...` parsed by the real parser; ``answers`` are typed at the prompts."""
    from desktop.cli import build_parser
    args = build_parser().parse_args(["rocketchat", *argv, "--config", str(path)])
    out, err = io.StringIO(), io.StringIO()
    queue, prompts = list(answers), []

    def ask(prompt: str) -> Secret:
        prompts.append(prompt)
        return Secret(queue.pop(0))
    code = rc_cmd.run(args, out=out, err=err, ask=ask)
    return code, out.getvalue(), err.getvalue(), prompts


def admin_with_pat(sim: RocketChatSimulator, bypass: bool) -> str:
    admin = sim.user("admin")
    credentials.set_secret("chat-admin", "token", Secret(sim.issue_pat(admin.id, "cli", bypass)))
    return admin.id


USER = ("create-user", "chat-admin", "--username", "newbie", "--name", "New Bie", "--email", "newbie@example.org")


def test_create_user_with_a_2fa_free_admin_token_and_store_the_password(sim, tmp_path):
    server, simulator = sim
    path = config(tmp_path, server, admin_with_pat(simulator, bypass=True))
    code, out, err, prompts = cli(path, *USER, "--store", "team", answers=("newbie-pass-1",))
    assert (code, err) == (0, "") and "Created newbie" in out and len(prompts) == 1
    user = simulator.user("newbie")
    assert user.check_password("newbie-pass-1") and user.name == "New Bie"
    assert credentials.get_secret("team", "password").reveal() == "newbie-pass-1"
    assert "newbie-pass-1" not in out + err
    # The same username again: Rocket.Chat's error, exit 1.
    code, out, err, _ = cli(path, *USER, answers=("x",))
    assert code == 1 and "already in use" in err


def test_create_user_answers_the_2fa_password_fallback(sim, tmp_path):
    server, simulator = sim
    path = config(tmp_path, server, admin_with_pat(simulator, bypass=False))
    code, out, err, prompts = cli(path, *USER, answers=("newbie-pass-2", "wrong admin password"))
    assert code == 1 and "two-factor answer was refused" in err and "totp-invalid" in err
    assert "admin's password" in prompts[1]
    code, out, err, prompts = cli(path, *USER, answers=("newbie-pass-2", ADMIN_PASSWORD))
    assert code == 0 and "Created newbie" in out
    assert hashlib.sha256(ADMIN_PASSWORD.encode()).hexdigest() not in out + err


@pytest.mark.parametrize("version", ["7.4.0", "8.1.0"])
def test_create_token_follows_the_server_version(sim, tmp_path, version):
    server, simulator = sim
    simulator.version = version
    path = config(tmp_path, server, admin_with_pat(simulator, bypass=True))
    target = simulator.add_user("newbie", "pw-newbie-3")
    # Not enabled on the server: the hint names what differs by version.
    code, out, err, _ = cli(path, "create-token", "chat-admin", "--username", "newbie", answers=("guess",))
    assert code == 1 and "not authorized" in err
    assert ("CREATE_TOKENS_FOR_USERS_SECRET" if version.startswith("8") else "CREATE_TOKENS_FOR_USERS=true") in err
    simulator.env = {"CREATE_TOKENS_FOR_USERS": "true", "CREATE_TOKENS_FOR_USERS_SECRET": "s3cret-env-value"}
    code, out, err, prompts = cli(path, "create-token", "chat-admin", "--username", "newbie",
                                  answers=("s3cret-env-value",))
    assert code == 0, err
    assert len(prompts) == (1 if version.startswith("8") else 0)
    uid, token = out.split()
    assert uid == target.id and simulator.tokens[hash_token(token)].user_id == target.id
    # --store puts it in the keyring instead of printing it.
    code, out, err, _ = cli(path, "create-token", "chat-admin", "--user-id", target.id, "--store", "team",
                            answers=("s3cret-env-value",))
    assert code == 0 and f'user_id = "{target.id}"' in out
    stored = credentials.get_secret("team", "token").reveal()
    assert stored not in out and simulator.tokens[hash_token(stored)].user_id == target.id


def test_config_and_keyring_problems(sim, tmp_path):
    server, simulator = sim
    path = config(tmp_path, server, simulator.user("admin").id)
    code, _, err, _ = cli(path, *USER, answers=("x",))
    assert code == 1 and "portico credentials set chat-admin token" in err  # no admin token stored yet
    code, _, err, _ = cli(path, "create-user", "nope", "--username", "a", "--name", "A", "--email", "a@b.c")
    assert code == 2 and "no provider 'nope'" in err
    code, _, err, _ = cli(path, "create-user", "team", "--username", "a", "--name", "A", "--email", "a@b.c")
    assert code == 2 and "has no user_id" in err
    credentials.set_secret("chat-admin", "token", Secret("not-a-valid-pat-000"))
    code, _, err, _ = cli(path, *USER, answers=("x",))
    assert code == 1 and "HTTP 401" in err and "not-a-valid-pat-000" not in err


def test_a_redirect_is_not_followed_with_the_admin_token(sim, tmp_path):
    """urllib's default opener would resend X-Auth-Token to the Location, whatever host it names."""
    server, simulator = sim
    admin_id = admin_with_pat(simulator, bypass=True)
    seen: list[dict[str, str]] = []

    def catcher(request: Request) -> Response:
        seen.append(dict(request.headers))
        return Response.json({"success": True, "user": {"_id": "x", "username": "newbie"}})

    with LoopbackServer(catcher, host="127.0.0.2") as other:
        def redirect(request: Request) -> Response:
            # 302: urllib turns the POST into a GET and follows it, headers and all.
            return Response(302, b"", "text/plain", {"Location": f"{other.origin}{request.path}"})

        with LoopbackServer(redirect) as moved:
            code, out, err, _ = cli(config(tmp_path, moved, admin_id), *USER, answers=("newbie-pass-3",))
    assert code == 1 and "redirect (HTTP 302 to http://127.0.0.2:" in err and "not sent on" in err
    assert seen == []
    with pytest.raises(KeyError):
        simulator.user("newbie")
