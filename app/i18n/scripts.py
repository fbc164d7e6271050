"""Which language a short text is written in, and kana folding for search."""
from __future__ import annotations

import re

# Hiragana, katakana (with the half-width block), CJK ideographs and the iteration marks 々〆ヶ.
_JAPANESE = re.compile(r"[\u3005\u3006\u3041-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
# Hiragana ぁ..ゖ and the marks ゝゞ sit exactly 0x60 below their katakana twins.
_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)} | {0x309D: 0x30FD, 0x309E: 0x30FE}


def text_language(text: str | None) -> str | None:
    """'ja' if the text holds any Japanese character, 'en' for any other non-empty text, else None.

    Used to file a single-language value (an old venue city, an API client's `venue_city`) under the
    language it is written in: "神戸" is Japanese, "Kobe" and "Skellefteå" are not.
    """
    if not text or not text.strip():
        return None
    return "ja" if _JAPANESE.search(text) else "en"


def split_by_language(text: str | None) -> tuple[str | None, str | None]:
    """(English, Japanese): the stripped text in the slot of the language it is written in."""
    text = (text or "").strip() or None
    return (None, text) if text_language(text) == "ja" else (text, None)


def fold_kana(text: str) -> str:
    """Hiragana as katakana, so りさいくる and リサイクル are the same search text."""
    return text.translate(_TO_KATAKANA)
