"""Public pages under /ja/ (home, catalogue, course, provider directory, API documentation, error pages)
show no English UI string; and the check itself can fail."""
from __future__ import annotations

from tests.i18n.helpers import VisibleText, english_ui_strings


def test_visible_text_leaves_out_only_the_language_switch():
    html = ('<html lang="ja"><body><p>講座 <a href="/en/" hreflang="en" lang="en">English<br><span>Full</span></a>'
            ' Seats left <img alt="QR"></p><div lang="en"><h2>Title</h2></div><p lang="ja">日本語</p></body></html>')
    chunks = VisibleText(html).chunks
    assert "English" not in chunks and "Full" not in chunks
    assert "Seats left" in chunks and "QR" in chunks and "Title" in chunks and "日本語" in chunks



def japanese_pages(data) -> list[tuple[str, int]]:
    return [
        ("/ja/", 200),
        ("/ja/courses", 200),
        ("/ja/courses?page=2", 200),
        ("/ja/courses?q=リサイクル", 200),
        ("/ja/courses?kind=not-a-kind&level=99&sort=sideways", 200),
        ("/ja/courses?q=該当する講座のない語句", 200),
        ("/ja/courses?skill=recycling&mode=blended&audience=technician&country=JP", 200),
        (f"/ja/courses/{data['full'].id}", 200),
        (f"/ja/courses/{data['others'][3].id}", 200),
        ("/ja/providers", 200),
        ("/ja/providers?country=FR", 200),
        ("/ja/developers/api", 200),  # the API documentation, rendered from the OpenAPI document
        (f"/ja/providers/{data['provider'].id}", 200),
        (f"/ja/providers/{data['quiet'].id}", 200),
        ("/ja/no-such-page", 404),
        ("/ja/courses/987654321", 404),
    ]


def test_japanese_pages_show_no_english_ui_string(client, japanese_content):
    found = {}
    for url, status in japanese_pages(japanese_content):
        response = client.get(url)
        assert response.status_code == status, url
        html = response.get_data(as_text=True)
        assert '<html lang="ja">' in html, url
        assert "講座・イベント" in html, url  # the Japanese UI is really there
        english = english_ui_strings(html)
        if english:
            found[url] = english
    assert found == {}


def test_the_pages_show_the_states_the_check_relies_on(client, japanese_content):
    """The fixture reaches the UI strings it is meant to exercise (else the check above is hollow)."""
    data = japanese_content
    detail = client.get(f"/ja/courses/{data['full'].id}").get_data(as_text=True)
    for japanese in ("満席", "受講申込ごとに研修提供機関の承認が必要です", "過去の開催回・中止になった開催回",
                     "有効期間24か月", "16時間", "修了証", "￥150,000", "学習成果", "受講要件", "評価方法"):
        assert japanese in detail, japanese
    page2 = client.get("/ja/courses?page=2").get_data(as_text=True)
    assert "前へ" in page2 and "次へ" in page2
    assert "今後の開催予定なし" in client.get("/ja/courses?sort=soonest&page=3").get_data(as_text=True)
    assert "条件に一致する講座・イベントはありません。" in client.get(
        "/ja/courses?q=該当する講座のない語句").get_data(as_text=True)
    assert "一部の絞り込み条件は認識できなかった" in client.get(
        "/ja/courses?kind=not-a-kind&level=99&sort=sideways").get_data(as_text=True)
    assert "公開中の講座・イベントはありません" in client.get(
        f"/ja/providers/{data['quiet'].id}").get_data(as_text=True)
    assert "まだ掲載されていません" in client.get("/ja/providers?country=FR").get_data(as_text=True)


def test_the_check_finds_english_on_english_pages(client, japanese_content):
    """The same check run on /en/ pages finds the English strings (so it can fail)."""
    html = client.get(f"/en/courses/{japanese_content['full'].id}").get_data(as_text=True)
    english = english_ui_strings(html)
    for expected in ("Courses & events", "Seats left", "Learning outcomes", "Japanese only", "Full"):
        assert expected in english
    assert "%(num)s hour" in english or "%(num)s hours" in english
    assert english_ui_strings(client.get("/en/courses?page=2").get_data(as_text=True))

