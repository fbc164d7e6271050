"""Fictional learners from Europe and Japan who book the demo sessions (`demo-learner-NNN@example.com`,
the demo password). Names are drawn from fixed lists with a fixed seed, so every run makes the same people."""
from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import AccountStatus, Consent, ConsentKind, NameOrder, User
from app.accounts.passwords import hash_password
from app.accounts.services import email_key
from app.demo.accounts import DEMO_PASSWORD
from app.platform.database import utcnow
from app.platform.extensions import db

EU_LEARNERS, JP_LEARNERS = 90, 70
EMAIL = "demo-learner-{:03d}@example.com"

# country, time zone, given names, family names, employers
EUROPE = [
    ("DE", "Europe/Berlin", "Lukas Jonas Lea Marie Felix Sophie Tobias Katrin".split(),
     "Müller Schneider Fischer Weber Wagner Becker Hoffmann Schulz".split(),
     ["Cellwerk GmbH", "Südbatterie AG", "Hochvolt Systeme GmbH"]),
    ("FR", "Europe/Paris", "Camille Julien Manon Hugo Chloé Antoine Léa Théo".split(),
     "Martin Bernard Dubois Lefèvre Moreau Laurent Garnier Roux".split(),
     ["Électrodes du Nord SAS", "Batteries Hauts-de-France"]),
    ("SE", "Europe/Stockholm", "Elin Oskar Maja Axel Ebba Viktor".split(),
     "Andersson Johansson Karlsson Nilsson Eriksson Larsson".split(),
     ["Norrland Cells AB", "Skellefteå Kraftceller AB"]),
    ("PL", "Europe/Warsaw", "Zofia Jakub Julia Kacper Natalia Mateusz".split(),
     "Nowak Kowalski Wiśniewska Wójcik Kamiński Lewandowska".split(), ["Wrocław Pack Assembly Sp. z o.o."]),
    ("ES", "Europe/Madrid", "Lucía Alejandro Paula Daniel Carmen Pablo".split(),
     "García Fernández López Martínez Sánchez Romero".split(), ["Reciclaje de Baterías Ibéricas S.L."]),
    ("IT", "Europe/Rome", "Giulia Lorenzo Chiara Matteo Sara Andrea".split(),
     "Rossi Russo Ferrari Esposito Bianchi Romano".split(), ["Accumuli Padani S.p.A."]),
    ("NL", "Europe/Amsterdam", "Sanne Daan Fleur Bram Lotte Joris".split(),
     ["de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Visser"], ["Delta Energy Storage B.V."]),
    ("FI", "Europe/Helsinki", "Aino Eetu Veera Juho".split(), "Virtanen Korhonen Mäkinen Nieminen".split(),
     ["Pohjola Battery Materials Oy"]),
    ("CZ", "Europe/Prague", "Tereza Jan Eliška Tomáš".split(), "Novák Svobodová Dvořák Černá".split(),
     ["Morava Pack s.r.o."]),
    ("HU", "Europe/Budapest", "Anna Bence Réka Máté".split(), "Nagy Kovács Tóth Szabó".split(),
     ["Pannon Cell Kft."]),
]
# (kanji, kana, latin) for family and given names
JP_FAMILY = [("佐々木", "ササキ", "Sasaki"), ("鈴木", "スズキ", "Suzuki"), ("高橋", "タカハシ", "Takahashi"),
             ("田中", "タナカ", "Tanaka"), ("伊藤", "イトウ", "Ito"), ("渡辺", "ワタナベ", "Watanabe"),
             ("中村", "ナカムラ", "Nakamura"), ("小林", "コバヤシ", "Kobayashi"), ("加藤", "カトウ", "Kato"),
             ("吉田", "ヨシダ", "Yoshida"), ("松本", "マツモト", "Matsumoto"), ("井上", "イノウエ", "Inoue"),
             ("木村", "キムラ", "Kimura"), ("清水", "シミズ", "Shimizu"), ("森", "モリ", "Mori")]
JP_GIVEN = [("美咲", "ミサキ", "Misaki"), ("翔太", "ショウタ", "Shota"), ("陽菜", "ヒナ", "Hina"),
            ("大輔", "ダイスケ", "Daisuke"), ("結衣", "ユイ", "Yui"), ("拓海", "タクミ", "Takumi"),
            ("彩", "アヤ", "Aya"), ("健太", "ケンタ", "Kenta"), ("真由美", "マユミ", "Mayumi"),
            ("蓮", "レン", "Ren"), ("七海", "ナナミ", "Nanami"), ("浩二", "コウジ", "Koji"),
            ("さくら", "サクラ", "Sakura"), ("直樹", "ナオキ", "Naoki")]
JP_EMPLOYERS = ["関西セルテック株式会社", "中部EVパワートレイン株式会社", "神戸リサイクルメタル株式会社",
                "東北バッテリーマテリアル株式会社", "九州蓄電システム株式会社"]


def learner_specs(rng: random.Random) -> list[dict]:
    """The demo learners' fields, Europe first, then Japan."""
    specs = []
    # Every name different: each country's (given, family) pairs drawn without putting back.
    names = {country: rng.sample([(g, f) for g in given for f in family], len(given) * len(family))
             for country, _zone, given, family, _employers in EUROPE}
    for n in range(EU_LEARNERS):
        country, zone, _given, _family, employers = EUROPE[n % len(EUROPE)]
        given, family = names[country].pop()
        specs.append(dict(given_name=given, family_name=family, country=country,
                          timezone=zone, preferred_language="en", employer=rng.choice(employers)))
    for family, given in rng.sample([(f, g) for f in JP_FAMILY for g in JP_GIVEN], JP_LEARNERS):
        specs.append(dict(family_name=family[0], given_name=given[0], family_name_kana=family[1],
                          given_name_kana=given[1], family_name_latin=family[2], given_name_latin=given[2],
                          name_order=NameOrder.FAMILY_FIRST, country="JP", timezone="Asia/Tokyo",
                          preferred_language="ja", employer=rng.choice(JP_EMPLOYERS)))
    return specs


def seed_learners(rng: random.Random, consent_version: str) -> list[User]:
    """Create the demo learners; an empty list when they exist already (the demo activity is then in place)."""
    if db.session.execute(sa.select(User.id).where(User.email_key == EMAIL.format(1))).first():
        return []
    password_hash = hash_password(DEMO_PASSWORD)  # one hash for all: hashing is slow
    joined = utcnow() - timedelta(days=200)  # before the first demo session
    users = []
    for n, spec in enumerate(learner_specs(rng), start=1):
        email = EMAIL.format(n)
        users.append(User(email=email, email_key=email_key(email), password_hash=password_hash,
                          status=AccountStatus.ACTIVE, created_at=joined, activated_at=joined,
                          password_changed_at=joined, **spec))
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(Consent(user_id=u.id, kind=kind, version=consent_version)
                       for u in users for kind in (ConsentKind.TERMS, ConsentKind.SHARE_WITH_PROVIDERS))
    db.session.flush()
    return users
