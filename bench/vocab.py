"""Bilingual battery vocabulary the seeder builds plausible titles and texts from (EN, JA)."""
from __future__ import annotations

# (English, Japanese) topics, grouped by the skill-area code of the first migration.
TOPICS: dict[str, list[tuple[str, str]]] = {
    "fundamentals": [("battery fundamentals", "電池の基礎"), ("electrochemistry", "電気化学"),
                     ("lithium-ion cells", "リチウムイオン電池"), ("sodium-ion cells", "ナトリウムイオン電池"),
                     ("cell chemistry", "セル化学")],
    "raw-materials": [("lithium refining", "リチウム精製"), ("nickel and cobalt supply", "ニッケル・コバルト調達"),
                      ("precursor synthesis", "前駆体合成"), ("graphite processing", "黒鉛加工")],
    "cell-materials": [("cathode materials", "正極材"), ("anode materials", "負極材"), ("electrolytes", "電解液"),
                       ("separators", "セパレータ"), ("silicon anodes", "シリコン負極"),
                       ("LFP cathodes", "リン酸鉄リチウム正極"), ("nickel-rich cathodes", "ハイニッケル正極")],
    "cell-manufacturing": [("slurry mixing", "スラリー混練"), ("electrode coating", "電極塗工"),
                           ("calendering", "カレンダー加工"), ("stacking and winding", "積層・捲回"),
                           ("electrolyte filling", "注液工程"), ("formation and ageing", "化成・エージング"),
                           ("dry room operation", "ドライルーム管理")],
    "pack-bms": [("battery management systems", "バッテリーマネジメントシステム"),
                 ("module and pack assembly", "モジュール・パック組立"), ("cell balancing", "セルバランシング"),
                 ("thermal management", "熱マネジメント")],
    "testing-quality": [("cell testing", "セル試験"), ("impedance spectroscopy", "インピーダンス分光"),
                        ("quality assurance", "品質保証"), ("end-of-line inspection", "出荷検査"),
                        ("statistical process control", "統計的工程管理")],
    "safety": [("high-voltage safety", "高電圧安全"), ("thermal runaway", "熱暴走"),
               ("hazardous materials handling", "危険物取扱い"), ("fire protection", "防火対策")],
    "e-mobility": [("EV battery integration", "EV用電池の統合"), ("fast charging", "急速充電"),
                   ("electric buses", "電動バス")],
    "stationary-storage": [("grid storage", "系統用蓄電"), ("home energy storage", "家庭用蓄電池"),
                           ("renewable integration", "再生可能エネルギー連系")],
    "second-life": [("state-of-health diagnostics", "劣化診断"), ("second-life batteries", "リユース電池"),
                    ("battery maintenance", "電池の保守")],
    "recycling": [("battery recycling", "電池リサイクル"), ("black mass", "ブラックマス"),
                  ("hydrometallurgy", "湿式製錬"), ("pyrometallurgy", "乾式製錬"), ("dismantling", "解体工程")],
    "data-passport": [("battery passport", "バッテリーパスポート"), ("traceability", "トレーサビリティ"),
                      ("battery data", "電池データ")],
    "regulation-lca": [("EU Battery Regulation", "EU電池規則"), ("life-cycle assessment", "ライフサイクルアセスメント"),
                       ("carbon footprint", "カーボンフットプリント"), ("due diligence", "デューディリジェンス"),
                       ("standardisation", "標準化")],
    "rnd": [("solid-state batteries", "全固体電池"), ("sulfide electrolytes", "硫化物系固体電解質"),
            ("next-generation cells", "次世代電池"), ("lithium-metal anodes", "リチウム金属負極")],
    "transversal": [("lean manufacturing", "リーン生産"), ("intercultural teamwork", "異文化チームワーク"),
                    ("technical Japanese", "技術日本語"), ("technical English", "技術英語")],
}

# Title patterns per course kind: {t} a topic, {y} a year.
TITLES: dict[str, list[tuple[str, str]]] = {
    "training": [("Introduction to {t}", "{t}入門"), ("Fundamentals of {t}", "{t}の基礎"),
                 ("Advanced {t}", "{t}応用講座"), ("{T}: a practical course", "{t}実践コース"),
                 ("Hands-on {t}", "{t}ハンズオン研修"), ("{T} for practitioners", "実務者のための{t}"),
                 ("Certified {t} specialist", "{t}認定スペシャリスト講座"), ("{T} and {u}", "{t}と{u}")],
    "workshop": [("{T} workshop", "{t}ワークショップ"), ("{T} clinic", "{t}クリニック"),
                 ("Problem-solving in {t}", "{t}の課題解決演習"), ("{T} meets {u}", "{t}×{u}ワークショップ")],
    "conference": [("{T} Summit {y}", "{t}サミット{y}"), ("International conference on {t}", "{t}国際会議"),
                   ("{T} forum {y}", "{t}フォーラム{y}")],
    "exhibition": [("{T} Expo {y}", "{t}展{y}"), ("{T} trade show", "{t}見本市")],
}

KIND_WORDS = {"training": ("course", "研修"), "workshop": ("workshop", "ワークショップ"),
              "conference": ("conference", "国際会議"), "exhibition": ("exhibition", "展示会")}
AUDIENCE_WORDS = {"operator": ("line operators", "製造オペレーター"), "technician": ("technicians", "技術者"),
                  "engineer": ("engineers", "エンジニア"), "researcher": ("researchers", "研究者"),
                  "manager": ("managers", "管理職")}

SUMMARIES = [
    ("A {d}-day {k} on {t} and {u} for {a}.", "{a}向けに{t}と{u}を{d}日間で学ぶ{k}です。"),
    ("Learn how {t} affects {u} in modern gigafactories.", "最新のギガファクトリーにおける{t}と{u}の関係を学びます。"),
    ("Practical exercises in {t}, with case studies from {r} producers.", "{r}のメーカーの事例を交えて{t}を実習します。"),
    ("What {a} need to know about {t} today.", "{a}が今知っておくべき{t}のポイントを解説します。"),
]
SENTENCES = [
    ("Participants work through real production data on {t}.", "受講者は{t}に関する実際の生産データを使って演習します。"),
    ("The programme links {t} with {u} and with the requirements of the EU Battery Regulation.",
     "本プログラムでは{t}と{u}をEU電池規則の要求事項と結び付けて扱います。"),
    ("Sessions alternate between lectures, pilot-line visits and group work.",
     "講義、パイロットラインの見学、グループワークを組み合わせて進めます。"),
    ("Trainers from cell makers and recyclers in {r} share lessons learnt.",
     "{r}の電池メーカーやリサイクル事業者の講師が知見を共有します。"),
    ("Safety rules for high-voltage and hazardous materials apply throughout.",
     "高電圧および危険物に関する安全規則を全体を通して遵守します。"),
    ("We compare European and Japanese practice in {t}.", "{t}における欧州と日本の実務を比較します。"),
    ("A short assessment checks your understanding of {u}.", "{u}の理解度を簡単なテストで確認します。"),
    ("Materials are provided in English and Japanese.", "教材は英語と日本語で提供します。"),
]
OUTCOMES = [("Explain the key principles of {t}", "{t}の主要な原理を説明できる"),
            ("Apply {t} methods on a production line", "生産ラインで{t}の手法を適用できる"),
            ("Assess risks related to {u}", "{u}に関するリスクを評価できる"),
            ("Read and interpret {t} test reports", "{t}の試験報告書を読み解ける")]
PREREQUISITES = [("None.", "特になし。"), ("Basic chemistry or electrical engineering.", "化学または電気工学の基礎知識。"),
                 ("Two years of experience in battery production.", "電池製造の実務経験2年以上。")]
ASSESSMENTS = [("Written test at the end of the course.", "最終日に筆記試験を行います。"),
               ("Practical assignment reviewed by the trainer.", "講師による実技課題の評価。"),
               ("Attendance only.", "出席のみ。")]
REGIONS = [("European", "欧州"), ("Japanese", "日本"), ("Nordic", "北欧"), ("Central European", "中欧")]

# Country: (time zone, [(city EN, city JA)], local language of instruction)
COUNTRIES: dict[str, tuple[str, list[tuple[str, str]], str]] = {
    "DE": ("Europe/Berlin", [("Berlin", "ベルリン"), ("Munich", "ミュンヘン"), ("Stuttgart", "シュトゥットガルト"),
                             ("Braunschweig", "ブラウンシュヴァイク")], "de"),
    "FR": ("Europe/Paris", [("Paris", "パリ"), ("Lyon", "リヨン"), ("Grenoble", "グルノーブル"), ("Douai", "ドゥエー")], "fr"),
    "SE": ("Europe/Stockholm", [("Västerås", "ヴェステロース"), ("Skellefteå", "シェレフテオ"),
                                ("Gothenburg", "ヨーテボリ")], "sv"),
    "PL": ("Europe/Warsaw", [("Wrocław", "ヴロツワフ"), ("Katowice", "カトヴィツェ")], "pl"),
    "HU": ("Europe/Budapest", [("Debrecen", "デブレツェン"), ("Budapest", "ブダペスト")], "hu"),
    "ES": ("Europe/Madrid", [("Barcelona", "バルセロナ"), ("Valencia", "バレンシア")], "es"),
    "IT": ("Europe/Rome", [("Turin", "トリノ"), ("Milan", "ミラノ")], "it"),
    "NL": ("Europe/Amsterdam", [("Eindhoven", "アイントホーフェン"), ("Delft", "デルフト")], "nl"),
    "BE": ("Europe/Brussels", [("Brussels", "ブリュッセル"), ("Antwerp", "アントワープ")], "nl"),
    "FI": ("Europe/Helsinki", [("Vaasa", "ヴァーサ"), ("Espoo", "エスポー")], "fi"),
    "AT": ("Europe/Vienna", [("Graz", "グラーツ"), ("Vienna", "ウィーン")], "de"),
    "CZ": ("Europe/Prague", [("Prague", "プラハ"), ("Brno", "ブルノ")], "cs"),
    "PT": ("Europe/Lisbon", [("Porto", "ポルト"), ("Lisbon", "リスボン")], "pt"),
    "NO": ("Europe/Oslo", [("Mo i Rana", "モイラーナ"), ("Oslo", "オスロ")], "no"),
    "JP": ("Asia/Tokyo", [("Tokyo", "東京"), ("Osaka", "大阪"), ("Nagoya", "名古屋"), ("Kobe", "神戸"),
                          ("Sendai", "仙台"), ("Fukuoka", "福岡"), ("Yokohama", "横浜")], "ja"),
}
# Providers per country, roughly: Japan and Germany weigh most.
COUNTRY_WEIGHTS = {"JP": 30, "DE": 16, "FR": 10, "SE": 7, "PL": 6, "HU": 4, "ES": 5, "IT": 5, "NL": 4,
                   "BE": 3, "FI": 3, "AT": 2, "CZ": 2, "PT": 2, "NO": 1}
PROVIDER_NAMES = [("{c} Battery Academy", "{c}バッテリーアカデミー"), ("{c} Cell Technology Institute", "{c}セル技術研究所"),
                  ("{c} Energy Storage Training Centre", "{c}蓄電技術研修センター"),
                  ("{c} Recycling Competence Centre", "{c}リサイクル技術センター"),
                  ("Gigafactory School {c}", "ギガファクトリー・スクール{c}"),
                  ("{c} Institute of Electrochemistry", "{c}電気化学研究所")]

# Search terms the load generator draws from: 3+ character EN and JA, and 2-character JA.
SEARCH_TERMS_EN = ["cathode", "anode", "electrolyte", "separator", "black mass", "battery passport",
                   "thermal runaway", "recycling", "solid-state", "lithium", "sodium-ion", "coating",
                   "formation", "BMS", "grid storage", "LCA", "due diligence", "traceability", "graphite",
                   "hydrometallurgy", "impedance", "safety", "fast charging", "electric buses", "lean",
                   "gigafactory", "workshop", "summit", "Munich", "Tokyo", "li", "ba"]
SEARCH_TERMS_JA = ["正極材", "負極材", "電解液", "セパレータ", "ブラックマス", "バッテリーパスポート", "熱暴走",
                   "リサイクル", "全固体電池", "リチウム", "ﾊﾞｯﾃﾘｰ", "劣化診断", "急速充電", "品質保証",
                   "湿式製錬", "ドライルーム", "トレーサビリティ", "電池 リサイクル", "正極材 試験", "研修",
                   "電池 safety", "熱暴走 thermal"]
JA_BIGRAMS = ["電池", "正極", "負極", "安全", "試験", "製造", "材料", "劣化", "診断", "充電", "蓄電", "回収",
              "製錬", "品質", "規則", "研修", "実習", "基礎", "応用", "次世", "固体", "塗工", "検査", "東京"]
