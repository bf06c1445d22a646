"""The services of the route: registration, frozen scorecards, appraisal, notifications, documents,
the watch after recognition."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dossiers import services, tasks
from dossiers.models import DocumentKind, DossierDocument, Notification, WatchAlert
from dossiers.route import Move, State
from dossiers.services import MoveRefused
from tests.factories import (
    DrugPointFactory,
    ManagementFileFactory,
    PersonFactory,
    PersonStatusFactory,
    TreatmentFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def test_registration_freezes_the_register_counts_of_the_day(walk, tree):
    addict = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(person=addict, kind="addict")
    PersonStatusFactory(person=addict, kind="user")
    PersonStatusFactory(person=PersonFactory(village=tree.ta_leng), kind="user")
    PersonStatusFactory(person=PersonFactory(village=tree.ho_sao), kind="addict")  # another village
    ended = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(
        person=ended, kind="addict", start_date=dt.date(2020, 1, 1), end_date=dt.date(2021, 1, 1)
    )
    DrugPointFactory(village=tree.ta_leng)
    DrugPointFactory(village=tree.ta_leng, eliminated_on=dt.date(2024, 1, 1))

    registration = walk.register(tree.ta_leng).registration

    assert registration.baseline_addicts == 1
    assert registration.baseline_users == 2
    assert registration.baseline_addicts_or_users == 2
    assert registration.baseline_points == 1
    PersonStatusFactory(person=PersonFactory(village=tree.ta_leng), kind="addict")
    registration.refresh_from_db()
    assert registration.baseline_addicts == 1


def test_a_commune_registration_counts_all_its_villages(walk, tree):
    PersonStatusFactory(person=PersonFactory(village=tree.ta_leng), kind="addict")
    PersonStatusFactory(person=PersonFactory(village=tree.ho_sao), kind="addict")
    assert walk.register(tree.hoang_then).registration.baseline_addicts == 2


def test_a_unit_cannot_have_two_open_dossiers(walk, tree):
    walk.register(tree.ta_leng)
    with pytest.raises(MoveRefused, match="đã có hồ sơ"):
        walk.register(tree.ta_leng)


def test_only_commune_police_register_and_only_in_their_commune(walk, people, tree):
    with pytest.raises(MoveRefused):
        walk.register(tree.ta_leng, user=people.commune_chair)
    with pytest.raises(MoveRefused):
        walk.register(tree.co_muong, user=people.commune_police)


def test_the_submission_scorecard_is_frozen_and_never_changes_when_registers_change(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.SUBMITTED)
    frozen = dict(dossier.submission_scorecard)
    assert frozen["passed"] is True
    assert dossier.events.get(move=Move.SUBMIT).scorecard == frozen

    DrugPointFactory(village=tree.ta_leng, found_on=timezone.localdate() - dt.timedelta(days=1))
    dossier = walk.step(dossier, Move.FORWARD, people.commune_chair)
    dossier.refresh_from_db()
    assert dossier.submission_scorecard == frozen
    assert dossier.events.get(move=Move.SUBMIT).scorecard == frozen


def test_the_appraisal_freezes_its_own_scorecard(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    assert dossier.appraisal_scorecard is None
    dossier = walk.step(dossier, Move.APPRAISE_PASS, people.district_police)
    assert dossier.appraisal_scorecard["passed"] is True
    assert dossier.events.get(move=Move.APPRAISE_PASS).scorecard == dossier.appraisal_scorecard


def test_appraisal_cannot_conclude_pass_while_a_criterion_fails(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    DrugPointFactory(village=tree.ta_leng, found_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(MoveRefused, match="Tiêu chí số 1"):
        walk.step(dossier, Move.APPRAISE_PASS, people.district_police)
    dossier.refresh_from_db()
    assert dossier.state == State.UNDER_APPRAISAL


def test_the_appraiser_overrules_a_computed_result_only_with_a_reason(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    DrugPointFactory(village=tree.ta_leng, found_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.record_finding(dossier_id=dossier.pk, user=people.district_police, number=1, status="met")
    finding = services.record_finding(
        dossier_id=dossier.pk,
        user=people.district_police,
        number=1,
        status="met",
        reason="Điểm đã bị triệt xóa, kiểm tra thực tế ngày hôm nay; sổ chưa cập nhật.",
    )
    assert finding.overruled and finding.computed_status == "not_met"
    dossier = walk.step(dossier, Move.APPRAISE_PASS, people.district_police)
    assert dossier.state == State.APPRAISED_PASS


def test_only_the_appraising_police_record_findings(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.UNDER_APPRAISAL)
    for user in (people.commune_police, people.labour, people.city_police):
        with pytest.raises(MoveRefused):
            services.record_finding(dossier_id=dossier.pk, user=user, number=1, status="met")


def test_co_appraising_departments_give_opinions_only_under_appraisal(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.FORWARDED)
    with pytest.raises(MoveRefused):
        services.add_opinion(dossier_id=dossier.pk, user=people.labour, agrees=True, text="Thống nhất")
    dossier = walk.step(dossier, Move.ACCEPT, people.district_police)
    services.add_opinion(dossier_id=dossier.pk, user=people.labour, agrees=True, text="Thống nhất")
    services.add_opinion(
        dossier_id=dossier.pk, user=people.health, agrees=False, text="Cần xét nghiệm bổ sung"
    )
    assert [o.body for o in dossier.opinions.all()] == [tree.bodies.labour, tree.bodies.health]
    with pytest.raises(MoveRefused):
        services.add_opinion(dossier_id=dossier.pk, user=people.district_police, agrees=True, text="x")


def test_a_dossier_reaching_someone_or_coming_back_notifies_them(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.SUBMITTED)
    assert Notification.objects.filter(user=people.commune_chair, dossier=dossier).count() == 1
    assert not Notification.objects.filter(user=people.district_police).exists()
    dossier = walk.to(dossier, State.UNDER_APPRAISAL)
    walk.step(dossier, Move.REQUEST_SUPPLEMENT, people.district_police, comment="Thiếu biên bản họp xét")
    back = Notification.objects.filter(user=people.commune_police, dossier=dossier).first()
    # The notification names the move, the dossier, who and why.
    assert back.text == (
        "Hồ sơ Bản Tả Lèng bị trả lại, yêu cầu bổ sung (Công an huyện Phong Thổ). "
        "Lý do: Thiếu biên bản họp xét"
    )
    assert not Notification.objects.filter(user=people.other_police).exists()


def test_files_travel_with_a_move_and_bad_files_are_refused_before_anything_changes(walk, people, tree):
    dossier = walk.register(tree.ta_leng)
    bad = SimpleUploadedFile("to-trinh.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="PDF, JPEG hoặc PNG"):
        services.move(
            dossier_id=dossier.pk,
            move=Move.SUBMIT,
            user=people.commune_police,
            files=[(DocumentKind.PROPOSAL, bad)],
        )
    dossier.refresh_from_db()
    assert dossier.state == State.DRAFT and not DossierDocument.objects.exists()
    good = SimpleUploadedFile("to-trinh.pdf", PDF, content_type="application/pdf")
    photo = SimpleUploadedFile("bang.png", PNG, content_type="image/png")
    services.move(
        dossier_id=dossier.pk,
        move=Move.SUBMIT,
        user=people.commune_police,
        files=[(DocumentKind.PROPOSAL, good), (DocumentKind.EVIDENCE, photo)],
    )
    event = dossier.events.get(move=Move.SUBMIT)
    assert sorted(d.content_type for d in event.documents.all()) == ["application/pdf", "image/png"]


def test_uploads_over_the_size_limit_are_refused(walk, people, tree, monkeypatch):
    monkeypatch.setattr("dossiers.uploads.MAX_UPLOAD_BYTES", 100)
    dossier = walk.register(tree.ta_leng)
    big = SimpleUploadedFile("bao-cao.pdf", PDF + b"0" * 200, content_type="application/pdf")
    with pytest.raises(ValidationError, match="lớn hơn"):
        services.add_document(
            dossier_id=dossier.pk, user=people.commune_police, kind=DocumentKind.REPORT, upload=big
        )


def test_a_move_that_fails_after_storing_its_files_leaves_no_file_behind(
    walk, people, tree, settings, monkeypatch
):
    dossier = walk.register(tree.ta_leng)

    def broken_notify(*args, **kwargs):
        raise RuntimeError("mất kết nối cơ sở dữ liệu")

    monkeypatch.setattr(services, "_notify_move", broken_notify)
    good = SimpleUploadedFile("to-trinh.pdf", PDF, content_type="application/pdf")
    with pytest.raises(RuntimeError):
        services.move(
            dossier_id=dossier.pk,
            move=Move.SUBMIT,
            user=people.commune_police,
            files=[(DocumentKind.PROPOSAL, good)],
        )
    dossier.refresh_from_db()
    assert dossier.state == State.DRAFT and not DossierDocument.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_documents_are_added_only_by_someone_with_a_step_to_take(walk, people, tree):
    dossier = walk.register(tree.ta_leng)
    upload = SimpleUploadedFile("minh-chung.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20, content_type="image/jpeg")
    services.add_document(
        dossier_id=dossier.pk, user=people.commune_police, kind=DocumentKind.EVIDENCE, upload=upload
    )
    for user in (people.commune_chair, people.district_police, people.other_police):
        with pytest.raises(MoveRefused):
            services.add_document(dossier_id=dossier.pk, user=user, kind=DocumentKind.EVIDENCE, upload=upload)


def test_the_watch_closes_an_alert_once_the_unit_meets_every_criterion_again(walk, people, tree):
    dossier = walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    addict = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(person=addict, kind="addict", start_date=timezone.localdate() - dt.timedelta(days=2))
    assert tasks.watch_recognised_units() == 1

    ManagementFileFactory(person=addict, opened_on=timezone.localdate() - dt.timedelta(days=1))
    TreatmentFactory(person=addict, start_date=timezone.localdate() - dt.timedelta(days=1))
    assert tasks.watch_recognised_units() == 0
    alert = WatchAlert.objects.get(dossier=dossier)
    assert alert.resolved_on == timezone.localdate()
    assert Notification.objects.filter(
        user=people.district_police, dossier=dossier, text__contains="đạt lại"
    ).exists()
    dossier.refresh_from_db()
    assert dossier.state == State.RECOGNISED


def test_the_watch_alerts_commune_and_appraisers_when_a_recognised_unit_breaks_a_criterion(
    walk, people, tree
):
    dossier = walk.to(walk.register(tree.ta_leng), State.RECOGNISED)
    assert tasks.watch_recognised_units() == 0

    addict = PersonFactory(village=tree.ta_leng)
    PersonStatusFactory(person=addict, kind="addict", start_date=timezone.localdate() - dt.timedelta(days=2))
    assert tasks.watch_recognised_units() == 1
    alert = WatchAlert.objects.get(dossier=dossier)
    assert "Tiêu chí 3" in alert.broken
    for user in (people.commune_police, people.commune_chair, people.district_police):
        assert Notification.objects.filter(
            user=user, dossier=dossier, text__contains="không còn đạt"
        ).exists()
    assert tasks.watch_recognised_units() == 0  # one alert until it is resolved

    ManagementFileFactory(person=addict, opened_on=timezone.localdate() - dt.timedelta(days=1))
    proposed = walk.step(
        dossier,
        Move.PROPOSE_REVOCATION,
        people.district_police,
        comment="Phát hiện người nghiện mới chưa quản lý",
        files=[(DocumentKind.EVIDENCE, SimpleUploadedFile("bien-ban-kiem-tra.pdf", PDF))],
    )
    assert proposed.state == State.REVOCATION_PROPOSED
    assert proposed.events.get(move=Move.PROPOSE_REVOCATION).comment.startswith("Phát hiện")
