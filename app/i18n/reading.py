"""Japanese order: names sorted by their reading (gojūon), as a Japanese reader expects, not by code point or by
the English name. Organisations store their reading (フリガナ, name_reading); country and language names come
from CLDR, mostly in katakana, and the few that start with kanji get their reading from PREFIX_READINGS.
Japan and Japanese come first in a Japanese list: that is where a Japanese reader looks for them."""
from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa

# Readings of the kanji that CLDR's Japanese country and language names start with (longest match first).
PREFIX_READINGS = {
    "中華人民共和国": "ちゅうかじんみんきょうわこく", "合衆国領有小離島": "がっしゅうこくりょうゆうしょうりとう",
    "北朝鮮": "きたちょうせん", "中央": "ちゅうおう", "中国": "ちゅうごく", "韓国": "かんこく", "台湾": "たいわん",
    "日本": "にほん", "南極": "なんきょく", "仏領": "ふつりょう", "米領": "べいりょう", "英領": "えいりょう",
    "赤道": "せきどう", "北": "きた", "南": "みなみ", "東": "ひがし", "西": "にし", "英": "えい",
}
_PREFIXES = sorted(PREFIX_READINGS, key=len, reverse=True)
FIRST_IN_JAPANESE = {"JP", "ja"}
KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u3000 ]+")  # kana, ー, ・ and spaces


# A long-vowel mark reads as the vowel before it (ポーランド is ぽおらんど, before ポルトガル); ヴ as ぶ's row, う.
_VOWELS = {ch: vowel for vowel, row in (("あ", "あかさたなはまやらわがざだばぱぁゃゎ"), ("い", "いきしちにひみりぎじぢびぴぃ"),  # noqa: E501
                                       ("う", "うくすつぬふむゆるぐずづぶぷぅっゅゔ"), ("え", "えけせてねへめれげぜでべぺぇ"),  # noqa: E501
                                       ("お", "おこそとのほもよろをごぞどぼぽぉょ")) for ch in row}


def _spell_out(text: str) -> str:
    out: list[str] = []
    for ch in text:
        if ch == "ー" and out:
            ch = _VOWELS.get(out[-1], ch)
        out.append("う" if ch == "ゔ" else ch)
    return "".join(out)


def to_hiragana(text: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if "\u30a1" <= ch <= "\u30f6" else ch for ch in text)


def to_katakana(text: str) -> str:
    return "".join(chr(ord(ch) + 0x60) if "\u3041" <= ch <= "\u3096" else ch for ch in text)


def normalise_reading(text: str | None) -> str | None:
    """A reading as stored: full-width katakana (NFKC folds half-width kana), single spaces."""
    if not text:
        return None
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return to_katakana(text) or None


def is_kana(text: str) -> bool:
    return bool(KANA.fullmatch(unicodedata.normalize("NFKC", text)))


def kana_key(text: str | None) -> str:
    """A sort key that puts kana names in gojūon order (hiragana and katakana alike, widths folded)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = PREFIX_READINGS[prefix] + text[len(prefix):]
            break
    return _spell_out(to_hiragana(text))


def latin_key(text: str | None) -> str:
    """Alphabetical order with accents folded: Åland Islands among the A names, not after Z."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def named_key(code: str, name: str, lang: str) -> tuple:
    """Sort key of a country or language name in `lang`."""
    if lang == "ja":
        return (code not in FIRST_IN_JAPANESE, kana_key(name), code)
    return (0, latin_key(name), code)


def sort_named(pairs, lang: str) -> list[tuple[str, str]]:
    """(code, name) pairs sorted for the reader."""
    return sorted(pairs, key=lambda pair: named_key(pair[0], pair[1], lang))


def organisation_key(org, lang: str) -> tuple:
    """Sort key of an organisation (or a row with name_en, name_ja, name_reading) for the reader."""
    if lang == "ja":
        return (kana_key(getattr(org, "name_reading", None) or org.name_ja or org.name_en), org.id)
    return (latin_key(org.name_en or org.name_ja), org.id)


def organisation_order(model, lang: str) -> list:
    """ORDER BY for organisations in SQL: readings are stored in katakana, so code-point order is gojūon."""
    if lang == "ja":
        return [sa.func.coalesce(model.name_reading, model.name_ja, model.name_en), model.id]
    return [sa.func.coalesce(model.name_en, model.name_ja), model.id]


def reading_field():
    """The form field for an organisation's reading (フリガナ): kana only, stored in katakana."""
    from flask_babel import lazy_gettext as _l
    from wtforms import StringField
    from wtforms.validators import Length, Optional, ValidationError

    def kana_only(form, field) -> None:
        if field.data and not is_kana(field.data):
            raise ValidationError(_l("Write the reading in kana (katakana or hiragana)."))

    return StringField(_l("Reading of the Japanese name (kana)"),
                       description=_l("Used to sort Japanese lists, for example カンサイデンチ."),
                       validators=[Optional(), Length(max=200), kana_only],
                       filters=[lambda value: normalise_reading(value.strip() if value else value)])
