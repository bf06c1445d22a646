"""A token of one province reads nothing of another: every endpoint of the served schema is
called (none listed by hand), lists with both provinces' tokens, and each record endpoint with
the ids the other province's token sees."""

from __future__ import annotations

import pytest

from areas.models import Area, AreaSuccession
from exchange.api import api
from exchange.principal import ScopedPrincipal
from subjects.models import DrugTest, ManagementFile, Person, PersonStatus, Treatment

pytestmark = pytest.mark.django_db


def _schema_paths(client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    paths = [p.removeprefix("/api/v1") for p, ops in schema["paths"].items() if "get" in ops]
    assert len(paths) == len(api.get_openapi_schema()["paths"])
    return paths


def _ids(body) -> set[tuple[str, int]]:
    """Every (field, id) pair in a list answer: record ids and the unit ids they point at."""
    found = set()
    for item in body["items"]:
        for key in ("id", "unit_id", "village_id", "area_id", "commune_id", "person_id", "dossier_id"):
            if item.get(key) is not None:
                found.add((key, item[key]))
    return found


def _list_all(call, secret, path):
    params = {"as_of": "2025-06-30"} if path == "/scores" else {}
    seen, cursor = set(), None
    while True:
        response = call(secret, path, **params, **({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200, (path, response.content)
        body = response.json()
        seen |= _ids(body)
        cursor = body["next_cursor"]
        if cursor is None:
            return seen


def test_no_endpoint_gives_one_province_anything_of_another(world, tokens, call, client):
    paths = _schema_paths(client)
    lists = [p for p in paths if "{" not in p]
    records = [p for p in paths if "{" in p]
    assert lists and records
    secrets = {"lai_chau": tokens.lai_chau[1], "hai_phong": tokens.hai_phong[1]}
    seen = {name: {path: _list_all(call, secret, path) for path in lists} for name, secret in secrets.items()}
    for path in lists:
        mine, theirs = seen["lai_chau"][path], seen["hai_phong"][path]
        assert mine and theirs, f"{path}: the test data must give both provinces something"
        # an id of another kind may coincide (person 3 and village 3): compare kind by kind
        assert not mine & theirs, f"{path} shows one province records of the other: {mine & theirs}"
    for path in records:
        # "/decisions/{decision_id}/pdf" reads one record of the list "/decisions"
        listing = "/" + path.strip("/").split("/")[0]
        assert listing in lists, f"{path} has no list endpoint to take ids from"
        for name, other in (("lai_chau", "hai_phong"), ("hai_phong", "lai_chau")):
            foreign = [i for key, i in seen[other][listing] if key == "id"]
            own = [i for key, i in seen[name][listing] if key == "id"]
            assert foreign and own
            for pk in foreign:
                url = path.split("{")[0] + str(pk) + path.split("}")[1]
                assert call(secrets[name], url).status_code == 404, url
            for pk in own:
                url = path.split("{")[0] + str(pk) + path.split("}")[1]
                assert call(secrets[name], url).status_code == 200, url


@pytest.mark.parametrize("model", [Area, Person, PersonStatus, ManagementFile, Treatment, DrugTest])
def test_scoped_principal_sees_what_a_user_of_the_unit_sees(world, tree, people, model):
    # a merged commune: Mường So closed into Hoang Thèn; a Hoang Thèn user and principal both see it
    AreaSuccession.objects.create(
        predecessor=tree.muong_so, successor=tree.hoang_then, effective_on="2025-07-01"
    )
    for user, area in (
        (people.commune_police, tree.hoang_then),
        (people.province, tree.lai_chau),
        (people.tanan_police, tree.tan_an),
    ):
        expected = set(model.objects.visible_to(user).values_list("pk", flat=True))
        got = set(model.objects.visible_to(ScopedPrincipal(area)).values_list("pk", flat=True))
        assert got == expected and got
