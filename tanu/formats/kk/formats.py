"""Kazakh formats: «04.12.2026», «4 желтоқсан 2026 ж.», «0,75», «12 345» (a non-breaking space).

Django 5.2 ships no Kazakh format file, so Kazakh pages fell back to the US style. The month
names inside a date are in the lower case («желтоқсан»): tanu's catalogue gives them (context
"alt. month", tanu/formats/months.py), before Django's own, which capitalises them.
"""

DATE_FORMAT = "j E Y ж."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y ж. H:i"
YEAR_MONTH_FORMAT = "F Y ж."
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# ISO (YYYY-MM-DD, what a date picker sends) is always accepted as well.
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%y %H:%M"]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
