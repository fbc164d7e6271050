"""The provider filter lists the providers with most matches, not hundreds."""
import re

from app.catalog.routes import PROVIDER_OPTIONS
from tests.factories import make_course, make_provider


def test_provider_select_is_capped_and_keeps_the_busiest(client):
    busy = make_provider(name_en="Busy Academy")
    for _ in range(3):
        make_course(provider=busy)
    for _ in range(PROVIDER_OPTIONS + 5):
        make_course()
    html = client.get("/en/courses").get_data(as_text=True)
    select = html[html.index('id="f-provider"'):]
    select = select[: select.index("</select>")]
    options = re.findall(r'<option value="(\d+)"', select)
    assert len(options) == PROVIDER_OPTIONS
    assert str(busy.id) in options
    assert "Busy Academy (3)" in select
