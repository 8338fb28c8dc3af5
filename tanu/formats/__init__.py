"""Date and number formats for the languages Django has none for, or none that suit Kazakhstan
(settings.FORMAT_MODULE_PATH). Russian uses Django's own (``d.m.Y``, «4 декабря 2026 г.»,
decimal comma, non-breaking space between thousands)."""
