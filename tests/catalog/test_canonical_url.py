"""The filter form sends empty fields; the catalogue answers with the short address."""
from urllib.parse import parse_qs, urlsplit

from tests.factories import make_course


def test_empty_fields_redirect_to_the_short_address(client):
    make_course(skills=("recycling",))
    response = client.get("/ja/courses?q=&skill=recycling&kind=&mode=&language=ja&level=&from=&sort=soonest")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/ja/courses"
    assert parse_qs(target.query) == {"skill": ["recycling"], "language": ["ja"]}
    assert client.get(response.headers["Location"]).status_code == 200


def test_a_short_address_is_answered_directly(client):
    assert client.get("/en/courses?skill=recycling").status_code == 200
