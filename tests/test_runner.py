"""`make test` on a machine without a running PostgreSQL (tests/run.py)."""

from tests import run


def test_without_a_server_or_its_binaries_it_names_the_package_to_install(monkeypatch, capsys):
    monkeypatch.setattr(run, "answers", lambda url: False)
    monkeypatch.setattr(run, "server_binaries", lambda: None)
    assert run.main(["-q"]) == 2
    assert "install the 'postgresql' package" in capsys.readouterr().err


def test_a_reachable_server_is_used_as_it_is(monkeypatch):
    started = []
    monkeypatch.setattr(run, "answers", lambda url: True)
    monkeypatch.setattr(run, "throwaway_server", lambda binaries: started.append(binaries))
    monkeypatch.setattr(
        run.subprocess, "run", lambda command, env: type("Done", (), {"returncode": 0})()
    )
    assert run.main(["-q"]) == 0
    assert started == []


def test_the_server_binaries_are_found_where_debian_installs_them():
    binaries = run.server_binaries()
    assert binaries is not None and (binaries / "pg_ctl").exists()
