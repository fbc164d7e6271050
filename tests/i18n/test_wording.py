"""Japanese wording: the glossary's terms, and one-word strings that mean different things kept apart by a
context (a certificate's public page is 公開/非公開, not the 有効/無効 of a setting)."""
from __future__ import annotations

import re

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

from tests.certifications.holder_fixtures import (
    client,  # noqa: F401  (an address of its own)
    make_certificate,
    make_holder,
)
from tests.factories import sign_in
from tests.i18n.helpers import ROOT, entries, forms

# The glossary writes the noun 申込 (受講申込, 参加申込, 法人申込) and the verb 申し込む. A noun 申し込み, the
# okurigana 申込み and the honorific お申込/お申し込み are variants a reader sees as inconsistency.
FORBIDDEN = re.compile(r"お申し?込|申込み|申し込み(?![まか])")
# What the glossary fixes for a status, by the English a status is written in.
GLOSSARY = {(None, "Declined"): "不承認", (None, "Not approved"): "不承認", (None, "Request pending"): "承認待ち",
            (None, "Waitlisted"): "キャンセル待ち", (None, "Revoked"): "取り消し済み", (None, "Expired"): "有効期限切れ",
            ("certificate type", "Attendance"): "受講証明書", ("certificate type", "Completion"): "修了証",
            ("certificate public page", "On"): "公開", ("certificate public page", "Off"): "非公開"}
# On/Off without a context say whether a setting (two-step sign-in) is switched on: 有効/無効.
SETTING_FILES = {"app/templates/accounts/overview.html", "app/templates/accounts/two_factor_manage.html",
                 "app/templates/admin/person.html"}


def test_no_msgstr_uses_a_variant_the_glossary_forbids():
    bad = [(m.id, s) for m in entries() for s in forms(m.string) if FORBIDDEN.search(s)]
    assert bad == []


def test_the_forbidden_variants_are_caught():
    for text in ("お申込が完了", "お申し込みと請求", "申込みの状況", "申し込みの一覧"):
        assert FORBIDDEN.search(text), text
    for text in ("申込が完了", "申し込む", "申し込みます", "申し込んだ", "受講申込"):
        assert not FORBIDDEN.search(text), text


def test_statuses_use_the_glossary_terms():
    by_key = {(m.context, forms(m.id)[0]): forms(m.string)[0] for m in entries()}
    assert {key: by_key.get(key) for key in GLOSSARY} == GLOSSARY


def _uses(msgid: str) -> list[tuple[str, str | None]]:
    """(file, context) of every place under app/ that marks `msgid`."""
    keywords = dict(DEFAULT_KEYWORDS, _l=None)
    found = []
    for path in sorted((ROOT / "app").rglob("*")):
        method = {".py": "python", ".html": "jinja2", ".txt": "jinja2"}.get(path.suffix)
        if method is None or "__pycache__" in path.parts:
            continue
        for _line, message, _comments, context in extract_from_file(method, str(path), keywords=keywords):
            if (message[0] if isinstance(message, tuple) else message) == msgid:
                found.append((str(path.relative_to(ROOT)), context))
    return found


def test_on_and_off_without_context_only_say_a_setting_is_on():
    for word in ("On", "Off"):
        uses = _uses(word)
        assert ("app/templates/certs/index.html", "certificate public page") in uses
        assert {where for where, context in uses if context is None} <= SETTING_FILES, word


def test_certificate_list_says_public_and_not_public(client):
    holder = make_holder()
    hidden = make_certificate(holder, public=False)
    shown = make_certificate(holder, public=True)
    sign_in(client, holder)
    page = client.get("/ja/me/certificates/").get_data(as_text=True)
    row = page.split(f'id="certificate-{hidden.public_id}"')[1].split("</tr>")[0]
    assert '<span class="tag">非公開</span>' in row and "無効" not in row
    row = page.split(f'id="certificate-{shown.public_id}"')[1].split("</tr>")[0]
    assert '<span class="tag tag-ok">公開</span>' in row


def test_demo_prerequisites_say_none_in_particular():
    import json

    courses = json.loads((ROOT / "app/demo/courses.json").read_text(encoding="utf-8"))
    said = [c.get("prerequisites_ja") or "" for c in courses]
    assert not [s for s in said if s.startswith("不要")]
    assert "特になし。" in said
