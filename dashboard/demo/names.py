"""Fake identities for the demo school: Chinese names, 身分證號 and Hsinchu-area addresses.

Part of the demo generator (dashboard/demo.py). Every value is invented from common lists.
The 身分證號 have the real form (a letter, 1/2 for the sex, 8 more digits), which is all the
importer checks, so its parsing and hashing see realistic input; but every one fails the
national-ID checksum on purpose — its last digit is one more (mod 10) than the check digit —
so no demo number can be a real person's.
A few given names use 堃, 喆 or 峯, characters that exist only in Big5-HKSCS, not in cp950.
This module must not import streamlit.
"""

from __future__ import annotations

from itertools import accumulate

from dashboard.demo.calendar import Stream

SURNAMES = (
    "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余趙盧梁顏柯孫魏翁"
    "戴范方宋鄧杜傅侯曹溫薛丁馬蔣唐卓藍馮姚石董紀歐程連古汪湯姜田康鄒白涂尤巫韓龔嚴袁鐘黎金阮陸倪夏童"
)
_SURNAME_CUM = list(accumulate(1.0 / (r + 1.5) for r in range(len(SURNAMES))))
MALE_CHARS = (
    "家宇翔宏志明俊傑承恩冠廷柏睿彥哲宥誠浩軒凱文瑋偉博安昱辰勝仁建祐維峻晨澤晉皓霖群鈞聖育宗穎品銘威"
)
FEMALE_CHARS = "怡婷雅佳欣筱詩涵宜庭思彤芷瑜琪郁雯靜慧心語萱妤芸嘉蓁穎晴甯琳瑄淑惠美玲珮瑩昀寧子沛如"
HKSCS_CHARS = "堃喆峯"

# (postal code, 縣市區, roads)
_AREAS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "300",
        "新竹市東區",
        ("光復路一段", "光復路二段", "東大路一段", "建功一路", "食品路", "民族路", "經國路一段", "學府路"),
    ),
    ("300", "新竹市北區", ("中華路二段", "西大路", "北大路", "經國路二段", "武陵路", "中正路", "境福街")),
    ("300", "新竹市香山區", ("中華路五段", "牛埔東路", "大庄路", "元培街", "五福路一段")),
    ("302", "新竹縣竹北市", ("光明六路", "縣政九路", "自強南路", "博愛街", "中正東路", "文興路一段")),
    ("310", "新竹縣竹東鎮", ("東寧路三段", "長春路二段", "北興路一段", "中豐路一段")),
    ("303", "新竹縣湖口鄉", ("中正路一段", "達生路", "仁和路", "中山路二段")),
    ("304", "新竹縣新豐鄉", ("建興路一段", "中正路", "新興路")),
    ("305", "新竹縣新埔鎮", ("中正路", "義民路三段")),
    ("306", "新竹縣關西鎮", ("中山路", "正義路")),
    ("307", "新竹縣芎林鄉", ("文山路", "富林路二段")),
    ("308", "新竹縣寶山鄉", ("雙園路二段", "寶新路")),
    ("351", "苗栗縣頭份市", ("中華路", "建國路", "尚順路")),
    ("350", "苗栗縣竹南鎮", ("光復路", "博愛街", "公義路")),
)
_AREA_CUM = list(accumulate((22, 18, 8, 16, 9, 7, 5, 3, 2, 2, 2, 4, 3)))

# Letter codes of the ROC national ID (內政部 rules); J = 新竹縣, O = 新竹市.
_ID_LETTERS = {
    "A": 10,
    "B": 11,
    "C": 12,
    "D": 13,
    "E": 14,
    "F": 15,
    "G": 16,
    "H": 17,
    "I": 34,
    "J": 18,
    "K": 19,
    "L": 20,
    "M": 21,
    "N": 22,
    "O": 35,
    "P": 23,
    "Q": 24,
    "R": 25,
    "S": 26,
    "T": 27,
    "U": 28,
    "V": 29,
    "W": 32,
    "X": 30,
    "Y": 31,
    "Z": 33,
}
_BIRTH_LETTERS = "OJHKAFBE"
_BIRTH_CUM = list(accumulate((40, 30, 10, 8, 4, 4, 2, 2)))


def person_name(s: Stream, gender: str) -> str:
    chars = MALE_CHARS if gender == "男" else FEMALE_CHARS
    first = s.pick(chars)
    given = first if s.chance(0.07) else first + s.pick([c for c in chars if c != first])
    return SURNAMES[s.weighted(_SURNAME_CUM)] + given


def with_hkscs(s: Stream, name: str) -> str:
    """The name with its last character replaced by one found only in Big5-HKSCS."""
    return name[:-1] + s.pick(HKSCS_CHARS)


def id_check_digit(letter: str, digits: str) -> int:
    """The digit that would make letter + digits (8 of them) a valid national ID."""
    code = _ID_LETTERS[letter]
    total = code // 10 + (code % 10) * 9
    total += sum(int(d) * w for d, w in zip(digits, (8, 7, 6, 5, 4, 3, 2, 1), strict=True))
    return (10 - total % 10) % 10


def national_id(s: Stream, gender: str, taken: set[str]) -> str:
    """A 身分證號 of the real form that fails the checksum: never a real person's number.

    The wrong last digit is a fixed shift of the check digit, so the draws (and every other
    demo value) are the same as they would be with valid numbers."""
    while True:
        letter = _BIRTH_LETTERS[s.weighted(_BIRTH_CUM)]
        digits = ("1" if gender == "男" else "2") + "".join(str(s.index(10)) for _ in range(7))
        value = f"{letter}{digits}{(id_check_digit(letter, digits) + 1) % 10}"
        if value not in taken:
            taken.add(value)
            return value


def address(s: Stream) -> str:
    postal, area, roads = _AREAS[s.weighted(_AREA_CUM)]
    lane = f"{s.between(1, 320)}巷" if s.chance(0.35) else ""
    floor = f"{s.between(2, 15)}樓" if s.chance(0.4) else ""
    return f"{postal}{area}{s.pick(roads)}{lane}{s.between(1, 420)}號{floor}"
