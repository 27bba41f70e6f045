"""The JSON API: list shape, detail, errors as JSON."""

from __future__ import annotations


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.") and "/professions" in doc["paths"]


def test_professions_list_shape_and_paging(seeded_client):
    body = seeded_client.get("/api/v1/professions?limit=5&offset=5").json
    assert set(body) == {"items", "total", "limit", "offset"}
    assert (body["limit"], body["offset"], len(body["items"])) == (5, 5, 5)
    assert body["total"] >= 200
    assert {"slug", "title", "demand", "riasec"} <= set(body["items"][0])


def test_professions_filter_by_sphere_and_query(seeded_client):
    body = seeded_client.get("/api/v1/professions?sphere=food&limit=100").json
    assert body["total"] >= 5 and all(i["sphere"] == "food" for i in body["items"])
    body = seeded_client.get("/api/v1/professions?q=токар").json
    assert any(i["slug"] == "tokar" for i in body["items"])


def test_profession_detail_and_404(seeded_client):
    body = seeded_client.get("/api/v1/professions/tokar").json
    assert body["title"] == "Токарь" and body["education"]
    missing = seeded_client.get("/api/v1/professions/nope")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"


def test_bad_paging_is_a_422_naming_the_fields(client):
    for query in ("limit=0", "limit=abc", "offset=-1", "limit=1000"):
        response = client.get(f"/api/v1/professions?{query}")
        assert response.status_code == 422
        assert response.json["error"]["code"] == "invalid_paging"


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json["error"]["message"]


def test_bad_token_is_401_json(client):
    response = client.get("/api/v1/classes", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"


def test_tours_and_vacancies_lists(seeded_client):
    body = seeded_client.get("/api/v1/tours?limit=5").json
    assert set(body) == {"items", "total", "limit", "offset"} and body["total"] >= 90
    tour = body["items"][0]
    assert {"id", "title", "enterprise", "ages", "group", "adults_per_students"} <= set(tour)
    one = seeded_client.get("/api/v1/tours?enterprise=rusklimat-iksel&limit=100").json
    assert one["total"] >= 1
    assert all(t["enterprise"]["slug"] == "rusklimat-iksel" for t in one["items"])
    offers = seeded_client.get("/api/v1/vacancies").json
    assert set(offers) == {"items", "total", "limit", "offset"}
    assert seeded_client.get("/api/v1/tours?offset=-1").status_code == 422
