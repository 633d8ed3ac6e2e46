from http import HTTPStatus


def test_moco_users_list_answers_with_paging_headers(api_client, admin, member):
    response = api_client(admin, "moco").get("/api/v1/users")
    assert response.status_code == HTTPStatus.OK
    assert response["X-Total"] == "2"
    assert [u["id"] for u in response.json()] == [admin.id, member.id]
