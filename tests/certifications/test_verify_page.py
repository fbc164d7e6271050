"""The public verification page: every fact, the status in plain words, nothing private, noindex; one 404
for unknown, private and malformed ids; the lookup form; the rate limit."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.accounts.models import AccountStatus
from app.certifications import services
from tests.certifications.holder_fixtures import (
    TITLE_EN,
    TITLE_JA,
    client,  # noqa: F401  (an address of its own)
    make_certificate,
    make_holder,
)
from tests.factories import make_client, make_user, sign_in


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_valid_certificate_shows_every_fact_in_english(client):
    cert = make_certificate(expires_at=datetime.now(UTC) + timedelta(days=400))
    response = client.get(f"/en/verify/{cert.public_id}")
    assert response.status_code == 200
    page = text_of(response)
    assert 'data-state="valid"' in page and "Valid until" in page
    for fact in ("Yamada Hanako", TITLE_EN, TITLE_JA, "Kansai Battery Academy", "関西電池アカデミー",
                 "10 Mar 2026, 17:00–next day 01:00", "Japan Standard Time", "8 hours", "Safety (high voltage",
                 "安全(高電圧", "Completion", cert.public_id, "Osaka, Japan"):
        assert fact in page, fact
    assert re.search(r"<dt>EQF level</dt><dd>4</dd>", page)
    assert '<span lang="ja">リチウムイオン電池の安全な取扱い</span>' in page


def test_valid_certificate_in_japanese(client):
    cert = make_certificate()
    page = text_of(client.get(f"/ja/verify/{cert.public_id}"))
    assert 'data-state="valid"' in page
    assert "山田花子" in page and TITLE_JA in page and TITLE_EN in page
    assert "2026年3月10日" in page and "日本標準時" in page
    assert '<html lang="ja">' in page


@pytest.mark.parametrize("lang, since", [("en", "Expired since"), ("ja", "年")])
def test_expired_certificate_says_since_when(client, lang, since):
    ended = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)
    cert = make_certificate(issued_at=ended - timedelta(days=700), expires_at=ended)
    page = text_of(client.get(f"/{lang}/verify/{cert.public_id}"))
    assert 'data-state="expired"' in page and since in page
    assert ("15 Jan 2026" if lang == "en" else "2026年1月15日") in page


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_revoked_certificate_says_when_and_why(client, lang):
    cert = make_certificate()
    services.revoke(cert, "Assessment irregularity", make_user(), now=datetime(2026, 5, 2, 12, tzinfo=UTC))
    page = text_of(client.get(f"/{lang}/verify/{cert.public_id}"))
    assert 'data-state="revoked"' in page and "Assessment irregularity" in page
    assert ("Revoked on 2 May 2026" if lang == "en" else "2026年5月2日") in page


def test_nothing_private_about_the_holder(client):
    cert = make_certificate()
    for lang in ("en", "ja"):
        page = text_of(client.get(f"/{lang}/verify/{cert.public_id}"))
        for private in ("hanako.private", "example.org", "Acme Cells", "Poland", "ポーランド", ">PL<"):
            assert private not in page, (lang, private)


def test_name_never_falls_back_to_the_email(client):
    holder = make_holder(family_name=None, given_name=None, family_name_latin=None, given_name_latin=None)
    page = text_of(client.get(f"/en/verify/{make_certificate(holder).public_id}"))
    assert "hanako.private" not in page and "Name not given" in page


def test_noindex_and_not_stored(client):
    cert = make_certificate()
    response = client.get(f"/en/verify/{cert.public_id}")
    assert '<meta name="robots" content="noindex">' in text_of(response)
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Cache-Control"] == "no-store"


def test_unknown_private_and_malformed_ids_get_one_identical_404(client):
    private = make_certificate(public=False)
    deleted_holder = make_certificate(make_holder(status=AccountStatus.DELETED))
    ids = ["A" * 32, private.public_id, deleted_holder.public_id, "x", "%00", "abc%00def", "Z" * 10_000,
           "a/b/c", "%E8%A8%BC%E6%98%8E", "..%2F..%2Fetc%2Fpasswd", "<script>", "' OR 1=1 --"]
    bodies = set()
    for public_id in ids:
        response = client.get(f"/en/verify/{public_id}")
        assert response.status_code == 404, public_id
        assert response.headers["X-Robots-Tag"] == "noindex"
        bodies.add(text_of(response))
    assert len(bodies) == 1
    body = bodies.pop()
    assert private.public_id not in body and "AAAA" not in body
    # Not the generic 404: why there may be nothing to show, and the form to try again (issue 14, point 7).
    assert "No public certificate has this id" in body and "may not have made this certificate public" in body
    assert 'action="/en/verify"' in body and 'name="id"' in body and "Page not found" not in body
    # The printable copy of a private certificate is the same 404.
    assert text_of(client.get(f"/en/verify/{private.public_id}/print")) == body


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_private_or_unknown_id_says_so_in_both_languages(client, lang):
    private = make_certificate(public=False)
    for public_id in (private.public_id, "C" * 32):
        response = client.get(f"/{lang}/verify/{public_id}")
        assert response.status_code == 404
        body = text_of(response)
        heading = {"en": "No public certificate has this id", "ja": "このIDの公開証明書はありません"}[lang]
        assert f"<h1>{heading}</h1>" in body
        assert f'<form method="get" action="/{lang}/verify"' in body


def test_turning_the_public_page_off_hides_it_at_once(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_SECONDS", 120)  # as in production: no cached copy outlives it
    cert = make_certificate(public=False)
    unknown = text_of(client.get("/en/verify/" + "B" * 32))
    sign_in(client, cert.learner)
    assert client.post(f"/en/me/certificates/{cert.public_id}/visibility", data={"public": "on"}).status_code == 303
    assert client.get(f"/en/verify/{cert.public_id}").status_code == 200
    stranger = make_client(client.application)
    stranger.environ_base["REMOTE_ADDR"] = client.environ_base["REMOTE_ADDR"]
    assert stranger.get(f"/en/verify/{cert.public_id}").status_code == 200  # seen anonymously while on
    client.post(f"/en/me/certificates/{cert.public_id}/visibility", data={"public": "off"})
    response = stranger.get(f"/en/verify/{cert.public_id}")
    assert response.status_code == 404 and text_of(response) == unknown
    assert response.headers["Cache-Control"] == "no-store"


def test_renewed_certificate_points_to_the_newer_one(client):
    old = make_certificate(expires_at=datetime.now(UTC) + timedelta(days=10))
    old.course.validity_months = 24
    new = services.renew(old, make_user())
    page = text_of(client.get(f"/en/verify/{old.public_id}"))
    assert "Replaced by a newer certificate." in page and f"/en/verify/{new.public_id}" in page
    services.set_public(new, False)
    page = text_of(client.get(f"/en/verify/{old.public_id}"))
    assert "Replaced by a newer certificate." in page and new.public_id not in page


def test_form_takes_an_id_or_a_whole_link(client):
    cert = make_certificate()
    assert client.get("/en/verify").status_code == 200
    for typed in (cert.public_id, f"  {cert.public_id} ", f"https://example.eu/ja/verify/{cert.public_id}",
                  f"http://localhost/en/verify/{cert.public_id}/print?lang_choice=both"):
        response = client.get("/en/verify", query_string={"id": typed})
        assert response.status_code == 303 and response.headers["Location"].endswith(f"/en/verify/{cert.public_id}")
    response = client.get("/en/verify", query_string={"id": "not an id!"})
    assert response.status_code == 200 and 'aria-invalid="true"' in text_of(response)
    assert client.get("/en/verify", query_string={"id": "\x00" * 3000}).status_code == 200


def test_pasted_credential_is_checked(client):
    from app.certifications.credential import jwt_for

    cert = make_certificate()
    token = jwt_for(cert)
    page = text_of(client.post("/en/verify", data={"credential": f" {token}\n"}))
    assert 'data-signature="ok"' in page and 'data-state="valid"' in page
    assert f'href="/en/verify/{cert.public_id}"' in page
    services.revoke(cert, "Issued by mistake", make_user())
    page = text_of(client.post("/ja/verify", data={"credential": token}))
    assert 'data-signature="ok"' in page and 'data-state="revoked"' in page
    # One character of the payload changed: the signature no longer holds.
    head, payload, signature = token.split(".")
    changed = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    page = text_of(client.post("/en/verify", data={"credential": f"{head}.{changed}.{signature}"}))
    assert 'data-signature="bad"' in page and cert.public_id not in page
    page = text_of(client.post("/en/verify", data={"credential": "not a credential"}))
    assert 'data-signature="bad"' in page


def test_pasted_credential_of_a_private_certificate_links_nowhere(client):
    from app.certifications.credential import jwt_for

    cert = make_certificate(public=False)
    page = text_of(client.post("/en/verify", data={"credential": jwt_for(cert)}))
    assert 'data-signature="ok"' in page and cert.public_id not in page


def test_pasted_credential_too_long_is_refused_unchecked(client, monkeypatch):
    from app.certifications import verify

    monkeypatch.setattr(verify, "check_pasted", lambda token: pytest.fail("checked"))
    page = text_of(client.post("/en/verify", data={"credential": "x" * (verify.MAX_PASTE + 1)}))
    assert 'aria-invalid="true"' in page


def test_lookups_are_rate_limited_per_address(client, app, monkeypatch):
    from app.platform import ratelimit

    monkeypatch.setitem(app.config, "VERIFY_LOOKUPS_PER_MINUTE", 3)
    monkeypatch.setattr(ratelimit, "_window", lambda seconds: (1_900_000_020, 40))  # one window, 40 s left
    cert = make_certificate()
    for _ in range(3):
        assert client.get(f"/en/verify/{cert.public_id}").status_code == 200
    response = client.get(f"/ja/verify/{cert.public_id}")
    assert response.status_code == 429 and response.headers["Retry-After"] == "40"
    assert cert.public_id not in text_of(response)
    assert client.get("/en/verify/" + "C" * 32).status_code == 429
    other = make_client(app)
    other.environ_base["REMOTE_ADDR"] = "10.78.0.1"
    assert other.get(f"/en/verify/{cert.public_id}").status_code == 200
