import json
from datetime import UTC, datetime
from http import HTTPStatus

import time_machine

from tests.factories import OutOfOfficeFactory
from tests.ooo.conftest import assert_links_resolve


def test_audits_after_create_update_delete_newest_first(huddle, member):
    client = huddle(member)
    with time_machine.travel(datetime(2022, 4, 19, 16, 30, 29, tzinfo=UTC), tick=False):
        created = client.post(
            "/presence/create",
            {"isActive": True, "startDate": "2022-04-19T16:30:29+00:00", "message": "ooo"},
            format="json",
        )
    href = created["Content-Location"]
    presence_id = int(href.rsplit("/", 1)[1])
    with time_machine.travel(datetime(2022, 4, 20, 9, 0, tzinfo=UTC), tick=False):
        client.put(
            href,
            {"isActive": True, "startDate": "2022-04-19T16:30:29+00:00", "message": "back soon"},
            format="json",
        )
    with time_machine.travel(datetime(2022, 4, 21, 9, 0, tzinfo=UTC), tick=False):
        client.delete(href)

    response = client.get(f"/presence/{member.pk}/audits")

    assert response.status_code == HTTPStatus.OK
    body = response.json()
    assert body["links"] == [
        {"rel": "self", "href": f"http://testserver/presence/{member.pk}/audits"},
        {"rel": "parent", "href": f"http://testserver/users/{member.pk}"},
        {"rel": "first", "href": f"http://testserver/presence/{member.pk}/audits?page=1"},
    ]
    assert_links_resolve(client, body["links"])
    assert [(a["auditType"], a["timeStamp"]) for a in body["audits"]] == [
        ("delete", "2022-04-21T09:00:00+00:00"),
        ("update", "2022-04-20T09:00:00+00:00"),
        ("create", "2022-04-19T16:30:29+00:00"),
    ]
    contexts = [json.loads(a["context"]) for a in body["audits"]]
    assert contexts == [
        {"id": presence_id, "changedBy": member.pk},
        {
            "id": presence_id,
            "changes": {"message": {"old": "ooo", "new": "back soon"}},
            "changedBy": member.pk,
        },
        {
            "id": presence_id,
            "isActive": True,
            "startDate": "2022-04-19T16:30:29+00:00",
            "endDate": None,
            "message": "ooo",
            "changedBy": member.pk,
        },
    ]


def test_an_identical_update_leaves_no_audit_entry(huddle, member):
    client = huddle(member)
    created = client.post("/presence/create", {"isActive": True}, format="json")

    client.put(created["Content-Location"], {"isActive": True}, format="json")

    audits = client.get(f"/presence/{member.pk}/audits").json()["audits"]
    assert [a["auditType"] for a in audits] == ["create"]


def test_admin_reads_audits_and_is_named_as_the_one_who_changed(huddle, admin, member):
    presence = OutOfOfficeFactory(user=member)
    huddle(admin).put(f"/presence/{member.pk}/{presence.pk}", {"isActive": False}, format="json")

    response = huddle(admin).get(f"/presence/{member.pk}/audits")

    assert response.status_code == HTTPStatus.OK
    update = json.loads(response.json()["audits"][0]["context"])
    assert update["changedBy"] == admin.pk
    assert update["changes"]["isActive"] == {"old": True, "new": False}
    assert update["changes"]["message"] == {"old": "out of office", "new": ""}


def test_audits_page_and_diff_each_update_against_its_own_predecessor(
    huddle, member, django_assert_num_queries
):
    client = huddle(member)
    href = client.post("/presence/create", {"isActive": True, "message": "m0"}, format="json")[
        "Content-Location"
    ]
    for n in range(1, 6):
        client.put(href, {"isActive": True, "message": f"m{n}"}, format="json")

    with django_assert_num_queries(5):  # key, user, count, page, all predecessors at once
        first = client.get(f"/presence/{member.pk}/audits?pageSize=2")
    pages = [first.json()]
    while next_link := [x for x in pages[-1]["links"] if x["rel"] == "next"]:
        pages.append(client.get(next_link[0]["href"]).json())

    changes = [
        json.loads(a["context"]).get("changes", {}).get("message")
        for page in pages
        for a in page["audits"]
    ]
    assert changes == [{"old": f"m{n - 1}", "new": f"m{n}"} for n in range(5, 0, -1)] + [None]
    assert [[x["rel"] for x in page["links"]] for page in pages] == [
        ["self", "parent", "first", "next"],
        ["self", "parent", "first", "previous", "next"],
        ["self", "parent", "first", "previous"],
    ]


def test_audits_of_other_users_presences_are_not_included(huddle, member, other_member):
    OutOfOfficeFactory(user=other_member)

    response = huddle(member).get(f"/presence/{member.pk}/audits")

    assert response.json()["audits"] == []
