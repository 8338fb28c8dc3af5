"""The month names a date format's ``E`` prints ("alt. month"), put in tanu's catalogues.

Kazakh writes them in the lower case inside a date («4 желтоқсан 2026 ж.»), where Django's
Kazakh catalogue capitalises them; tanu's catalogues are read first (LOCALE_PATHS). Russian keeps
Django's genitive («4 декабря 2026 г.»). Nothing imports this module: it is here for
``makemessages``, which collects the names.
"""

from django.utils.translation import pgettext_lazy

ALT_MONTHS = (
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
)
