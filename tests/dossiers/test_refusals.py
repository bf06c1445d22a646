"""A refused step says why, even when the step's own form is no longer on the page."""

from __future__ import annotations

from django.urls import reverse

from dossiers.route import Move, State


def test_a_step_taken_twice_is_refused_with_its_reason(walk, tree, login, people):
    dossier = walk.to(walk.register(tree.ta_leng), State.SUBMITTED)
    response = login(people.commune_police).post(
        reverse("dossiers:move", args=[dossier.pk, Move.SUBMIT]),
        {"submit-comment": "Trình lần hai", "submit-kind": "other"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa thực hiện được thao tác" in page
    assert "Có thể thao tác này vừa được thực hiện" in page
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED and dossier.events.count() == 2
