"""Fixtures of the translation tests: a small catalogue whose content is Japanese only."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import make_course, make_provider, make_session, now


@pytest.fixture
def japanese_content(app, monkeypatch):
    """A small catalogue whose content is Japanese only, so any English left is a UI string."""
    monkeypatch.setitem(app.config, "CATALOGUE_PAGE_SIZE", 2)
    provider = make_provider(name_en=None, name_ja="関西電池アカデミー", country="JP", city="大阪",
                             description_ja="電池製造の現場で働く人材を育成しています。\n大阪に研修ラインがあります。",
                             website="https://academy.example.jp")
    quiet = make_provider(name_en=None, name_ja="東北電池研究センター", country="JP", city="仙台", verified=False)
    sessions = [
        make_session(days_ahead=20, tz="Asia/Tokyo", country="JP", city="大阪", requires_approval=True,
                     enrolment_deadline=now() + timedelta(days=15)),
        make_session(days_ahead=40, tz="Asia/Tokyo", online=True),
        make_session(days_ahead=60, tz="Asia/Tokyo", country="JP", city="大阪", capacity=10, seats_taken=10),
        make_session(days_ahead=-30, tz="Asia/Tokyo", country="JP", city="大阪"),
        make_session(days_ahead=10, tz="Asia/Tokyo", country="JP", city="大阪", status="cancelled"),
    ]
    full = make_course(
        provider, kind="training", title_en=None, title_ja="リチウムイオン電池リサイクル実務講座",
        summary_ja="使用済み電池からブラックマスを回収する工程を学びます。",
        description_ja="放電、解体、破砕、選別の各工程を順に学びます。\n実習を含みます。",
        learning_outcomes_ja="回収工程を説明できる\n安全に作業できる",
        prerequisites_ja="特になし", assessment_ja="実技評価と筆記試験",
        eqf_level=5, audience="technician", delivery_mode="blended", duration_hours=Decimal("16"),
        price_amount=150000, currency="JPY", certification="completion", validity_months=24,
        skills=("recycling", "safety"), languages=("ja",), sessions=sessions,
    )
    others = [
        make_course(provider, kind="workshop", title_en=None, title_ja="正極材評価ワークショップ",
                    summary_ja="正極材の評価方法を実習で学びます。", delivery_mode="in_person",
                    audience="engineer", certification="attendance", skills=("cell-materials",),
                    languages=("ja",), sessions=1),
        make_course(provider, kind="conference", title_en=None, title_ja="電池データ連携カンファレンス",
                    delivery_mode="online", audience="manager", certification="assessed",
                    price_amount=None, currency=None, skills=("data-passport",), languages=("ja",), sessions=1),
        make_course(provider, kind="exhibition", title_en=None, title_ja="蓄電池展示会",
                    delivery_mode="in_person", audience="researcher", skills=("stationary-storage",),
                    languages=("ja",), sessions=0),
        make_course(provider, kind="training", title_en=None, title_ja="高電圧安全講習",
                    audience="operator", price_amount=45000, currency="EUR", skills=("safety",),
                    languages=("ja",), sessions=1),
    ]
    return {"provider": provider, "quiet": quiet, "full": full, "others": others}

