"""Every page a role may open can be found by following links from that role's home page (issue 14, point 6).

A crawler signs in as each role, starts at the home page and follows the links of every page it reaches
(the header menu, the workspaces' own menus, the lists' rows), in English. Every GET route that the
permission table opens to that role (200) must turn up among the links; a page known only by its URL fails.
The crawl also fails on a link that leads to an error page.
"""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from tests.factories import make_client, sign_in
from tests.permissions.test_permission_table import TABLE, world  # noqa: F401 (a fixture)

# Routes nobody reaches by a link, and why.
NOT_LINKED = {
    "static": "a file the pages load, not a page",
    "health.healthz": "the load balancer's probe",
    "accounts.check_mail": "the answer to the registration form",
    "accounts.goodbye": "the answer to deleting one's account",
    "verify.certificate": "opened from a holder's share link or QR code, or by the verify form",
    "verify.printable": "linked from the certificate page reached by a share link",
    "badges.jwks": "machine-readable: found through the issuer document",
    "badges.status": "machine-readable: named inside each credential",
    "badges.credential": "machine-readable: downloaded from the holder's certificate page",
    "badges.issuer": "machine-readable: named inside each credential",
}
# The JSON API is for programs: its routes are documented on the API page (api_docs.index), which is linked.
NOT_LINKED_BLUEPRINTS = ("api",)
# The world's learner has an application waiting for review; the way to a new one returns once it is decided.
NOT_LINKED_FOR = {("learner", "onboarding.apply")}
ROLES = ("anonymous", "learner", "other_provider", "member", "owner", "staff", "admin")
MAX_PER_ENDPOINT = 2  # pages of one route fetched at most: a list's rows and filters repeat each other


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get" and attrs.get("action"):
            self.links.append(attrs["action"])


def crawl(app, client, start="/en/", per_endpoint=MAX_PER_ENDPOINT):
    """The endpoints linked from the pages reachable from `start`, the links that answered an error, and the
    HTML of each page fetched, by URL."""
    adapter = app.url_map.bind("localhost")
    reached, fetched, broken, pages = set(), {}, [], {}
    queue, seen = [start], {start}
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code >= 400:
            broken.append(f"{url}: {response.status_code}")
            continue
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        pages[url] = response.get_data(as_text=True)
        parser = _Links()
        parser.feed(pages[url])
        for href in parser.links:
            target = urlsplit(urljoin(url, href))
            if target.netloc not in ("", "localhost") or target.scheme not in ("", "http", "https"):
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if target.path.startswith("/ja/"):
                continue  # the same pages in the other language
            try:
                endpoint, _ = adapter.match(target.path, method="GET")
            except HTTPException:
                broken.append(f"{url} links to {path}: no such page")
                continue
            reached.add(endpoint)
            if path in seen or fetched.get(endpoint, 0) >= per_endpoint:
                continue
            seen.add(path)
            fetched[endpoint] = fetched.get(endpoint, 0) + 1
            queue.append(path)
    return reached, broken, pages


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_is_reachable_from_its_home(app, world, role):  # noqa: F811
    users, _ = world
    client = make_client(app)
    if role != "anonymous":
        sign_in(client, users[role])
    reached, broken, _ = crawl(app, client)
    expected = {endpoint for endpoint, entry in TABLE.items()
                if entry.method == "GET" and entry.expect[role] == 200 and endpoint not in NOT_LINKED
                and endpoint.split(".")[0] not in NOT_LINKED_BLUEPRINTS and (role, endpoint) not in NOT_LINKED_FOR
                and not hasattr(app.view_functions[endpoint], "api_scope")}
    assert not broken, f"{role}: links that lead nowhere: {broken}"
    assert not expected - reached, f"{role} cannot find these pages by following links: {sorted(expected - reached)}"
