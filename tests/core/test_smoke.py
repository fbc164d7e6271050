from tests.factories import make_course


def test_catalogue_lists_a_published_course(client):
    course = make_course(title_en="Black mass recycling", title_ja="ブラックマスのリサイクル", skills=("recycling",))
    response = client.get("/en/courses?q=black")
    assert response.status_code == 200
    assert f"/en/courses/{course.id}" in response.get_data(as_text=True)
