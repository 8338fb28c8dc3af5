"""Synthetic personal names for Kazakhstan: Kazakh, Russian and Central Asian names in Cyrillic,
and the Latin spellings officials really meet, with the variants and typos that make matching
hard.

Everything here is fictional and random: first names, family names and patronymics are combined
at random from common names, so no combination stands for a real person. The pools are as
diverse as the country's names (hundreds of family names per group: Kazakh ones formed from
ancestors' given names, Russian, Ukrainian, German and Korean ones) and drawn with Zipf-like
weights, so common names stay common without a million persons sharing a few dozen names.

What varies, as in real records:

* script: a Kazakh name in Kazakh letters (Қайрат, Жұлдыз) or in Russian letters (Кайрат, Жулдыз);
* patronymic: Russian style (Ержанович, Ержановна) or Kazakh style (Ержанұлы, Ержанқызы);
* Latin spellings: a passport's (ZHANAR KANAREVA), a casual one (Janar Kanaryeva) with Zh/J,
  Kh/H, Y/I, Yu/Iu, Ye/E, soft sign dropped or written as an apostrophe, -yev/-ev/-iev, and the
  Kazakh Latin alphabets of 2018 (Qaırat, Jýldyz) and 2021 (Qairat, Jūldyz, Şynar);
* typos, at :data:`TYPO_RATE` per written name: two letters swapped, a letter dropped or doubled;
* the same person met again later (:meth:`NameGenerator.encounter_again`), written differently.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import accumulate
from typing import TypeVar

TYPO_RATE = 0.04  # share of written names with one typo (swap, drop or double a letter)

T = TypeVar("T")

# --- Kazakh --------------------------------------------------------------------------------

# Pools are listed most common first: draw() weights them Zipf-like (see _zipf_cumulative).
KAZAKH_MALE = [
    "Айдар", "Айбек", "Алмас", "Арман", "Асхат", "Бауыржан", "Берік", "Ғалым", "Дамир",
    "Данияр", "Ерлан", "Ержан", "Ерболат", "Жандос", "Жәнібек", "Қайрат", "Қанат", "Марат",
    "Нұрлан", "Нұрсұлтан", "Серік", "Талғат", "Тимур", "Ұлан", "Дархан", "Азамат", "Аслан",
    "Бақытжан", "Мақсат", "Олжас", "Руслан", "Саят", "Қуаныш", "Мұхтар", "Еркебұлан",
    "Әділет", "Жұмабек", "Әлихан", "Ілияс", "Шыңғыс", "Абылай", "Айбар", "Айдын", "Ақжол",
    "Алдияр", "Алмат", "Ансар", "Арсен", "Арыстан", "Асан", "Асылбек", "Бекжан", "Бекзат",
    "Бейбіт", "Болат", "Ғабит", "Дәулет", "Досжан", "Елдос", "Ербол", "Ердос", "Еркін",
    "Ермек", "Жанат", "Жасұлан", "Ислам", "Қазыбек", "Мағжан", "Мейрам", "Мұрат", "Нұрбол",
    "Нұржан", "Рүстем", "Самат", "Санжар", "Сұлтан", "Темірлан", "Төлеген", "Әлібек",
    "Бақыт", "Нұрдәулет", "Ерасыл", "Ерназар", "Мирас", "Ақылбек", "Әділ", "Бағдат",
    "Бекарыс", "Жандәулет", "Нұрасыл", "Ернар",
]  # fmt: skip
KAZAKH_FEMALE = [
    "Айгерім", "Айгүл", "Айжан", "Әлия", "Әсел", "Ботагөз", "Гүлнара", "Гүлмира", "Дана",
    "Динара", "Жанар", "Жанна", "Жұлдыз", "Камила", "Қарлығаш", "Лаура", "Мадина", "Меруерт",
    "Назгүл", "Сәуле", "Салтанат", "Томирис", "Ұлжан", "Фариза", "Ақбота", "Аружан", "Аяулым",
    "Балжан", "Гүлназ", "Айнұр", "Ақмарал", "Шынар", "Інкәр", "Самал", "Нәзира", "Айдана",
    "Айым", "Айша", "Ажар", "Ақерке", "Ақнұр", "Алтынай", "Анар", "Арай", "Әсем", "Ару",
    "Бибігүл", "Гаухар", "Гүлжан", "Гүлсім", "Дариға", "Дильназ", "Жазира", "Жанерке",
    "Жансая", "Жұпар", "Зарина", "Зере", "Индира", "Қымбат", "Ләззат", "Мөлдір", "Нұргүл",
    "Нұрсұлу", "Перизат", "Раушан", "Сабина", "Сандуғаш", "Сымбат", "Тоғжан", "Толғанай",
    "Шолпан", "Эльмира", "Айсұлу", "Гүлшат", "Жібек", "Күләш", "Данагүл", "Айман", "Балнұр",
    "Назерке", "Айзере", "Ақмаржан", "Нұрайым", "Еркежан", "Альбина", "Маржан", "Гүлнұр",
    "Зәуре", "Райхан", "Сабира", "Шырын",
]  # fmt: skip
# Family names in their masculine form; the feminine adds -а (see feminine()). The most
# common first; then the many formed, as Kazakh family names are, from the given name of a
# father, grandfather or ancestor (KAZAKH_ANCESTORS, see kazakh_family_name()).
KAZAKH_COMMON_FAMILY = [
    "Ахметов", "Әбдірахманов", "Байжанов", "Бекмұхамбетов", "Жақсыбеков", "Жұмабаев",
    "Ибраев", "Исмаилов", "Кенжебаев", "Қасымов", "Мұхамеджанов", "Нұрпейісов", "Оспанов",
    "Сағынтаев", "Сейітқалиев", "Смағұлов", "Төлегенов", "Тұрсынбаев", "Өтебаев",
    "Шаймерденов", "Есенов", "Жақыпов", "Қожахметов", "Ысқақов", "Сүлейменов", "Әбенов",
    "Сәрсенбаев", "Тоқтаров", "Әбілов", "Нұрланов", "Бейсенов", "Омаров", "Серікбаев",
    "Темірбеков", "Ғабдуллин", "Жүсіпов", "Мамыров", "Құдайбергенов", "Ержанов", "Рақымжанов",
]  # fmt: skip
# Traditional Kazakh men's names that family names were formed from.
KAZAKH_ANCESTORS = [
    "Абай", "Абылай", "Әбдіқадыр", "Әбіл", "Ағыбай", "Ақан", "Ақберген", "Ақжол", "Ақтан",
    "Ақылбек", "Алдаберген", "Алдияр", "Әлібек", "Әли", "Әлжан", "Алпысбай", "Алтай",
    "Алтынбек", "Аманжол", "Аманбай", "Аманжан", "Аманқұл", "Ануар", "Арыстан", "Асан",
    "Асқар", "Асылбек", "Әуез", "Аязбай", "Бабажан", "Байбол", "Байкен", "Баймұрат",
    "Баймұхамбет", "Байсейіт", "Байтұрсын", "Бақберген", "Бақыт", "Балтабай", "Барлыбай",
    "Батыр", "Бейбіт", "Бейсенбай", "Бекет", "Бекжан", "Бекмұрат", "Бексұлтан", "Бектас",
    "Бекбол", "Бердібек", "Болат", "Боранбай", "Бөкей", "Ғабит", "Ғазиз", "Ғалым", "Ғани",
    "Дәулет", "Досжан", "Досмұхамбет", "Дүйсен", "Дүйсенбай", "Дулат", "Елубай", "Ерболат",
    "Ердос", "Ержігіт", "Ерлан", "Ермек", "Ермұхамбет", "Ерсайын", "Есенбай", "Есім",
    "Есжан", "Есмағамбет", "Жабай", "Жақсылық", "Жамбыл", "Жанболат", "Жандарбек",
    "Жанұзақ", "Жаппар", "Жарылқасын", "Жексенбай", "Жолдас", "Жолдыбай", "Жомарт", "Жұмаш",
    "Жұмағұл", "Жүніс", "Зәкір", "Ибрагим", "Иса", "Исабек", "Кәрім", "Кемел", "Кенес",
    "Көбей", "Қабдол", "Қадыр", "Қайыржан", "Қайрат", "Қалдыбай", "Қали", "Қамбар", "Қанат",
    "Қаратай", "Қасен", "Қожа", "Қоңырбай", "Құлжан", "Құрман", "Құрманбай", "Құсайын",
    "Қыдырбай", "Қыдыр", "Мағжан", "Мақаш", "Мақсұт", "Мамбет", "Мәди", "Мейірбек", "Мұқан",
    "Мұқаш", "Мұрат", "Мұса", "Мұхаметжан", "Мұхтар", "Мырзахмет", "Мырзабек", "Мырзағали",
    "Нағашыбай", "Назарбай", "Нұрбай", "Нұрғали", "Нұрмағамбет", "Нұртай", "Нысанбай",
    "Оңдасын", "Оразбай", "Орынбай", "Өмірбек", "Өмірзақ", "Өтеген", "Пернебай", "Рақым",
    "Рысбек", "Рысқұл", "Сабыр", "Сағындық", "Сағын", "Сапар", "Сарыбай", "Сәбит", "Сәден",
    "Сәрсен", "Сейдахмет", "Сейіт", "Сексенбай", "Серғали", "Сыздық", "Сұлтан", "Сұлтанбек",
    "Тайжан", "Талғат", "Тасболат", "Темірхан", "Темірғали", "Тілеу", "Тілеубай",
    "Тоқтасын", "Төлебай", "Тұрар", "Тұрсын", "Тұрлыбек", "Ұзақ", "Үсен", "Шәкен", "Шоқай",
    "Шалабай", "Ыбырай", "Ілияс", "Ізбасар", "Ахметжан", "Әбдіғали", "Әділ", "Айтбай",
    "Айтқали", "Айтжан", "Айтмұхамбет", "Ақмырза", "Ақыл", "Алмұрат", "Аманғали", "Аман",
    "Арын", "Асылхан", "Бағдат", "Байдос", "Байжігіт", "Байзақ", "Байқадам", "Бақтыбай",
    "Балғабай", "Бейсембай", "Бекбай", "Бекназар", "Бексейіт", "Бисен", "Ботабай",
    "Дәуренбек", "Досан", "Ерден", "Ерсұлтан", "Есболат", "Ескендір", "Жайлау", "Жақан",
    "Жанат", "Жантас", "Жаңабай", "Жарас", "Жәкен", "Жетпісбай", "Жұбаныш", "Жұман",
    "Жұмат", "Жылқыбай", "Иманғали", "Иманбай", "Исахан", "Кенжеғұл", "Қазыбек",
    "Қайырбек", "Қалыбай", "Қапан", "Қараш", "Қасымжан", "Қуандық", "Құлбай", "Қыстаубай",
    "Мақажан", "Мәлік", "Марат", "Медеу", "Мейрам", "Мұхит", "Мыңбай", "Нарымбет", "Нұржан",
    "Нұрсейіт", "Нұрсұлтан", "Оңғар", "Омарбек", "Рамазан", "Рүстем", "Сағат", "Сайлау",
    "Самат", "Сейітжан", "Сейілхан", "Серікжан", "Смайыл", "Тәжібай", "Талап", "Тұрған",
    "Тұяқбай", "Түсіп", "Тыныбек", "Тынышбай", "Үмбет", "Шалқар", "Шерхан", "Ыдырыс",
    "Әбдіжаппар", "Әбдікәрім", "Әлмұхамбет", "Бекмағамбет", "Дастан", "Дәуітбек",
    "Ерғазы", "Жұмахан", "Қожабек", "Мұсабек", "Нұрмұхамбет", "Оразалы",
    "Сейілбек", "Тәңірберген", "Төрехан", "Хамит", "Шаяхмет",
]  # fmt: skip


def kazakh_family_name(ancestor: str) -> str:
    """The family name formed from an ancestor's given name, as Kazakh family names are:
    -ов after a consonant (Болат → Болатов), -ев after a vowel (Әли → Әлиев, Мұса → Мұсаев)
    and after ж, ш, ч (Мақаш → Мақашев), and -баев from -бай (Қалдыбай → Қалдыбаев)."""
    if ancestor.endswith("й"):
        return ancestor[:-1] + "ев"
    if ancestor.endswith("ы"):  # Ерғазы → Ерғазиев, Оразалы → Оразалиев
        return ancestor[:-1] + "иев"
    if ancestor[-1] in "аеиәжшчщ":
        return ancestor + "ев"
    return ancestor + "ов"


KAZAKH_FAMILY = list(
    dict.fromkeys(KAZAKH_COMMON_FAMILY + [kazakh_family_name(a) for a in KAZAKH_ANCESTORS])
)

# Russian-letter spelling of Kazakh-specific letters, as in documents issued before 2000s.
KAZAKH_TO_RUSSIAN = str.maketrans(
    {
        "ә": "а", "Ә": "А", "ғ": "г", "Ғ": "Г", "қ": "к", "Қ": "К", "ң": "н", "Ң": "Н",
        "ө": "о", "Ө": "О", "ұ": "у", "Ұ": "У", "ү": "у", "Ү": "У", "һ": "х", "Һ": "Х",
        "і": "и", "І": "И",
    }
)  # fmt: skip
# A few spellings Russian-letter documents used instead of the letter-by-letter one.
RUSSIAN_STYLE_OVERRIDES = {
    "Жақсыбеков": ["Джаксыбеков", "Жаксыбеков"],
    "Сейітқалиев": ["Сейткалиев", "Сеиткалиев"],
    "Ысқақов": ["Искаков", "Ыскаков"],
    "Нұрпейісов": ["Нурпеисов", "Нурпейсов"],
    "Жүсіпов": ["Юсупов", "Жусупов"],
    "Жақыпов": ["Джакупов", "Жакупов"],
    "Бауыржан": ["Бауржан", "Бауыржан"],
    "Ілияс": ["Ильяс", "Илияс"],
    "Әлия": ["Алия", "Алия"],
    "Әсел": ["Асель", "Асель"],
    "Айгүл": ["Айгуль", "Айгуль"],
    "Назгүл": ["Назгуль", "Назгуль"],
    "Гүлназ": ["Гульназ", "Гульназ"],
    "Сәуле": ["Сауле", "Сауле"],
    "Нәзира": ["Назира", "Назира"],
}

# --- Russian and other Slavic, German, Korean names of Kazakhstan ---------------------------

# (name, patronymic for a son, patronymic for a daughter)
RUSSIAN_MALE: list[tuple[str, str, str]] = [
    ("Александр", "Александрович", "Александровна"),
    ("Алексей", "Алексеевич", "Алексеевна"),
    ("Андрей", "Андреевич", "Андреевна"),
    ("Антон", "Антонович", "Антоновна"),
    ("Артём", "Артёмович", "Артёмовна"),
    ("Виктор", "Викторович", "Викторовна"),
    ("Владимир", "Владимирович", "Владимировна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ("Евгений", "Евгеньевич", "Евгеньевна"),
    ("Иван", "Иванович", "Ивановна"),
    ("Игорь", "Игоревич", "Игоревна"),
    ("Константин", "Константинович", "Константиновна"),
    ("Максим", "Максимович", "Максимовна"),
    ("Михаил", "Михайлович", "Михайловна"),
    ("Николай", "Николаевич", "Николаевна"),
    ("Олег", "Олегович", "Олеговна"),
    ("Павел", "Павлович", "Павловна"),
    ("Роман", "Романович", "Романовна"),
    ("Сергей", "Сергеевич", "Сергеевна"),
    ("Юрий", "Юрьевич", "Юрьевна"),
    ("Вячеслав", "Вячеславович", "Вячеславовна"),
    ("Геннадий", "Геннадьевич", "Геннадьевна"),
    ("Илья", "Ильич", "Ильинична"),
    ("Кирилл", "Кириллович", "Кирилловна"),
    ("Василий", "Васильевич", "Васильевна"),
    ("Анатолий", "Анатольевич", "Анатольевна"),
    ("Аркадий", "Аркадьевич", "Аркадьевна"),
    ("Борис", "Борисович", "Борисовна"),
    ("Вадим", "Вадимович", "Вадимовна"),
    ("Валентин", "Валентинович", "Валентиновна"),
    ("Валерий", "Валерьевич", "Валерьевна"),
    ("Виталий", "Витальевич", "Витальевна"),
    ("Владислав", "Владиславович", "Владиславовна"),
    ("Глеб", "Глебович", "Глебовна"),
    ("Григорий", "Григорьевич", "Григорьевна"),
    ("Даниил", "Даниилович", "Данииловна"),
    ("Денис", "Денисович", "Денисовна"),
    ("Егор", "Егорович", "Егоровна"),
    ("Эдуард", "Эдуардович", "Эдуардовна"),
    ("Леонид", "Леонидович", "Леонидовна"),
    ("Лев", "Львович", "Львовна"),
    ("Матвей", "Матвеевич", "Матвеевна"),
    ("Никита", "Никитич", "Никитична"),
    ("Пётр", "Петрович", "Петровна"),
    ("Ростислав", "Ростиславович", "Ростиславовна"),
    ("Семён", "Семёнович", "Семёновна"),
    ("Станислав", "Станиславович", "Станиславовна"),
    ("Степан", "Степанович", "Степановна"),
    ("Тимофей", "Тимофеевич", "Тимофеевна"),
    ("Фёдор", "Фёдорович", "Фёдоровна"),
    ("Ярослав", "Ярославович", "Ярославовна"),
    ("Георгий", "Георгиевич", "Георгиевна"),
    ("Яков", "Яковлевич", "Яковлевна"),
    ("Артур", "Артурович", "Артуровна"),
    ("Богдан", "Богданович", "Богдановна"),
    ("Захар", "Захарович", "Захаровна"),
]
RUSSIAN_FEMALE = [
    "Анна", "Елена", "Екатерина", "Ирина", "Ксения", "Людмила", "Марина", "Мария", "Наталья",
    "Ольга", "Светлана", "Татьяна", "Юлия", "Валентина", "Галина", "Дарья", "Надежда",
    "Оксана", "Алёна", "Виктория", "Полина", "Софья", "Евгения", "Кристина", "Анастасия",
    "Александра", "Алина", "Алла", "Валерия", "Вера", "Вероника", "Диана", "Елизавета",
    "Зоя", "Инна", "Карина", "Лариса", "Лидия", "Любовь", "Маргарита", "Нина", "Раиса",
    "Тамара", "Ульяна", "Яна", "Антонина", "Олеся", "Регина", "Эвелина", "Таисия", "Варвара",
    "Милана", "Ангелина", "Лилия", "Нелли",
]  # fmt: skip
RUSSIAN_FAMILY = [
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов",
    "Воробьёв", "Сергеев", "Кириллов", "Ковальчук", "Шевченко", "Бондаренко", "Ким", "Цой",
    "Пак", "Шмидт", "Вебер", "Канарьев", "Белозерский", "Ильин",
    # Russian
    "Беляев", "Тарасов", "Белов", "Комаров", "Киселёв", "Ковалёв", "Гусев", "Титов",
    "Кузьмин", "Кудрявцев", "Баранов", "Куликов", "Сорокин", "Королёв", "Герасимов",
    "Пономарёв", "Лазарев", "Медведев", "Ершов", "Соболев", "Рябов", "Поляков", "Цветков",
    "Данилов", "Жуков", "Фролов", "Журавлёв", "Крылов", "Максимов", "Сидоров", "Осипов",
    "Белоусов", "Федотов", "Дорофеев", "Матвеев", "Бобров", "Дмитриев", "Калинин",
    "Анисимов", "Петухов", "Антонов", "Тимофеев", "Никифоров", "Веселов", "Филиппов",
    "Марков", "Большаков", "Суханов", "Миронов", "Ширяев", "Александров", "Коновалов",
    "Шестаков", "Казаков", "Ефимов", "Денисов", "Громов", "Фомин", "Давыдов", "Мельников",
    "Щербаков", "Блинов", "Колесников", "Карпов", "Афанасьев", "Власов", "Маслов", "Исаков",
    "Тихонов", "Аксёнов", "Гаврилов", "Родионов", "Котов", "Горбунов", "Кудряшов", "Быков",
    "Зуев", "Третьяков", "Савельев", "Панов", "Рыбаков", "Суворов", "Абрамов", "Воронов",
    "Мухин", "Архипов", "Трофимов", "Мартынов", "Емельянов", "Горшков", "Чернов",
    "Овчинников", "Селезнёв", "Панфилов", "Копылов", "Михеев", "Галкин", "Лобанов", "Лукин",
    "Беляков", "Потапов", "Некрасов", "Хохлов", "Жданов", "Наумов", "Шилов", "Воронцов",
    "Ермаков", "Дроздов", "Игнатьев", "Савин", "Логинов", "Сафонов", "Капустин", "Моисеев",
    "Елисеев", "Кошелев", "Костин", "Горбачёв", "Орехов", "Ефремов", "Евдокимов",
    "Калашников", "Кабанов", "Носков", "Юдин", "Кулагин", "Лапин", "Прохоров", "Нестеров",
    "Харитонов", "Агафонов", "Муравьёв", "Ларионов", "Федосеев", "Зимин", "Пахомов", "Шубин",
    "Игнатов", "Филатов", "Крюков", "Рогов", "Кулаков", "Терентьев", "Молчанов",
    "Владимиров", "Артемьев", "Гурьев", "Зиновьев", "Гришин", "Кононов", "Дементьев",
    "Ситников", "Симонов", "Мишин", "Фадеев", "Комиссаров", "Мамонтов", "Носов", "Гуляев",
    "Шаров", "Устинов", "Вишняков", "Евсеев", "Лаврентьев", "Брагин", "Константинов",
    "Корнилов", "Авдеев", "Зыков", "Бирюков", "Шарапов", "Никонов", "Щукин", "Дьячков",
    "Одинцов", "Сазонов", "Якушев", "Красильников", "Гордеев", "Самойлов", "Князев",
    "Беспалов", "Уваров", "Шашков", "Бобылёв", "Доронин", "Белозёров", "Рожков", "Самсонов",
    "Мясников", "Лихачёв", "Буров", "Сысоев", "Фомичёв", "Русаков", "Стрелков", "Гущин",
    "Тетерин", "Колобов", "Субботин", "Фокин", "Блохин", "Селиверстов", "Пестов",
    "Кондратьев", "Силин", "Меркушев", "Лыткин", "Туров",
    # Ukrainian, Belarusian, Polish
    "Коваленко", "Ткаченко", "Кравченко", "Олейник", "Мельник", "Бойко", "Коваль",
    "Лысенко", "Марченко", "Руденко", "Савченко", "Петренко", "Кравчук", "Полищук",
    "Федоренко", "Гончаренко", "Тимошенко", "Романенко", "Литвиненко", "Мороз", "Павленко",
    "Костенко", "Демченко", "Зинченко", "Яковенко", "Сидоренко", "Карпенко", "Левченко",
    "Швец", "Кузьменко", "Головко", "Ковалевский", "Вишневский", "Жук", "Новак",
    # German
    "Мюллер", "Шнайдер", "Фишер", "Майер", "Вагнер", "Беккер", "Шульц", "Гофман", "Кох",
    "Рихтер", "Клейн", "Вольф", "Шрёдер", "Нойман", "Шварц", "Циммерман", "Браун", "Крюгер",
    "Гартман", "Ланге", "Вернер", "Краузе", "Леман", "Кёлер", "Герман", "Кениг", "Вальтер",
    "Фукс", "Келлер", "Фогель", "Фридрих", "Функ", "Дик", "Ремпель", "Фризен", "Янцен",
    "Классен", "Нейфельд", "Эккерт", "Штейнке",
    # Korean
    "Ли", "Тен", "Хан", "Югай", "Шин", "Лим", "Когай", "Тян", "Ни", "Нам", "Кан", "Ан",
    "Хегай", "Огай", "Пай", "Хван", "Мун", "Сон",
]  # fmt: skip

# --- Uzbek, Kyrgyz, Tajik (foreign citizens) --------------------------------------------------

CENTRAL_ASIAN_MALE = [
    "Алишер", "Бахтиёр", "Дилшод", "Жасур", "Рустам", "Шерзод", "Улугбек", "Фаррух",
    "Азизбек", "Нурбек", "Эркин", "Бекзод", "Фирдавс", "Абдулло", "Сухроб", "Акмал", "Анвар",
    "Бобур", "Жамшид", "Зафар", "Икром", "Ильхом", "Исломбек", "Комил", "Мансур",
    "Мухаммад", "Нодир", "Отабек", "Равшан", "Санжар", "Умид", "Фарход", "Хуршид", "Шавкат",
    "Шухрат", "Элдор", "Алмазбек", "Бактыбек", "Талант", "Чынгыз", "Эрлан", "Мирлан",
    "Далер", "Фаридун", "Шамсиддин", "Рахмон",
]  # fmt: skip
CENTRAL_ASIAN_FEMALE = [
    "Дилноза", "Гулнора", "Нилуфар", "Шахноза", "Малика", "Зарина", "Айпери", "Бурул",
    "Мехрона", "Севара", "Гулчехра", "Нигина", "Азиза", "Барно", "Гулноза", "Дилфуза",
    "Камола", "Лола", "Мохира", "Наргиза", "Нодира", "Озода", "Сарвиноз", "Феруза", "Хилола",
    "Шохида", "Юлдуз", "Зулфия", "Умида", "Мунира", "Фотима", "Гулбахор", "Айзада", "Бермет",
    "Гулзат", "Жылдыз", "Чолпон", "Мээрим", "Элнура", "Тахмина", "Манижа", "Ситора",
    "Парвина", "Шахло",
]  # fmt: skip
CENTRAL_ASIAN_FAMILY = [
    "Каримов", "Юсупов", "Рахимов", "Тошматов", "Абдуллаев", "Эргашев", "Назаров",
    "Холматов", "Усмонов", "Садыков", "Токтогулов", "Асанов", "Жээнбеков", "Сатторов",
    "Мирзоев", "Рахмонов",
    # Uzbek and Tajik
    "Алимов", "Ахмедов", "Бакиров", "Валиев", "Ганиев", "Давлатов", "Исмоилов", "Кадыров",
    "Камалов", "Латипов", "Мавлонов", "Махмудов", "Мирзаев", "Муминов", "Набиев",
    "Норматов", "Нуриддинов", "Олимов", "Пулатов", "Рашидов", "Расулов", "Саидов",
    "Султанов", "Турсунов", "Умаров", "Усманов", "Файзиев", "Хакимов", "Халилов", "Хамидов",
    "Шарипов", "Эшонов", "Юлдашев", "Якубов", "Азимов", "Бобоев", "Жураев", "Исломов",
    "Комилов", "Нарзуллаев", "Хасанов", "Холиков", "Шукуров", "Ахмадов", "Кодиров",
    "Сафаров", "Хайдаров", "Шарифов", "Курбонов", "Назриев", "Гафуров", "Джураев",
    # Kyrgyz
    "Акаев", "Атамбаев", "Бакиев", "Сыдыков", "Алымбеков", "Жапаров", "Мамытов", "Осмонов",
    "Сариев", "Ташиев", "Абдыкадыров", "Бекболотов", "Турдубаев", "Кулматов", "Иманалиев",
    "Жумабеков", "Чолпонбаев", "Орозбеков", "Усенов", "Мамбетов", "Кадырбеков",
    "Джумагулов",
]  # fmt: skip


@cache
def _zipf_cumulative(count: int) -> tuple[float, ...]:
    """Cumulative Zipf-like weights for a pool listed most common first: rank r weighs
    1 / (r + count / 10), so the first names are frequent and the long tail stays in use."""
    offset = count / 10
    return tuple(accumulate(1 / (rank + offset) for rank in range(1, count + 1)))


def draw(pool: Sequence[T], rng: random.Random) -> T:
    """One entry of a pool listed most common first, drawn with Zipf-like weights."""
    return rng.choices(pool, cum_weights=_zipf_cumulative(len(pool)))[0]


def feminine(family: str) -> str:
    """The feminine form of a family name: Иванов → Иванова, Белозерский → Белозерская; names
    that do not decline (Ким, Шевченко, Ковальчук) stay as they are."""
    for end in ("ов", "ев", "ёв", "ин", "ын"):
        if family.endswith(end):
            return family + "а"
    if family.endswith("ский"):
        return family[:-4] + "ская"
    if family.endswith("цкий"):
        return family[:-4] + "цкая"
    return family


def russian_patronymic(father: str, sex: str) -> str:
    """Ержан → Ержанович / Ержановна; Талгат → Талгатович; Сергей-style names end in -евич."""
    base = father.translate(KAZAKH_TO_RUSSIAN)
    if base.endswith("й"):
        stem = base[:-1] + "ев"
    elif base[-1] in "аяо":
        stem = base[:-1] + "ов"
    else:
        stem = base + "ов"
    return stem + ("на" if sex == "female" else "ич")


def kazakh_patronymic(father: str, sex: str) -> str:
    """Ержан → Ержанұлы / Ержанқызы (the Kazakh form, written as one word)."""
    return father + ("қызы" if sex == "female" else "ұлы")


# --- Latin spellings ---------------------------------------------------------------------------

# Letter → spellings; the first is the passport one (ICAO-like, as in Kazakh passports).
_LATIN: dict[str, tuple[str, ...]] = {
    "а": ("a",), "б": ("b",), "в": ("v",), "г": ("g",), "д": ("d",), "е": ("e",),
    "ё": ("e", "yo"), "ж": ("zh", "j"), "з": ("z",), "и": ("i", "i", "y"), "й": ("y", "i"),
    "к": ("k",), "л": ("l",), "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",),
    "с": ("s",), "т": ("t",), "у": ("u",), "ф": ("f",), "х": ("kh", "h"), "ц": ("ts", "c"),
    "ч": ("ch",), "ш": ("sh",), "щ": ("shch", "sch"), "ъ": ("",), "ы": ("y", "i"),
    "ь": ("", "", "'"), "э": ("e",), "ю": ("yu", "iu"), "я": ("ya", "ia"),
    "ә": ("a", "a", "a", "ae"), "ғ": ("g", "gh"), "қ": ("k", "q"), "ң": ("n", "ng"),
    "ө": ("o", "o", "o", "oe"), "ұ": ("u",), "ү": ("u", "u", "ue"), "һ": ("h",), "і": ("i",),
}  # fmt: skip
# Kazakh Latin alphabet of 2018 (acute accents) and of 2021 (umlauts, breve, cedilla).
_KAZAKH_2018: dict[str, str] = {
    "ә": "á", "ғ": "ǵ", "қ": "q", "ң": "ń", "ө": "ó", "ұ": "u", "ү": "ú", "і": "i", "ы": "y",
    "и": "ı", "й": "ı", "у": "ý", "ш": "sh", "ч": "ch", "ж": "j", "х": "h", "һ": "h", "ц": "ts",
    "щ": "shch", "ю": "ıý", "я": "ıa", "ё": "ıo", "ь": "", "ъ": "", "э": "e",
}  # fmt: skip
_KAZAKH_2021: dict[str, str] = {
    "ә": "ä", "ғ": "ğ", "қ": "q", "ң": "ñ", "ө": "ö", "ұ": "ū", "ү": "ü", "і": "ı", "ы": "y",
    "и": "i", "й": "i", "у": "u", "ш": "ş", "ч": "ç", "ж": "j", "х": "h", "һ": "h", "ц": "c",
    "щ": "şş", "ю": "iu", "я": "ia", "ё": "io", "ь": "", "ъ": "", "э": "e",
}  # fmt: skip
_VOWELS = set("аеёиоуыэюяәөұүі")

STYLES = ("passport", "casual", "kazakh_2018", "kazakh_2021")
STYLE_WEIGHTS = (0.55, 0.33, 0.04, 0.08)


def romanise(text: str, style: str, rng: random.Random) -> str:
    """A Latin spelling of a Cyrillic name in one of :data:`STYLES`.

    ``passport`` is upper case and always picks the first spelling of each letter; ``casual``
    picks among the spellings (Zh/J, Kh/H, Y/I, Yu/Iu, soft sign dropped or an apostrophe) and
    writes Ye for an initial or after-vowel Е (Yerzhan, Sergeyev) half of the time.
    """
    out: list[str] = []
    previous = ""
    for ch in text:
        low = ch.lower()
        if style in ("kazakh_2018", "kazakh_2021"):
            table = _KAZAKH_2018 if style == "kazakh_2018" else _KAZAKH_2021
            piece = table.get(low, _LATIN.get(low, (low,))[0])
        elif low not in _LATIN:
            piece = low
        elif style == "passport":
            piece = _LATIN[low][0]
            if low == "е" and (not previous or previous in _VOWELS) and rng.random() < 0.5:
                piece = "ye"
        else:
            piece = rng.choice(_LATIN[low])
            if low == "е" and (not previous or previous in _VOWELS):
                piece = rng.choice(("e", "ye", "ie"))
        if ch.isupper() and piece:
            piece = piece[0].upper() + piece[1:]
        out.append(piece)
        previous = low if low.isalpha() else ""
    latin = "".join(out)
    return latin.upper() if style == "passport" else latin


def typo(word: str, rng: random.Random) -> str:
    """One typo: two neighbouring letters swapped, a letter dropped or a letter doubled."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.7:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def maybe_typo(word: str, rng: random.Random, rate: float = TYPO_RATE) -> str:
    return typo(word, rng) if word and rng.random() < rate else word


# --- identities and records -------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """The person behind the records: canonical names, as the person would write them."""

    given: str
    family: str
    father: str  # the father's given name (the patronymic is derived when written)
    sex: str
    origin: str  # kazakh, russian or central_asian
    born: date | None
    document: tuple[str, str] | None  # (type, number)
    kazakh_patronymic: bool


@dataclass(frozen=True)
class NameRecord:
    """The names as one official wrote them down."""

    given_name: str
    family_name: str
    patronymic: str
    other_names: str  # Latin spellings from documents, "; "-separated


def _document(citizenship: str, rng: random.Random) -> tuple[str, str]:
    digits = "".join(rng.choice("0123456789") for _ in range(8))
    if citizenship == "KZ":
        if rng.random() < 0.7:
            return ("id_card", "0" + digits)
        return ("passport", "N" + digits)
    prefix = {"UZ": "FA", "KG": "AC", "TJ": "40", "RU": "75"}.get(citizenship, "X")
    return ("passport", prefix + digits[:7])


def written_document(number: str, rng: random.Random) -> str:
    """A document number as copied by hand: spaces, a № sign, a Cyrillic Н for the Latin N."""
    r = rng.random()
    if r < 0.75:
        return number
    if r < 0.85:
        return f"№ {number}"
    if r < 0.93 and number[:1] == "N":
        return "Н" + number[1:]
    return f"{number[:4]} {number[4:]}"


class NameGenerator:
    """Random identities and the records officials make of them. Deterministic for a seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def identity(self, *, sex: str, citizenship: str, born: date | None) -> Identity:
        rng = self.rng
        r = rng.random()
        if citizenship in ("UZ", "KG", "TJ"):
            origin = "central_asian"
        elif citizenship == "RU" or (citizenship == "KZ" and r < 0.22):
            origin = "russian"
        else:
            origin = "kazakh"
        female = sex == "female" or (sex not in ("male", "female") and rng.random() < 0.5)
        if origin == "kazakh":
            given = draw(KAZAKH_FEMALE if female else KAZAKH_MALE, rng)
            family = draw(KAZAKH_FAMILY, rng)
            father = draw(KAZAKH_MALE, rng)
        elif origin == "russian":
            given = draw(RUSSIAN_FEMALE, rng) if female else draw(RUSSIAN_MALE, rng)[0]
            family = draw(RUSSIAN_FAMILY, rng)
            father = draw(RUSSIAN_MALE, rng)[0]
        else:
            given = draw(CENTRAL_ASIAN_FEMALE if female else CENTRAL_ASIAN_MALE, rng)
            family = draw(CENTRAL_ASIAN_FAMILY, rng)
            father = draw(CENTRAL_ASIAN_MALE, rng)
        if female:
            family = feminine(family)
        document = _document(citizenship, rng) if rng.random() < 0.6 else None
        return Identity(
            given=given,
            family=family,
            father=father,
            sex="female" if female else "male",
            origin=origin,
            born=born,
            document=document,
            kazakh_patronymic=origin == "kazakh" and rng.random() < 0.15,
        )

    def _cyrillic(self, name: str, origin: str) -> str:
        """A Kazakh name in Kazakh letters, or (40%) in Russian letters as older documents do."""
        rng = self.rng
        if origin == "kazakh" and rng.random() < 0.4:
            options = RUSSIAN_STYLE_OVERRIDES.get(name)
            name = rng.choice(options) if options else name.translate(KAZAKH_TO_RUSSIAN)
        if "ь" in name and rng.random() < 0.15:
            name = name.replace("ь", "")  # Канарьева → Канарева
        return maybe_typo(name, rng)

    def _patronymic(self, identity: Identity) -> str:
        rng = self.rng
        if identity.origin == "russian":
            for name, son, daughter in RUSSIAN_MALE:
                if name == identity.father:
                    return daughter if identity.sex == "female" else son
        if identity.kazakh_patronymic:
            return kazakh_patronymic(identity.father, identity.sex)
        patronymic = russian_patronymic(identity.father, identity.sex)
        return maybe_typo(patronymic, rng) if rng.random() < 0.5 else patronymic

    def latin(self, identity: Identity, style: str | None = None) -> str:
        rng = self.rng
        style = style or rng.choices(STYLES, STYLE_WEIGHTS)[0]
        given = maybe_typo(romanise(identity.given, style, rng), rng)
        family = maybe_typo(romanise(identity.family, style, rng), rng)
        if style == "passport":
            return f"{family} {given}"
        return f"{given} {family}"

    def record(self, identity: Identity) -> NameRecord:
        """The names as one official records them: Cyrillic fields, Latin spellings beside."""
        rng = self.rng
        latin_only = identity.origin == "central_asian" and rng.random() < 0.3
        if latin_only:  # typed from a Latin-script passport
            style = "casual" if rng.random() < 0.5 else "passport"
            given = maybe_typo(romanise(identity.given, style, rng), rng)
            family = maybe_typo(romanise(identity.family, style, rng), rng)
            patronymic = ""
        else:
            given = self._cyrillic(identity.given, identity.origin)
            family = self._cyrillic(identity.family, identity.origin)
            patronymic = self._patronymic(identity) if rng.random() < 0.85 else ""
        spellings = rng.choices((0, 1, 2), (0.15, 0.65, 0.2))[0]
        other = "; ".join(self.latin(identity) for _ in range(spellings))
        return NameRecord(given, family, patronymic, other)

    def encounter_again(self, identity: Identity) -> Identity:
        """The same person met again: the date of birth may be missing or off by a day, the
        document may not be at hand."""
        rng = self.rng
        born = identity.born
        if born is not None and rng.random() < 0.25:
            born = None if rng.random() < 0.6 else born.replace(day=min(28, born.day + 1))
        document = identity.document if rng.random() < 0.6 else None
        return Identity(
            given=identity.given,
            family=identity.family,
            father=identity.father,
            sex=identity.sex,
            origin=identity.origin,
            born=born,
            document=document,
            kazakh_patronymic=identity.kazakh_patronymic,
        )


# --- the same person written in each script (record linkage) --------------------------------

#: How one record writes a person's names: Kazakh letters, Kazakh on a Russian keyboard,
#: a passport's Latin, or the Kazakh Latin alphabet of 2021.
SCRIPTS = ("kazakh_cyrillic", "russian_keyboard", "passport", "kazakh_2021")


def in_script(name: str, script: str, rng: random.Random) -> str:
    """One name in one of :data:`SCRIPTS` (Сәрсенбаева, Сарсенбаева, SARSENBAEVA,
    Särsenbaeva)."""
    if script == "kazakh_cyrillic":
        return name
    if script == "russian_keyboard":
        options = RUSSIAN_STYLE_OVERRIDES.get(name)
        return options[0] if options else name.translate(KAZAKH_TO_RUSSIAN)
    return romanise(name, script, rng)


def swap_day_month(born: date) -> date:
    """The date of birth with day and month swapped (05.03 written for 03.05), when that is
    a date; otherwise the date itself."""
    try:
        return born.replace(month=born.day, day=born.month)
    except ValueError:
        return born


def written_in(
    generator: NameGenerator,
    identity: Identity,
    script: str,
    *,
    typo_rate: float = TYPO_RATE,
    patronymic: bool = True,
) -> NameRecord:
    """The names of ``identity`` as one record writes them in ``script``, with typos at
    ``typo_rate`` per name and the patronymic left out when ``patronymic`` is False."""
    rng = generator.rng
    given = maybe_typo(in_script(identity.given, script, rng), rng, typo_rate)
    family = maybe_typo(in_script(identity.family, script, rng), rng, typo_rate)
    father = ""
    if patronymic:
        if identity.origin == "russian":
            father = generator._patronymic(identity)
        elif identity.kazakh_patronymic:
            father = kazakh_patronymic(identity.father, identity.sex)
        else:
            father = russian_patronymic(identity.father, identity.sex)
        father = maybe_typo(in_script(father, script, rng), rng, typo_rate)
    if script == "passport":
        given, family, father = given.upper(), family.upper(), father.upper()
    return NameRecord(given, family, father, "")
