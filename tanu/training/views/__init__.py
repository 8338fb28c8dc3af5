"""Pages for trainers, administrators and analysts, one module per thing they work on:
:mod:`.seminars` (start page, seminars, agenda, attendance), :mod:`.participants` (participants and
their slips), :mod:`.knowledge_tests`, :mod:`.certificates`, :mod:`.questions` (the question bank),
:mod:`.exercises` (scenario practice and keys) and :mod:`.results`. Thin views: access helper,
form, named action, redirect. The participants' own pages (no account) are in
:mod:`tanu.training.public`, which shares the exercise and certificate pages from here."""
