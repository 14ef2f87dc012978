"""One vocabulary for the labels of audience data: gender, age buckets, countries and cities.

People and platforms write the same bucket many ways (女性 and F and women; 台灣, 臺灣, Taiwan and
TW; 18–24 and 18至24歲; 臺北, Taipei and 台北市). Every place an audience dimension enters
(the campaign's target persona, a creator's audience profile typed in or read from a platform,
stored data scored later) reads its labels here, so one bucket has one key:

- gender: "female", "male", "other" (a platform's "unknown"/"U"/"user_specified" reads as
  other);
- age: the buckets platforms report, "13-17" … "55-64", "65+", and TikTok's "55+";
- countries: ISO 3166-1 alpha-2 codes, from the code or from an English, zh-Hant or zh-Hans
  name (Unicode CLDR's, through Babel) or a common alias (中國大陸, USA, UK…);
- cities: Taiwan's cities and counties under their zh-Hant names (台北市, 新竹縣), from any
  of their spellings; some big foreign cities under their English names (Tokyo). A bare
  新竹/Hsinchu or 嘉義/Chiayi is the city, as in the platforms' city breakdowns. Cities are an
  open list: a city the vocabulary does not know is stored as written, with spaces and case
  tidied ("kobe,japan" → "Kobe, Japan"), and compared in that form. A form takes such a city
  only with its country, as platforms write it (`city_with_country`); stored data may hold any.

Pure: no Django, no database.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections.abc import Mapping

from babel import Locale

GENDER = "gender"
AGE = "age"
COUNTRIES = "countries"
CITIES = "cities"
DIMENSIONS = (AGE, GENDER, COUNTRIES, CITIES)

# Simplified characters of the place names below, folded to Traditional; 臺 folds to 台.
_CHARACTERS = str.maketrans("臺湾园云义东兰莲门连马县韩国", "台灣園雲義東蘭蓮門連馬縣韓國")
# Spaces and the punctuation that only decorates a name ("U.S.", "New-Taipei", "Côte d’Ivoire").
_DECORATION = re.compile(r"[\s.\-_'’‘`·・,，()（）]+")


def fold(text: str) -> str:
    """The lookup form of a label: NFKC, case-folded, 臺 → 台, no spaces or decoration."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().translate(_CHARACTERS)
    return _DECORATION.sub("", text)


def tidy(text: str) -> str:
    """A label as typed, with full-width characters and runs of spaces made plain."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).split())


# Gender ----------------------------------------------------------------------------------------

_GENDER_WORDS = {
    "female": "female f woman women girl girls 女 女性 女生 女士 女孩 婦女",
    "male": "male m man men boy boys 男 男性 男生 男士 男孩",
    # YouTube Analytics writes "user_specified" for viewers who gave a gender of their own.
    "other": "other others u unknown undisclosed unspecified userspecified nonbinary 其他 其它 "
    "未知 不明 未指定 未透露 非二元",
}
_GENDERS = {fold(word): key for key, words in _GENDER_WORDS.items() for word in words.split()}


def read_gender(text: str) -> str | None:
    return _GENDERS.get(fold(text))


# Age -------------------------------------------------------------------------------------------

AGE_BUCKETS = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "55+")
_AGE_NOISE = re.compile(r"^age|歲|岁|years?(old)?|yrs?|y/o")
_AGE_DASHES = re.compile(r"[–—−~～〜至到]|to")
_AGE_OPEN = re.compile(r"(\+|以上|andover|orolder|orover|andolder|-)$")
# Platforms count no one under 13, so "under 18" is their youngest bucket.
_AGE_UNDER_18 = re.compile(r"^(under18|below18|<18|18以下|未滿18|未满18)$")


def read_age(text: str) -> str | None:
    """ "18–24", "18~24", "18至24歲", "age18-24" → "18-24"; "65 +", "65歲以上", "age65-" → "65+"."""
    key = "".join(unicodedata.normalize("NFKC", str(text)).casefold().split())
    key = _AGE_DASHES.sub("-", _AGE_NOISE.sub("", key))
    if _AGE_UNDER_18.match(key):
        return "13-17"
    if _AGE_OPEN.search(key):  # YouTube writes the open bucket "age65-"
        key = _AGE_OPEN.sub("", key) + "+"
    return key if key in AGE_BUCKETS else None


# Countries -------------------------------------------------------------------------------------

# Codes CLDR names that are not countries or regions of the world.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
# What people write that no CLDR name spells; these win over CLDR's names.
_COUNTRY_ALIASES = {
    "TW": "臺灣 中華民國 ROC TWN Taiwan ROC 寶島",
    "HK": "香港 HongKong HKG 港 香港特別行政區 香港特區 HongKongSAR HongKongSARChina",
    "MO": "澳門 Macau Macao MAC 澳門特別行政區 澳門特區 MacaoSAR MacauSAR MacaoSARChina",
    "CN": "中國大陸 大陸 內地 中國內地 China PRC MainlandChina Mainland CHN 中国大陆 大陆 内地",
    "JP": "JPN 日",
    "KR": "韓國 Korea SouthKorea 大韓民國 KOR 南韓 韩国",
    "KP": "NorthKorea 朝鮮",
    "SG": "星加坡 星國 SGP",
    "MY": "大馬 MYS",
    "US": "USA U.S.A. US America UnitedStatesofAmerica 美 美國 美国",
    "GB": "UK U.K. GBR Britain GreatBritain England Scotland Wales 英 英國",
    "AU": "AUS 澳大利亞 澳洲",
    "NZ": "新西蘭 NZL",
    "CA": "CAN",
    "AE": "UAE 阿聯 阿聯酋 阿拉伯聯合酋長國",
    "TH": "泰 THA",
    "VN": "VietNam VNM",
    "PH": "PHL",
    "ID": "IDN 印度尼西亞",
    "DE": "DEU",
    "FR": "FRA",
    "TR": "Turkey 土耳其",
    "RU": "Russia 俄國",
    "CZ": "CzechRepublic",
    "MM": "Myanmar Burma 緬甸",
    "NL": "Holland",
    "SA": "沙烏地 沙特",
    "IN": "IND",
}
# Shorter names than CLDR's for the zh-Hant display ("中國香港特別行政區" is long for a table).
_COUNTRY_NAMES = {"HK": ("Hong Kong", "香港"), "MO": ("Macao", "澳門")}


@functools.cache
def _country_locales() -> tuple[Locale, Locale, Locale, Locale]:
    return (
        Locale("en"),
        Locale.parse("zh_Hant_TW"),
        Locale.parse("zh_Hant_HK"),
        Locale.parse("zh_Hans_CN"),
    )


@functools.cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code of a country or region (Kosovo's XK included)."""
    english = _country_locales()[0]
    return frozenset(
        code
        for code in english.territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha()
        if code not in _NOT_COUNTRIES
    )


@functools.cache
def _countries() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, aliases in _COUNTRY_ALIASES.items():
        for alias in aliases.split():
            table.setdefault(fold(alias), code)
    for code in country_codes():
        table.setdefault(fold(code), code)
    for locale in _country_locales():
        for code, name in locale.territories.items():
            if isinstance(code, str) and code in country_codes():
                table.setdefault(fold(name), code)
                # "Myanmar (Burma)" is Myanmar too (but "Congo - Kinshasa" is not all Congo).
                table.setdefault(fold(name.split(" (")[0]), code)
    return table


def read_country(text: str) -> str | None:
    return _countries().get(fold(text))


def country_name(code: str, *, chinese: bool) -> str:
    if code in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[code][1 if chinese else 0]
    locale = _country_locales()[1 if chinese else 0]
    return str(locale.territories.get(code, code))


# Cities ----------------------------------------------------------------------------------------

# Taiwan's cities and counties: the key, its English name, and other spellings. The city comes
# before the county of the same name, so a bare 新竹 or 嘉義 reads as the city.
_TAIWAN = (
    ("台北市", "Taipei City", "台北 Taipei"),
    ("新北市", "New Taipei City", "新北 NewTaipei 台北縣 板橋 Banqiao"),
    ("桃園市", "Taoyuan City", "桃園 Taoyuan 桃園縣 中壢 Zhongli"),
    ("台中市", "Taichung City", "台中 Taichung 台中縣"),
    ("台南市", "Tainan City", "台南 Tainan 台南縣"),
    ("高雄市", "Kaohsiung City", "高雄 Kaohsiung 高雄縣"),
    ("基隆市", "Keelung City", "基隆 Keelung"),
    ("新竹市", "Hsinchu City", "新竹 Hsinchu 竹市"),
    ("新竹縣", "Hsinchu County", "竹縣 竹北 Zhubei"),
    ("苗栗縣", "Miaoli County", "苗栗 Miaoli"),
    ("彰化縣", "Changhua County", "彰化 Changhua"),
    ("南投縣", "Nantou County", "南投 Nantou"),
    ("雲林縣", "Yunlin County", "雲林 Yunlin"),
    ("嘉義市", "Chiayi City", "嘉義 Chiayi"),
    ("嘉義縣", "Chiayi County", ""),
    ("屏東縣", "Pingtung County", "屏東 Pingtung"),
    ("宜蘭縣", "Yilan County", "宜蘭 Yilan Ilan"),
    ("花蓮縣", "Hualien County", "花蓮 Hualien"),
    ("台東縣", "Taitung County", "台東 Taitung"),
    ("澎湖縣", "Penghu County", "澎湖 Penghu"),
    ("金門縣", "Kinmen County", "金門 Kinmen"),
    ("連江縣", "Lienchiang County", "連江 Lienchiang 馬祖 Matsu"),
)
# Foreign cities that Taiwanese campaigns' audiences often name: the key (English), the zh-Hant
# name, and other spellings.
_FOREIGN = (
    ("Hong Kong", "香港", "HK"),
    ("Macao", "澳門", "Macau"),
    ("Singapore", "新加坡", ""),
    ("Kuala Lumpur", "吉隆坡", "KL"),
    ("Tokyo", "東京", ""),
    ("Osaka", "大阪", ""),
    ("Kyoto", "京都", ""),
    ("Seoul", "首爾", "漢城"),
    ("Busan", "釜山", "Pusan"),
    ("Bangkok", "曼谷", ""),
    ("Shanghai", "上海", ""),
    ("Beijing", "北京", "Peking"),
    ("Shenzhen", "深圳", ""),
    ("Guangzhou", "廣州", "广州"),
    ("Xiamen", "廈門", "厦门"),
    ("Hanoi", "河內", "Ha Noi"),
    ("Ho Chi Minh City", "胡志明市", "胡志明 HoChiMinh Saigon 西貢"),
    ("Manila", "馬尼拉", ""),
    ("Jakarta", "雅加達", ""),
    ("New York", "紐約", "NewYorkCity NYC"),
    ("Los Angeles", "洛杉磯", "LA"),
    ("San Francisco", "舊金山", "三藩市"),
    ("Seattle", "西雅圖", ""),
    ("Vancouver", "溫哥華", ""),
    ("Toronto", "多倫多", ""),
    ("London", "倫敦", ""),
    ("Paris", "巴黎", ""),
    ("Sydney", "雪梨", "悉尼"),
    ("Melbourne", "墨爾本", ""),
    ("Auckland", "奧克蘭", ""),
)
_TAIWAN_NAMES = {key: english for key, english, _spellings in _TAIWAN}
_FOREIGN_NAMES = {key: chinese for key, chinese, _spellings in _FOREIGN}


@functools.cache
def _cities() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, english, spellings in _TAIWAN:
        for spelling in (key, english, *spellings.split()):
            table.setdefault(fold(spelling), key)
    for key, chinese, spellings in _FOREIGN:
        for spelling in (key, chinese, *spellings.split()):
            table.setdefault(fold(spelling), key)
    return table


# A district under its city or county, as addresses write it: 台北市大安區, 新竹縣竹北市.
_DISTRICT = re.compile(r"^(.{2,4}?[市縣县])(.{1,5}[區区鄉乡鎮镇市])$")


def read_city(text: str) -> str | None:
    """The key of a city the vocabulary knows; a platform's "Taipei, Taiwan" too, and a
    district counted in its Taiwanese city ("Zhongli District, Taoyuan", 台北市大安區): fit
    compares cities and counties."""
    cities = _cities()
    found = cities.get(fold(text))
    if found is None and re.search(r"[,，]", text):
        place, wider = (part.strip() for part in re.split(r"[,，]", text, maxsplit=1))
        if read_country(wider) is not None:
            found = cities.get(fold(place))
        elif is_taiwanese(city := cities.get(fold(wider), "")):
            found = city
    if found is None and (district := _DISTRICT.match(tidy(text))):
        city = cities.get(fold(district.group(1)), "")
        found = city if is_taiwanese(city) else None
    return found


def city_name(key: str, *, chinese: bool) -> str:
    if key in _TAIWAN_NAMES:
        return key if chinese else _TAIWAN_NAMES[key]
    if key in _FOREIGN_NAMES:
        return _FOREIGN_NAMES[key] if chinese else key
    return key


def tidy_city(text: str) -> str:
    """A city the vocabulary does not know, as typed with spaces, commas and case tidied."""
    return string.capwords(_COMMA.sub(", ", tidy(text)).casefold())


_COMMA = re.compile(r"\s*,\s*")  # after `tidy`, a full-width comma is a plain one


def city_with_country(text: str) -> bool:
    """Whether a label names a city with its country, as platforms write a city the
    vocabulary does not know: "Kobe, Japan", "神戶，日本"."""
    place, comma, country = tidy(text).rpartition(",")
    return bool(comma and place.strip(" ,") and read_country(country) is not None)


def is_taiwanese(key: str) -> bool:
    return key in _TAIWAN_NAMES


# All dimensions --------------------------------------------------------------------------------

_READERS = {GENDER: read_gender, AGE: read_age, COUNTRIES: read_country, CITIES: read_city}


def read_label(dimension: str, text: str) -> str | None:
    """The key of a label in its dimension; None when the vocabulary does not know it (and for
    dimensions it does not cover, such as languages)."""
    reader = _READERS.get(dimension)
    return reader(text) if reader else None


@functools.lru_cache(maxsize=4096)
def stored_label(dimension: str, text: str) -> str:
    """The key under which a label is stored and compared: the vocabulary's, else the label
    tidied (a city as `tidy_city` writes it; a country code in capitals). Never fails."""
    found = read_label(dimension, text)
    if found is not None:
        return found
    if dimension == CITIES:
        return tidy_city(text)
    if dimension == COUNTRIES:
        return tidy(text).upper()
    return tidy(text).casefold() if dimension in _READERS else tidy(text)


def canonical_shares(dimension: str, shares: Mapping[str, float]) -> dict[str, float]:
    """Shares under their stored keys; two spellings of one bucket add up."""
    merged: dict[str, float] = {}
    for label, share in shares.items():
        key = stored_label(dimension, label)
        merged[key] = round(merged.get(key, 0.0) + float(share), 4)
    return merged


def canonical_region(text: str) -> str:
    """A creator's region: Taiwan's cities and counties under one spelling (台北, 臺北, Taipei →
    台北市); any other place as typed, spaces tidied."""
    found = read_city(text)
    return found if found is not None and is_taiwanese(found) else tidy(text)
