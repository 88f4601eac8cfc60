"""The production static files storage: each address worked out once, from the manifest."""

import json

import pytest

from workbook.static_storage import StaticFilesStorage


@pytest.fixture
def collected(tmp_path, settings):
    settings.DEBUG = False
    settings.STATIC_ROOT = str(tmp_path)
    settings.STATIC_URL = "/static/"
    manifest = {"version": "1.1", "paths": {"css/app.css": "css/app.0123abcd.css"}, "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return tmp_path


def test_an_address_is_the_manifests_and_is_worked_out_once(collected, monkeypatch):
    storage = StaticFilesStorage(location=str(collected), base_url="/static/")
    assert storage.url("css/app.css") == "/static/css/app.0123abcd.css"
    # The manifest's entry is not read again: the kept address answers.
    monkeypatch.setattr(storage, "hashed_files", {})
    assert storage.url("css/app.css") == "/static/css/app.0123abcd.css"


def test_a_file_missing_from_the_manifest_is_refused_every_time(collected):
    storage = StaticFilesStorage(location=str(collected), base_url="/static/")
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
