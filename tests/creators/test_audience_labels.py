"""The vocabulary of audience labels, one table per class of variants (issue 16)."""

from __future__ import annotations

import pytest
from django.utils import translation

from creators.audience import parse_shares, read_shares
from creators.audience_labels import (
    canonical_region,
    canonical_shares,
    read_label,
    stored_label,
)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        *[
            (t, "female")
            for t in [
                "female",
                "Female",
                "F",
                "f",
                "women",
                "woman",
                "女",
                "女性",
                "女生",
                "ＦＥＭＡＬＥ",
            ]
        ],
        *[(t, "male") for t in ["male", "MALE", "M", "men", "man", "男", "男性", "男生"]],
        *[(t, "other") for t in ["other", "Others", "其他", "U", "unknown", "未知", "non-binary"]],
    ],
)
def test_it_reads_every_spelling_of_a_gender(typed, key):
    assert read_label("gender", typed) == key


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("13-17", "13-17"),
        ("18-24", "18-24"),
        ("18–24", "18-24"),
        ("18—24", "18-24"),
        ("18~24", "18-24"),
        ("18～24", "18-24"),
        ("18 - 24", "18-24"),
        ("18至24歲", "18-24"),
        ("18-24歲", "18-24"),
        ("18 to 24", "18-24"),
        ("age18-24", "18-24"),
        ("25-34", "25-34"),
        ("35-44", "35-44"),
        ("45-54", "45-54"),
        ("55-64", "55-64"),
        ("65+", "65+"),
        ("65 +", "65+"),
        ("65歲以上", "65+"),
        ("65以上", "65+"),
        ("age65-", "65+"),
        ("65 and over", "65+"),
        ("55+", "55+"),
    ],
)
def test_it_reads_age_buckets_as_platforms_and_people_write_them(typed, key):
    assert read_label("age", typed) == key


@pytest.mark.parametrize("typed", ["20-29", "18", "65", "young", "18-65"])
def test_it_knows_no_age_bucket_that_platforms_do_not_report(typed):
    assert read_label("age", typed) is None


# The countries and regions Taiwanese campaigns meet, by their zh-Hant name as written in
# Taiwan, their English name and their ISO code.
COUNTRIES = [
    ("TW", "台灣", "Taiwan"),
    ("HK", "香港", "Hong Kong"),
    ("MO", "澳門", "Macau"),
    ("CN", "中國", "China"),
    ("JP", "日本", "Japan"),
    ("KR", "韓國", "South Korea"),
    ("KP", "北韓", "North Korea"),
    ("SG", "新加坡", "Singapore"),
    ("MY", "馬來西亞", "Malaysia"),
    ("US", "美國", "United States"),
    ("CA", "加拿大", "Canada"),
    ("GB", "英國", "United Kingdom"),
    ("AU", "澳洲", "Australia"),
    ("NZ", "紐西蘭", "New Zealand"),
    ("TH", "泰國", "Thailand"),
    ("VN", "越南", "Vietnam"),
    ("PH", "菲律賓", "Philippines"),
    ("ID", "印尼", "Indonesia"),
    ("IN", "印度", "India"),
    ("KH", "柬埔寨", "Cambodia"),
    ("MM", "緬甸", "Myanmar"),
    ("LA", "寮國", "Laos"),
    ("BN", "汶萊", "Brunei"),
    ("MN", "蒙古", "Mongolia"),
    ("NP", "尼泊爾", "Nepal"),
    ("BD", "孟加拉", "Bangladesh"),
    ("PK", "巴基斯坦", "Pakistan"),
    ("LK", "斯里蘭卡", "Sri Lanka"),
    ("MV", "馬爾地夫", "Maldives"),
    ("DE", "德國", "Germany"),
    ("FR", "法國", "France"),
    ("IT", "義大利", "Italy"),
    ("ES", "西班牙", "Spain"),
    ("PT", "葡萄牙", "Portugal"),
    ("NL", "荷蘭", "Netherlands"),
    ("BE", "比利時", "Belgium"),
    ("LU", "盧森堡", "Luxembourg"),
    ("CH", "瑞士", "Switzerland"),
    ("AT", "奧地利", "Austria"),
    ("SE", "瑞典", "Sweden"),
    ("NO", "挪威", "Norway"),
    ("DK", "丹麥", "Denmark"),
    ("FI", "芬蘭", "Finland"),
    ("IS", "冰島", "Iceland"),
    ("IE", "愛爾蘭", "Ireland"),
    ("PL", "波蘭", "Poland"),
    ("CZ", "捷克", "Czech Republic"),
    ("HU", "匈牙利", "Hungary"),
    ("RO", "羅馬尼亞", "Romania"),
    ("GR", "希臘", "Greece"),
    ("RU", "俄羅斯", "Russia"),
    ("UA", "烏克蘭", "Ukraine"),
    ("TR", "土耳其", "Turkey"),
    ("IL", "以色列", "Israel"),
    ("AE", "阿聯", "United Arab Emirates"),
    ("SA", "沙烏地阿拉伯", "Saudi Arabia"),
    ("QA", "卡達", "Qatar"),
    ("EG", "埃及", "Egypt"),
    ("ZA", "南非", "South Africa"),
    ("KE", "肯亞", "Kenya"),
    ("NG", "奈及利亞", "Nigeria"),
    ("BR", "巴西", "Brazil"),
    ("MX", "墨西哥", "Mexico"),
    ("AR", "阿根廷", "Argentina"),
    ("CL", "智利", "Chile"),
    ("CO", "哥倫比亞", "Colombia"),
    ("PE", "秘魯", "Peru"),
    ("FJ", "斐濟", "Fiji"),
    ("PW", "帛琉", "Palau"),
    ("GU", "關島", "Guam"),
]


@pytest.mark.parametrize(("code", "chinese", "english"), COUNTRIES)
def test_it_reads_a_country_by_its_code_its_zh_hant_name_and_its_english_name(
    code, chinese, english
):
    for typed in (code, code.lower(), chinese, english, english.upper(), f" {english} "):
        assert read_label("countries", typed) == code, typed


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("臺灣", "TW"),
        ("台湾", "TW"),
        ("ＴＷ", "TW"),
        ("中華民國", "TW"),
        ("中國大陸", "CN"),
        ("大陸", "CN"),
        ("內地", "CN"),
        ("Mainland China", "CN"),
        ("USA", "US"),
        ("U.S.", "US"),
        ("美国", "US"),
        ("UK", "GB"),
        ("England", "GB"),
        ("南韓", "KR"),
        ("Korea", "KR"),
        ("UAE", "AE"),
        ("阿拉伯聯合大公國", "AE"),
        ("Viet Nam", "VN"),
        ("Macao", "MO"),
        ("中國香港特別行政區", "HK"),
        ("Türkiye", "TR"),
        ("ZW", "ZW"),  # every ISO code, named or not
    ],
)
def test_it_reads_the_common_aliases_of_countries(typed, code):
    assert read_label("countries", typed) == code


@pytest.mark.parametrize("typed", ["Taiwn", "XX", "EU", "Congo", "地球"])
def test_it_knows_no_country_that_is_not_one(typed):
    assert read_label("countries", typed) is None


TAIWAN = [
    (
        "台北市",
        ["台北", "臺北", "臺北市", "Taipei", "Taipei City", "taipei  city", "Taipei, Taiwan"],
    ),
    ("新北市", ["新北", "New Taipei", "New Taipei City", "New Taipei, Taiwan", "台北縣"]),
    ("桃園市", ["桃園", "Taoyuan", "Taoyuan City", "桃園縣"]),
    ("台中市", ["台中", "臺中", "臺中市", "Taichung"]),
    ("台南市", ["台南", "臺南", "臺南市", "Tainan"]),
    ("高雄市", ["高雄", "Kaohsiung", "Kaohsiung City"]),
    ("基隆市", ["基隆", "Keelung"]),
    ("新竹市", ["新竹", "Hsinchu", "Hsinchu City"]),
    ("新竹縣", ["Hsinchu County", "竹北"]),
    ("苗栗縣", ["苗栗", "Miaoli"]),
    ("彰化縣", ["彰化", "Changhua"]),
    ("南投縣", ["南投", "Nantou"]),
    ("雲林縣", ["雲林", "Yunlin"]),
    ("嘉義市", ["嘉義", "Chiayi", "Chiayi City"]),
    ("嘉義縣", ["Chiayi County"]),
    ("屏東縣", ["屏東", "Pingtung"]),
    ("宜蘭縣", ["宜蘭", "Yilan", "Ilan"]),
    ("花蓮縣", ["花蓮", "Hualien"]),
    ("台東縣", ["台東", "臺東", "臺東縣", "Taitung"]),
    ("澎湖縣", ["澎湖", "Penghu"]),
    ("金門縣", ["金門", "Kinmen"]),
    ("連江縣", ["連江", "馬祖", "Matsu", "Lienchiang"]),
]


@pytest.mark.parametrize(("key", "spellings"), TAIWAN)
def test_it_reads_every_spelling_of_taiwans_cities_and_counties(key, spellings):
    for typed in (key, *spellings):
        assert read_label("cities", typed) == key, typed
        assert canonical_region(typed) == key, typed


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("東京", "Tokyo"),
        ("tokyo", "Tokyo"),
        ("Tokyo, Japan", "Tokyo"),
        ("吉隆坡", "Kuala Lumpur"),
        ("香港", "Hong Kong"),
        ("new  york", "New York"),
        ("NEW YORK CITY", "New York"),
        ("osaka-shi", "Osaka-shi"),  # unknown: kept as typed, case and spaces tidied
        ("san  JOSÉ", "San José"),
        ("ＰＥＮＡＮＧ", "Penang"),
    ],
)
def test_it_keeps_foreign_cities_as_typed_with_case_and_spaces_tidied(typed, stored):
    assert stored_label("cities", typed) == stored


def test_a_region_outside_taiwan_is_kept_as_typed():
    assert canonical_region("  Hong   Kong ") == "Hong Kong"
    assert canonical_region("海外") == "海外"


def test_two_spellings_of_one_bucket_add_up_in_stored_data():
    assert canonical_shares("cities", {"台北": 0.2, "臺北市": 0.1, "Tokyo": 0.1}) == {
        "台北市": 0.3,
        "Tokyo": 0.1,
    }
    assert canonical_shares("countries", {"tw": 0.9, "XX": 0.1}) == {"TW": 0.9, "XX": 0.1}


@pytest.mark.parametrize(
    ("text", "dimension", "shares"),
    [
        ("18-24: 29%", "age", {"18-24": 0.29}),
        ("female: 64%", "gender", {"female": 0.64}),
        ("TW: 82%", "countries", {"TW": 0.82}),
        ("台北市: 30%", "cities", {"台北市": 0.3}),
        ("zh-TW: 88%", None, {"zh-TW": 0.88}),
        ("25-34: 60%", "age", {"25-34": 0.6}),
        ("female: 80%", "gender", {"female": 0.8}),
        ("TW: 90%", "countries", {"TW": 0.9}),
        ("台北市: 40%", "cities", {"台北市": 0.4}),
        ("25-34: 60% / 35-44: 40%", "age", {"25-34": 0.6, "35-44": 0.4}),
        ("18-24: 29% / 25-34: 41%", "age", {"18-24": 0.29, "25-34": 0.41}),
        ("女性: 70% / 男性: 30%", "gender", {"female": 0.7, "male": 0.3}),
        ("台灣: 90% / 香港: 10%", "countries", {"TW": 0.9, "HK": 0.1}),
        ("Kobe, Japan: 5%", "cities", {"Kobe, Japan": 0.05}),
    ],
)
def test_every_help_text_example_is_accepted(text, dimension, shares):
    assert parse_shares(text, dimension) == shares


def test_a_list_of_fractions_needs_no_percent_signs_but_a_lone_small_percentage_stays_one():
    assert parse_shares("female: 0.6\nmale: 0.4", "gender") == {"female": 0.6, "male": 0.4}
    assert parse_shares("台北市: 1%", "cities") == {"台北市": 0.01}
    assert parse_shares("台北市: 1", "cities") == {"台北市": 0.01}


def test_it_names_every_unknown_label_at_once():
    with translation.override("en"), pytest.raises(ValueError) as error:
        read_shares("Taiwn: 50%\n日本: 20%\nXX: 30%", "countries")
    assert error.value.messages == [
        "Not a country or region KOLHub knows: “Taiwn”, “XX”. Write its name (台灣, Japan) "
        "or its ISO code (TW, JP)."
    ]


@pytest.mark.parametrize("typed", ["under 18", "18歲以下", "<18", "未滿18歲", "Under 18 years"])
def test_the_youngest_bucket_a_person_writes_as_under_18_is_the_platforms_13_to_17(typed):
    assert read_label("age", typed) == "13-17"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("台北市大安區", "台北市"),
        ("臺北市 大安區", "台北市"),
        ("新竹縣竹北市", "新竹縣"),
        ("Zhongli District, Taoyuan", "桃園市"),
        ("Banqiao District, New Taipei", "新北市"),
        ("Taipei, Taipei", "台北市"),
    ],
)
def test_a_district_counts_in_its_taiwanese_city(typed, key):
    assert read_label("cities", typed) == key


@pytest.mark.parametrize("typed", ["Hong Kong SAR", "香港特別行政區", "香港特區"])
def test_hong_kong_is_read_by_its_official_names(typed):
    assert read_label("countries", typed) == "HK"


@pytest.mark.parametrize(
    ("text", "dimension", "shares"),
    [
        ("女性: 70% / 男性: 30%", "gender", {"female": 0.7, "male": 0.3}),
        ("台灣: 90% / 香港: 10%", "countries", {"TW": 0.9, "HK": 0.1}),
        ("台灣: 90%/香港: 10%", "countries", {"TW": 0.9, "HK": 0.1}),
        ("台灣：90%、香港：10%", "countries", {"TW": 0.9, "HK": 0.1}),
        ("台灣 90%，香港 10%", "countries", {"TW": 0.9, "HK": 0.1}),
        ("女 70%；男 30%", "gender", {"female": 0.7, "male": 0.3}),
        ("female: 0.7; male: 0.3", "gender", {"female": 0.7, "male": 0.3}),
        ("female = 70% | male = 30%", "gender", {"female": 0.7, "male": 0.3}),
        ("女性: 70% 男性: 30%", "gender", {"female": 0.7, "male": 0.3}),
        ("18-24: 35%, 25-34: 45%", "age", {"18-24": 0.35, "25-34": 0.45}),
        (
            "18至24歲: 35%, 65歲以上: 5%\n25–34: 45%",
            "age",
            {"18-24": 0.35, "65+": 0.05, "25-34": 0.45},
        ),
        ("Taipei, Taiwan: 30%, Taichung, Taiwan: 20%", "cities", {"台北市": 0.3, "台中市": 0.2}),
    ],
)
def test_it_reads_entries_typed_on_one_line_as_people_separate_them(text, dimension, shares):
    assert parse_shares(text, dimension) == shares


def test_a_label_without_a_share_on_a_line_of_entries_is_named_by_its_line():
    with translation.override("en"), pytest.raises(ValueError) as error:
        read_shares("女性: 70% / 男性", "gender")
    assert str(error.value) == "Line 1: write “bucket: share”, e.g. “18-24: 29%”."


def test_an_unknown_city_is_a_form_error_that_names_it():
    with translation.override("en"), pytest.raises(ValueError) as error:
        read_shares("台北市: 40%\n火星市: 20%", "cities")
    (message,) = error.value.messages
    assert message.startswith("Not a city KOLHub knows: “火星市”.")
    assert "“Kobe, Japan”" in message


@pytest.mark.parametrize(
    ("text", "shares"),
    [
        ("Kobe, Japan: 10%", {"Kobe, Japan": 0.1}),
        ("神戶，日本: 10%", {"神戶, 日本": 0.1}),
        ("penang,malaysia: 10%", {"Penang, Malaysia": 0.1}),
        ("Kuala Lumpur, Malaysia: 10%", {"Kuala Lumpur": 0.1}),
        ("大阪, 日本: 10%", {"Osaka": 0.1}),
    ],
)
def test_a_foreign_city_written_with_its_country_is_accepted(text, shares):
    assert parse_shares(text, "cities") == shares


def test_a_city_with_a_place_that_is_not_a_country_is_still_unknown():
    with translation.override("en"), pytest.raises(ValueError, match="“Springfield, Narnia”"):
        read_shares("Springfield, Narnia: 10%", "cities")


def test_stored_cities_the_vocabulary_does_not_know_still_load_under_a_key():
    assert canonical_shares("cities", {"火星市": 0.2, "Kobe,Japan": 0.1}) == {
        "火星市": 0.2,
        "Kobe, Japan": 0.1,
    }
