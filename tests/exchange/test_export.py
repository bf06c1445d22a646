"""The bulk export of a province: asked for from the page by the province's staff (or the admin),
built by the task after commit, one JSON Lines file per kind with the API's shapes, logged, and
downloadable only within jurisdiction."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from areas.models import Role
from exchange import services
from exchange.models import BulkExport, ExportStatus
from exchange.selectors import KINDS
from subjects.models import AccessAction, AccessLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _read(export: BulkExport) -> dict[str, list[dict]]:
    with export.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    return {
        name.removesuffix(".jsonl"): [json.loads(line) for line in text.splitlines()]
        for name, text in files.items()
        if name.endswith(".jsonl")
    } | {"manifest": [json.loads(files["manifest.json"])]}


def _request(login, user, province, personal=False, captured=None):
    client = login(user)
    data = {"province": province.pk, **({"personal_data": "on"} if personal else {})}
    return client.post(reverse("exchange:exports"), data)


def test_province_staff_ask_and_the_task_runs_after_commit(
    world, tree, people, login, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _request(login, people.province, tree.lai_chau)
    assert response.status_code == 302
    export = BulkExport.objects.get()
    assert export.status == ExportStatus.QUEUED and len(callbacks) == 1
    assert AccessLog.objects.filter(
        action=AccessAction.EXPORT, object_type="bulk_export", object_id=export.pk
    ).exists()
    services.build_export(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.size > 0 and len(export.sha256) == 64


def test_the_export_holds_every_kind_of_the_province_and_nothing_else(world, tree, people, rf):
    request = rf.post("/")
    request.user = people.province
    export = services.request_export(request=request, province=tree.lai_chau)
    export = services.build_export(export_id=export.pk)
    content = _read(export)
    assert set(content) == set(KINDS) | {"manifest"}
    assert export.counts == {name: len(content[name]) for name in KINDS}
    assert {p["id"] for p in content["persons"]} == {p.pk for p in world.lai_chau_persons}
    assert [d["id"] for d in content["decisions"]] == [world.lc_decision.pk]
    assert [d["id"] for d in content["dossiers"]] == [world.lc_dossier.pk]
    units = {u["id"] for u in content["units"]}
    assert tree.lai_chau.pk in units and tree.hai_phong.pk not in units and tree.trai_mua.pk not in units
    hai_phong_people = {p.pk for p in world.hai_phong_persons}
    for kind in ("management-files", "treatments", "drug-tests"):
        assert len(content[kind]) == 5
        assert not {r["person_id"] for r in content[kind]} & hai_phong_people
    # without the flag no personal field is filled
    for item in content["persons"]:
        assert item["full_name"] is None and item["cccd"] is None and item["birth_date"] is None


def test_personal_export_masks_the_cccd_as_the_pages_do(world, tree, people, rf):
    request = rf.post("/")
    request.user = people.province
    export = services.build_export(
        export_id=services.request_export(request=request, province=tree.lai_chau, personal_data=True).pk
    )
    persons = {p["id"]: p for p in _read(export)["persons"]}
    first = world.lai_chau_persons[0]
    assert persons[first.pk]["full_name"] == first.full_name
    assert persons[first.pk]["cccd"] == first.masked_cccd != first.cccd


def test_export_lines_have_the_api_shapes(world, tree, people, rf, tokens, call):
    request = rf.post("/")
    request.user = people.province
    content = _read(
        services.build_export(export_id=services.request_export(request=request, province=tree.lai_chau).pk)
    )
    _token, secret = tokens.lai_chau
    for name in KINDS:
        api_items = {i["id"]: i for i in call(secret, f"/{name}", limit=500).json()["items"]}
        exported = {i["id"]: i for i in content[name]}
        assert exported.keys() == api_items.keys()
        for pk, item in api_items.items():
            assert exported[pk] == item, name


def test_a_second_build_leaves_one_file(world, tree, people, rf):
    request = rf.post("/")
    request.user = people.province
    export = services.request_export(request=request, province=tree.lai_chau)
    first = services.build_export(export_id=export.pk)
    BulkExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING)
    second = services.build_export(export_id=export.pk)
    assert second.file.name == first.file.name
    folder = Path(second.file.path).parent
    assert [p.name for p in folder.iterdir()] == [Path(second.file.name).name]


def test_download_only_within_jurisdiction_and_logged(world, tree, people, rf, login):
    request = rf.post("/")
    request.user = people.province
    export = services.build_export(
        export_id=services.request_export(request=request, province=tree.lai_chau).pk
    )
    url = reverse("exchange:export_download", args=[export.pk])
    assert login(people.city_police).get(url).status_code == 404  # Hải Phòng's police
    assert login(people.commune_police).get(url).status_code == 404  # the province is above the commune
    chair = UserFactory(
        username="ct_lc", role=Role.DECIDING_CHAIR, area=tree.lai_chau, body=tree.bodies.lai_chau_committee
    )
    assert login(chair).get(url).status_code == 403  # the province is in reach, but not the export
    before = AccessLog.objects.filter(action=AccessAction.EXPORT).count()
    response = login(people.province).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == before + 1


def test_who_may_ask(world, tree, people, login):
    assert login(people.commune_police).get(reverse("exchange:exports")).status_code == 403
    assert login(people.district_police).get(reverse("exchange:exports")).status_code == 403
    assert login(people.city_police).get(reverse("exchange:exports")).status_code == 200
    # another province is not in the form's choices: refused with a Vietnamese message
    response = _request(login, people.city_police, tree.lai_chau)
    assert response.status_code == 400
    assert "Chọn tỉnh, thành phố trong danh sách" in response.content.decode()
    assert not BulkExport.objects.exists()


def test_the_page_lists_only_the_users_province(
    world, tree, people, rf, login, django_assert_max_num_queries
):
    for user, province in ((people.province, tree.lai_chau), (people.city_police, tree.hai_phong)):
        request = rf.post("/")
        request.user = user
        for _ in range(3):
            services.request_export(request=request, province=province)
    client = login(people.city_police)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("exchange:exports")).content.decode()
    assert page.count("Thành phố Hải Phòng") >= 3 and "Tỉnh Lai Châu" not in page


def test_records_are_written_chunk_by_chunk(world, tree, monkeypatch):
    """Streaming: the rows come in chunks (their statuses fetched per chunk), never all at once."""
    import io as _io

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exchange.principal import ScopedPrincipal
    from exchange.shapes import NO_GRANT

    monkeypatch.setattr(services, "CHUNK", 2)
    handle = _io.BytesIO()
    with CaptureQueriesContext(connection) as queries:
        written = services.write_kind(handle, KINDS["persons"], ScopedPrincipal(tree.lai_chau), NO_GRANT)
    assert written == 5 and handle.getvalue().count(b"\n") == 5
    status_fetches = [
        q
        for q in queries.captured_queries
        if 'FROM "subjects_personstatus"' in q["sql"] and "IN (" in q["sql"]
    ]
    assert len(status_fetches) == 3  # 2 + 2 + 1 persons
