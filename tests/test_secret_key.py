"""The secret key without WIJKFONDS_SECRET_KEY: one persistent key in instance/, shared by every worker."""

from __future__ import annotations

import multiprocessing
import stat
from pathlib import Path

import pytest

from wijkfonds import create_app
from wijkfonds.config import instance_secret_key


@pytest.fixture()
def no_key_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIJKFONDS_SECRET_KEY", raising=False)
    monkeypatch.delenv("WIJKFONDS_ENV", raising=False)


def test_two_apps_without_a_key_share_one_key_in_a_private_file(
    no_key_env: None, tmp_path: Path, database_url: str
) -> None:
    key_file = tmp_path / "instance" / "secret_key"
    config = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY_FILE": key_file}
    first, second = create_app(dict(config)), create_app(dict(config))
    assert first.secret_key == second.secret_key and len(str(first.secret_key)) == 64
    assert key_file.read_text().strip() == first.secret_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in key_file.parent.iterdir()] == ["secret_key"]  # no temporary file left
    # What one worker signs (the session cookie, and with it the CSRF token), the other reads.
    signed = first.session_interface.get_signing_serializer(first).dumps({"csrf_token": "abc"})
    assert second.session_interface.get_signing_serializer(second).loads(signed) == {"csrf_token": "abc"}
    # A restart keeps the key: logins and forms survive it.
    assert create_app(dict(config)).secret_key == first.secret_key


def _read_key(path: str, barrier, results) -> None:  # runs in a child process
    barrier.wait()
    results.put(instance_secret_key(Path(path)))


def test_workers_starting_at_once_agree_on_the_key(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    n = 8
    barrier, results = ctx.Barrier(n), ctx.Queue()
    path = tmp_path / "secret_key"
    workers = [ctx.Process(target=_read_key, args=(str(path), barrier, results)) for _ in range(n)]
    for w in workers:
        w.start()
    keys = [results.get(timeout=30) for _ in range(n)]
    for w in workers:
        w.join(timeout=30)
    assert len(set(keys)) == 1 and keys[0] == path.read_text().strip()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_the_environment_key_wins_and_no_file_is_made(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str
) -> None:
    monkeypatch.setenv("WIJKFONDS_SECRET_KEY", "k" * 40)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY_FILE": tmp_path / "secret_key"})
    assert app.secret_key == "k" * 40 and not (tmp_path / "secret_key").exists()


def test_production_still_refuses_to_start_without_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str
) -> None:
    monkeypatch.setenv("WIJKFONDS_ENV", "production")
    monkeypatch.delenv("WIJKFONDS_SECRET_KEY", raising=False)
    monkeypatch.setenv("WIJKFONDS_DATABASE_URL", database_url)
    with pytest.raises(RuntimeError, match="WIJKFONDS_SECRET_KEY"):
        create_app({"SECRET_KEY_FILE": tmp_path / "secret_key"})
    assert not (tmp_path / "secret_key").exists()


def test_a_damaged_key_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    path.write_text("kort\n")
    with pytest.raises(RuntimeError, match="too short; delete the file"):
        instance_secret_key(path)
