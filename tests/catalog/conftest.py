"""Fixtures of the catalogue tests: a small catalogue with one course per filter value."""
from __future__ import annotations

import pytest

from tests.factories import make_course, make_provider, make_session


@pytest.fixture
def cat():
    """Five published courses and one draft, each different along every filter.

    c1 training  in person  en     EQF4 engineer   recycling        P1  DE +10d   €1,200
    c2 training  online     ja     EQF5 operator   safety           P2  JP +40d   free
    c3 workshop  blended    en+ja  EQF4 manager    recycling,safety P1  FR +70d   free
    c4 conference in person en     -    researcher data-passport    P2  IT past only, ES cancelled   ¥
    c5 exhibition in person de     EQF6 technician -                P3  online +20d (no venue country)
    draft: training, in person, en, EQF4, engineer, recycling, P1, DE +5d, free
    """
    p1 = make_provider(name_en="Akkuwerk Academy", name_ja="アクヴェルク・アカデミー", country="DE")
    p2 = make_provider(name_en="Kansai Battery School", name_ja="関西バッテリースクール", country="JP")
    p3 = make_provider(name_en="Expo Nordic", name_ja="エキスポ・ノルディック", country="SE")
    c1 = make_course(p1, kind="training", delivery_mode="in_person", languages=("en",), eqf_level=4,
                     audience="engineer", skills=("recycling",), price_amount=120000, currency="EUR",
                     title_en="Black mass basics", title_ja=None,
                     sessions=[make_session(days_ahead=10, country="DE", city="Berlin")])
    c2 = make_course(p2, kind="training", delivery_mode="online", languages=("ja",), eqf_level=5,
                     audience="operator", skills=("safety",), title_en=None, title_ja="高電圧安全教育",
                     sessions=[make_session(days_ahead=40, country="JP", city="Osaka", tz="Asia/Tokyo")])
    c3 = make_course(p1, kind="workshop", delivery_mode="blended", languages=("en", "ja"), eqf_level=4,
                     audience="manager", skills=("recycling", "safety"),
                     title_en="Recycling safety workshop", title_ja="リサイクル安全ワークショップ",
                     sessions=[make_session(days_ahead=70, country="FR", city="Lyon", tz="Europe/Paris")])
    c4 = make_course(p2, kind="conference", delivery_mode="in_person", languages=("en",),
                     audience="researcher", skills=("data-passport",), price_amount=30000, currency="JPY",
                     title_en="Battery passport conference", title_ja="バッテリーパスポート会議",
                     sessions=[make_session(days_ahead=-30, country="IT", city="Milan", tz="Europe/Rome"),
                               make_session(days_ahead=50, country="ES", city="Madrid", tz="Europe/Madrid",
                                            status="cancelled")])
    c5 = make_course(p3, kind="exhibition", delivery_mode="in_person", languages=("de",), eqf_level=6,
                     audience="technician", title_en="Nordic battery fair", title_ja=None,
                     sessions=[make_session(days_ahead=20, online=True)])
    draft = make_course(p1, status="draft", kind="training", delivery_mode="in_person", languages=("en",),
                        eqf_level=4, audience="engineer", skills=("recycling",),
                        title_en="Draft black mass", sessions=[make_session(days_ahead=5, country="DE")])
    ids = {name: c.id for name, c in dict(c1=c1, c2=c2, c3=c3, c4=c4, c5=c5, draft=draft).items()}
    ids.update(p1=p1.id, p2=p2.id, p3=p3.id)
    return ids

