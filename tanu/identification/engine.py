"""The assessment engine: checklist data in, explained result out.

Pure Python with no Django import, so that the web pages, the REST API, the CLI and the training
exercises all assess in exactly the same way (see DESIGN.md, "Identification method").

A checklist groups indicators into the six ILO dimensions; each indicator is graded strong, medium
or weak. The checklist's ``rule`` says when a dimension is *positive* (``dimension_positive``: a
list of alternative clauses, each giving minimum counts of observed indicators by grade, with
``medium_or_weak`` counting medium and weak together) and when the ILO *threshold* is met
(``threshold``: a list of groups of dimensions; every group needs at least one positive dimension).

Outcomes, from weakest to strongest:

* ``no_indication``: no positive dimension and no strong indicator observed, and *enough was
  asked* (see below);
* ``incomplete``: no positive dimension and no strong indicator observed, but not enough was asked
  to say so: never to be read or counted as "no indication";
* ``possible_victim``: threshold not met, but a positive dimension or a strong indicator observed;
* ``presumed_victim``: threshold met.

Every indicator is either observed, not observed, declined (the person did not want to answer) or
unknown (not asked yet). Only observed indicators count; unknown ones feed the *decisive
questions*, see :func:`assess`.

**Enough asked.** A list has had enough asked when every strong indicator has an answer (observed,
not observed or declined: the question was put) and every dimension has at least one indicator
answered observed or not observed (a dimension whose every asked question was declined has not
been asked about). Only then can the outcome be ``no_indication``. A positive finding stands on a
partial screening too: a strong indicator observed is ``possible_victim`` however little was asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

DIMENSIONS: tuple[str, ...] = (
    "deceptive_recruitment",
    "coercive_recruitment",
    "recruitment_abuse_of_vulnerability",
    "exploitative_conditions",
    "coercion_at_destination",
    "destination_abuse_of_vulnerability",
)
STRENGTHS: tuple[str, ...] = ("strong", "medium", "weak")
LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
CLAUSE_KEYS: tuple[str, ...] = ("strong", "medium", "weak", "medium_or_weak")
POPULATIONS: tuple[str, ...] = ("adult", "child")
FORMS: tuple[str, ...] = ("labour", "sexual")
AGE_GROUPS: tuple[str, ...] = ("adult", "child", "unknown_maybe_child", "unknown")
PERSON_FORMS: tuple[str, ...] = ("labour", "sexual", "unknown")

NO_INDICATION = "no_indication"
POSSIBLE_VICTIM = "possible_victim"
PRESUMED_VICTIM = "presumed_victim"
INCOMPLETE = "incomplete"
#: The outcomes of a screening on which enough was asked, weakest to strongest (the choices of a
#: training exercise, whose stories are told in full).
OUTCOMES: tuple[str, ...] = (NO_INDICATION, POSSIBLE_VICTIM, PRESUMED_VICTIM)
#: Every outcome the engine gives, weakest to strongest; the index is the outcome's rank.
#: ``incomplete`` ranks above ``no_indication``: of two lists, one not asked enough and one
#: clear, the person is not cleared.
ALL_OUTCOMES: tuple[str, ...] = (NO_INDICATION, INCOMPLETE, POSSIBLE_VICTIM, PRESUMED_VICTIM)
OUTCOME_RANK: Mapping[str, int] = {outcome: rank for rank, outcome in enumerate(ALL_OUTCOMES)}

AGE_NOTE = "age unknown, may be a child: assessed as a child"

_INF = 1 << 30  # "cannot be reached": larger than any count of indicators
_CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


# ---------------------------------------------------------------------------------------------
# Errors


class AssessmentError(ValueError):
    """Base class of every error the engine raises about its input."""


class InvalidChecklistError(AssessmentError):
    """The checklist data does not pass :func:`validate_checklist`."""

    def __init__(self, checklist_id: str, problems: list[str]) -> None:
        self.checklist_id = checklist_id
        self.problems = problems
        super().__init__(f"checklist {checklist_id!r} is invalid: " + "; ".join(problems))


class InvalidAnswersError(AssessmentError):
    """The answers are not collections of indicator codes (strings)."""


class UnknownIndicatorError(AssessmentError):
    """An answer names an indicator code the checklist(s) do not have."""

    def __init__(self, codes: Iterable[str], where: str) -> None:
        self.codes = tuple(sorted(codes))
        listed = ", ".join(self.codes)
        noun = "code" if len(self.codes) == 1 else "codes"
        super().__init__(f"unknown indicator {noun} for {where}: {listed}")


class ConflictingAnswerError(AssessmentError):
    """The same indicator is given two answers (e.g. both observed and not observed)."""

    def __init__(self, codes: Iterable[str], first: str, second: str) -> None:
        self.codes = tuple(sorted(codes))
        listed = ", ".join(self.codes)
        super().__init__(f"indicator both {first} and {second}: {listed}")


class MissingChecklistError(AssessmentError):
    """No checklist (or more than one) fits the person's age group and form of exploitation."""


# Short names used in the design notes.
InvalidChecklist = InvalidChecklistError
InvalidAnswers = InvalidAnswersError
UnknownIndicator = UnknownIndicatorError
ConflictingAnswer = ConflictingAnswerError
MissingChecklist = MissingChecklistError


# ---------------------------------------------------------------------------------------------
# Validation


def _check_texts(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, Mapping):
        problems.append(f"{where} must be an object with kk, ru and en texts")
        return
    for language in LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where} has no {language} text")


def _check_rule(rule: Any, dimension_keys: list[str], problems: list[str]) -> None:
    if not isinstance(rule, Mapping):
        problems.append("rule must be an object with dimension_positive and threshold")
        return
    clauses = rule.get("dimension_positive")
    if not isinstance(clauses, list) or not clauses:
        problems.append("rule.dimension_positive must be a non-empty list of clauses")
    else:
        for number, clause in enumerate(clauses, 1):
            where = f"rule.dimension_positive clause {number}"
            if not isinstance(clause, Mapping) or not clause:
                problems.append(f"{where} must be a non-empty object")
                continue
            for key, count in clause.items():
                if key not in CLAUSE_KEYS:
                    problems.append(f"{where} has unknown key {key!r}")
                elif not isinstance(count, int) or isinstance(count, bool) or count < 0:
                    problems.append(f"{where}: {key} must be a whole number >= 0")
            if all(isinstance(c, int) and c <= 0 for c in clause.values()):
                problems.append(f"{where} requires nothing: every dimension would be positive")
    groups = rule.get("threshold")
    if not isinstance(groups, list) or not groups:
        problems.append("rule.threshold must be a non-empty list of groups of dimensions")
        return
    seen: set[str] = set()
    for number, group in enumerate(groups, 1):
        where = f"rule.threshold group {number}"
        if not isinstance(group, list) or not group:
            problems.append(f"{where} must be a non-empty list of dimension keys")
            continue
        for key in group:
            if key not in DIMENSIONS:
                problems.append(f"{where} names unknown dimension {key!r}")
            elif key not in dimension_keys:
                problems.append(f"{where} names dimension {key!r} that the checklist lacks")
            elif key in seen:
                problems.append(f"{where}: dimension {key!r} is in more than one group")
            else:
                seen.add(key)


def validate_checklist(data: Any) -> list[str]:
    """Return the problems of checklist ``data`` (an empty list when it is valid).

    Checks: id, version, population and form; kk/ru/en texts for the title, every dimension
    label and every indicator's label and prompt; the six dimensions of DESIGN.md, in order;
    unique indicator codes (letters, digits, ``-``, ``_``, ``.``), each in a known dimension with strength strong, medium or weak; a
    well-formed rule whose threshold groups name known dimensions, none in two groups.
    """
    if not isinstance(data, Mapping):
        return ["a checklist must be a JSON object"]
    problems: list[str] = []
    checklist_id = data.get("id")
    if not isinstance(checklist_id, str) or not checklist_id.strip():
        problems.append("id must be a non-empty string")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("version must be a whole number >= 1")
    if data.get("population") not in POPULATIONS:
        problems.append("population must be 'adult' or 'child'")
    if data.get("form") not in FORMS:
        problems.append("form must be 'labour' or 'sexual'")
    _check_texts(data.get("title"), "title", problems)
    if "source" in data and not isinstance(data["source"], str):
        problems.append("source must be a string")

    dimension_keys: list[str] = []
    dimensions = data.get("dimensions")
    if not isinstance(dimensions, list):
        problems.append("dimensions must be a list")
        dimensions = []
    for number, dimension in enumerate(dimensions, 1):
        if not isinstance(dimension, Mapping):
            problems.append(f"dimension {number} must be an object with key and label")
            continue
        key = dimension.get("key")
        if key not in DIMENSIONS:
            problems.append(f"dimension {number} has unknown key {key!r}")
            continue
        if key in dimension_keys:
            problems.append(f"dimension {key!r} is listed twice")
            continue
        dimension_keys.append(key)
        _check_texts(dimension.get("label"), f"dimension {key!r} label", problems)
    if tuple(dimension_keys) != DIMENSIONS:
        problems.append(
            "dimensions must be the six ILO dimensions in order: " + ", ".join(DIMENSIONS)
        )

    indicators = data.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        problems.append("indicators must be a non-empty list")
        indicators = []
    codes: set[str] = set()
    for number, indicator in enumerate(indicators, 1):
        if not isinstance(indicator, Mapping):
            problems.append(f"indicator {number} must be an object")
            continue
        code = indicator.get("code")
        if not isinstance(code, str) or not code.strip():
            problems.append(f"indicator {number} has no code")
            where = f"indicator {number}"
        else:
            where = f"indicator {code}"
            if not _CODE_RE.fullmatch(code):
                problems.append(f"indicator code {code!r} may use only letters, digits, - _ and .")
            if code in codes:
                problems.append(f"indicator code {code} is used twice")
            codes.add(code)
        dimension_key = indicator.get("dimension")
        if dimension_key not in DIMENSIONS:
            problems.append(f"{where} has unknown dimension {dimension_key!r}")
        elif dimension_key not in dimension_keys:
            problems.append(f"{where} is in dimension {dimension_key!r} that the checklist lacks")
        if indicator.get("strength") not in STRENGTHS:
            problems.append(
                f"{where} has strength {indicator.get('strength')!r}, not strong/medium/weak"
            )
        _check_texts(indicator.get("label"), f"{where} label", problems)
        _check_texts(indicator.get("prompt"), f"{where} prompt", problems)
        if "source" in indicator and not isinstance(indicator["source"], str):
            problems.append(f"{where} source must be a string")

    _check_rule(data.get("rule"), dimension_keys, problems)
    return problems


# ---------------------------------------------------------------------------------------------
# Checklists


class Indicator(NamedTuple):
    code: str
    dimension: str
    strength: str


@dataclass(frozen=True)
class Rule:
    """When a dimension is positive (alternative clauses) and when the threshold is met."""

    dimension_positive: tuple[Mapping[str, int], ...]
    threshold: tuple[tuple[str, ...], ...]


class _Analysis(NamedTuple):
    """What one dimension's (capped) counts mean: see :meth:`Checklist._analyse`."""

    clause: int  # index of the first satisfied clause, -1 when the dimension is not positive
    cost: int  # fewest unknown indicators to observe to make it positive (0 when positive)
    pivot: tuple[int, int, int]  # per grade: fewest additions in which one of that grade is needed


class _DimensionState(NamedTuple):
    """One dimension's exact counts, with their analysis (cached per distinct counts)."""

    strong: int  # observed, by grade
    medium: int
    weak: int
    unknown: tuple[int, int, int]  # unknown, by grade
    clause: int
    cost: int
    pivot: tuple[int, int, int]
    pivot_without_strong: tuple[int, int, int]  # the pivots when no strong one may be added


@dataclass(frozen=True)
class Checklist:
    """A validated checklist with the indexes the engine needs, built by :meth:`from_dict`."""

    id: str
    version: int
    population: str
    form: str
    dimensions: tuple[str, ...]
    indicators: Mapping[str, Indicator]  # code -> indicator, in checklist order
    rule: Rule
    title: Mapping[str, str] = field(default_factory=dict)

    # Indexes. A "slot" is dimension index * 3 + grade index (grades strong, medium, weak).
    # Counts are packed into one integer, ``bits`` bits per slot, so that counting a set of
    # codes is one ``sum(map(...))`` and one dimension's counts are one bit field.
    _codes: frozenset[str] = field(init=False, repr=False, compare=False)
    _order_of: dict[str, int] = field(init=False, repr=False, compare=False)
    _sort_key: dict[str, int] = field(init=False, repr=False, compare=False)
    _weight: dict[str, int] = field(init=False, repr=False, compare=False)
    _strong: frozenset[str] = field(init=False, repr=False, compare=False)
    _slot_codes: tuple[tuple[tuple[int, str], ...], ...] = field(
        init=False, repr=False, compare=False
    )
    _bits: int = field(init=False, repr=False, compare=False)
    _total: int = field(init=False, repr=False, compare=False)
    _clauses: tuple[tuple[int, int, int, int], ...] = field(init=False, repr=False, compare=False)
    _cap: int = field(init=False, repr=False, compare=False)
    _groups: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    _group_dims: tuple[tuple[str, ...], ...] = field(init=False, repr=False, compare=False)
    _analyses: dict[tuple[int, ...], _Analysis] = field(init=False, repr=False, compare=False)
    _states: dict[int, _DimensionState] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        dim_index = {key: i for i, key in enumerate(self.dimensions)}
        grade_index = {grade: i for i, grade in enumerate(STRENGTHS)}
        slot_of: dict[str, int] = {}
        order_of: dict[str, int] = {}
        slot_codes: list[list[tuple[int, str]]] = [[] for _ in range(3 * len(self.dimensions))]
        for order, indicator in enumerate(self.indicators.values()):
            slot = dim_index[indicator.dimension] * 3 + grade_index[indicator.strength]
            slot_of[indicator.code] = slot
            order_of[indicator.code] = order
            slot_codes[slot].append((order, indicator.code))
        clauses = tuple(
            (
                clause.get("strong", 0),
                clause.get("medium", 0),
                clause.get("weak", 0),
                clause.get("medium_or_weak", 0),
            )
            for clause in self.rule.dimension_positive
        )
        groups = [tuple(dim_index[key] for key in group) for group in self.rule.threshold]
        slot_totals = [len(codes) for codes in slot_codes]
        bits = max(slot_totals, default=1).bit_length() or 1
        weight = {code: 1 << (slot * bits) for code, slot in slot_of.items()}
        setattr_ = object.__setattr__
        setattr_(self, "_codes", frozenset(slot_of))
        setattr_(self, "_order_of", order_of)
        setattr_(self, "_sort_key", {c: (slot_of[c] // 3) << 20 | o for c, o in order_of.items()})
        setattr_(self, "_weight", weight)
        setattr_(self, "_strong", frozenset(c for c, slot in slot_of.items() if slot % 3 == 0))
        setattr_(self, "_slot_codes", tuple(tuple(codes) for codes in slot_codes))
        setattr_(self, "_bits", bits)
        setattr_(self, "_total", sum(weight.values()))
        setattr_(self, "_clauses", clauses)
        setattr_(self, "_cap", max(1, *(max(c) for c in clauses)))
        setattr_(self, "_groups", tuple(groups))
        setattr_(self, "_group_dims", tuple(tuple(group) for group in self.rule.threshold))
        setattr_(self, "_analyses", {})
        setattr_(self, "_states", {})

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Checklist:
        """Build a checklist from its JSON data; raise :class:`InvalidChecklistError` if invalid."""
        problems = validate_checklist(data)
        if problems:
            checklist_id = data.get("id") if isinstance(data, Mapping) else None
            raise InvalidChecklistError(str(checklist_id), problems)
        rule = data["rule"]
        return cls(
            id=data["id"],
            version=data["version"],
            population=data["population"],
            form=data["form"],
            dimensions=tuple(dimension["key"] for dimension in data["dimensions"]),
            indicators={
                item["code"]: Indicator(item["code"], item["dimension"], item["strength"])
                for item in data["indicators"]
            },
            rule=Rule(
                dimension_positive=tuple(dict(clause) for clause in rule["dimension_positive"]),
                threshold=tuple(tuple(group) for group in rule["threshold"]),
            ),
            title=dict(data["title"]),
        )

    @property
    def codes(self) -> frozenset[str]:
        return self._codes

    def order(self, code: str) -> int:
        """Position of ``code`` in the checklist (0-based)."""
        return self._order_of[code]

    def _satisfied(self, strong: int, medium: int, weak: int) -> int:
        """Index of the first clause the counts satisfy, -1 when none."""
        for number, (s, m, w, mw) in enumerate(self._clauses):
            if strong >= s and medium >= m and weak >= w and medium + weak >= mw:
                return number
        return -1

    def _analyse(self, key: tuple[int, int, int, int, int, int]) -> _Analysis:
        """Evaluate one dimension from (observed s, m, w, unknown s, m, w), all capped.

        Counts are capped at the largest number any clause asks for: clauses only compare
        counts with such numbers, so capping changes no answer and keeps the cache small.
        ``cost`` is the fewest unknown indicators whose observation makes the dimension
        positive. ``pivot[g]`` is the fewest additions, at least one of grade ``g``, that make
        the dimension positive while it would not be positive without that one of grade ``g``.
        An inclusion-minimal addition never needs more than ``cap`` of a grade, so the
        enumeration below is exact.
        """
        analysis = self._analyses.get(key)
        if analysis is not None:
            return analysis
        s0, m0, w0, su, mu, wu = key
        clause = self._satisfied(s0, m0, w0)
        cost = 0 if clause >= 0 else _INF
        pivot = [_INF, _INF, _INF]
        if clause < 0:
            satisfied = self._satisfied
            for a_s in range(su + 1):
                for a_m in range(mu + 1):
                    for a_w in range(wu + 1):
                        s, m, w = s0 + a_s, m0 + a_m, w0 + a_w
                        if satisfied(s, m, w) < 0:
                            continue
                        n = a_s + a_m + a_w
                        cost = min(cost, n)
                        if a_s and n < pivot[0] and satisfied(s - 1, m, w) < 0:
                            pivot[0] = n
                        if a_m and n < pivot[1] and satisfied(s, m - 1, w) < 0:
                            pivot[1] = n
                        if a_w and n < pivot[2] and satisfied(s, m, w - 1) < 0:
                            pivot[2] = n
        analysis = _Analysis(clause, cost, (pivot[0], pivot[1], pivot[2]))
        self._analyses[key] = analysis
        return analysis

    def _state(self, packed: int) -> _DimensionState:
        """The state of one dimension from its packed counts (observed field, unknown field)."""
        bits = self._bits
        mask = (1 << bits) - 1
        field_bits = 3 * bits
        o, u = packed >> field_bits, packed
        s, m, w = o & mask, (o >> bits) & mask, (o >> 2 * bits) & mask
        us, um, uw = u & mask, (u >> bits) & mask, (u >> 2 * bits) & mask
        cap = self._cap
        capped = (min(s, cap), min(m, cap), min(w, cap), min(um, cap), min(uw, cap))
        full = self._analyse((*capped[:3], min(us, cap), *capped[3:]))
        without_strong = self._analyse((*capped[:3], 0, *capped[3:]))
        state = _DimensionState(
            s, m, w, (us, um, uw), full.clause, full.cost, full.pivot, without_strong.pivot
        )
        self._states[packed] = state
        return state


def _code_set(answers: Iterable[str], name: str) -> set[str]:
    if isinstance(answers, str | bytes):
        raise InvalidAnswersError(f"{name} must be a list of indicator codes, not a single string")
    try:
        codes = set(answers)
    except TypeError:
        raise InvalidAnswersError(f"{name} must be a list of indicator codes (strings)") from None
    return codes


def _check_codes(codes: set[str], known: frozenset[str], name: str, where: str) -> None:
    if codes <= known:
        return
    unknown = codes - known
    if any(not isinstance(code, str) for code in unknown):
        raise InvalidAnswersError(f"{name} must be a list of indicator codes (strings)")
    raise UnknownIndicatorError(unknown, where)


def _check_conflicts(observed: set[str], not_observed: set[str], declined: set[str]) -> None:
    if observed & not_observed:
        raise ConflictingAnswerError(observed & not_observed, "observed", "not observed")
    if observed & declined:
        raise ConflictingAnswerError(observed & declined, "observed", "declined")
    if not_observed & declined:
        raise ConflictingAnswerError(not_observed & declined, "not observed", "declined")


# ---------------------------------------------------------------------------------------------
# Assessment


class DimensionResult(NamedTuple):
    positive: bool
    strong: int
    medium: int
    weak: int
    indicators: tuple[str, ...]  # observed codes in this dimension, in checklist order
    clause: Mapping[str, int] | None = None  # the clause that made it positive


@dataclass(frozen=True)
class Assessment:
    """The explained result of assessing one set of answers against one checklist."""

    checklist: str
    version: int
    outcome: str
    threshold_met: bool
    dimensions: Mapping[str, DimensionResult]
    decisive: tuple[str, ...]
    #: ``k`` of each decisive code: how many unknown indicators (this one included) would have
    #: to be observed to raise the outcome one level.
    decisive_k: tuple[int, ...]
    #: Threshold groups without a positive dimension (empty when the threshold is met).
    missing_groups: tuple[tuple[str, ...], ...]
    strong_indicators: tuple[str, ...]  # observed strong codes, by dimension, in checklist order
    declined: tuple[str, ...]  # declined codes, in checklist order
    #: Whether enough was asked for ``no_indication`` (see the module notes).
    enough_asked: bool = True
    #: How many strong indicators have no answer yet.
    unasked_strong: int = 0
    #: Dimensions without an indicator answered observed or not observed, in checklist order.
    untouched_dimensions: tuple[str, ...] = ()

    @property
    def positive_dimensions(self) -> tuple[str, ...]:
        return tuple(key for key, result in self.dimensions.items() if result.positive)

    @cached_property
    def reasons(self) -> list[dict[str, Any]]:
        """Short machine-readable explanation items, in reading order."""
        reasons: list[dict[str, Any]] = []
        code_dimension = {
            code: key for key, result in self.dimensions.items() for code in result.indicators
        }
        for code in self.strong_indicators:
            reasons.append(
                {"kind": "strong_indicator", "code": code, "dimension": code_dimension[code]}
            )
        for key, result in self.dimensions.items():
            if result.positive:
                reasons.append(
                    {
                        "kind": "dimension_positive",
                        "dimension": key,
                        "clause": dict(result.clause or {}),
                        "indicators": list(result.indicators),
                    }
                )
        if self.threshold_met:
            reasons.append({"kind": "threshold_met"})
        else:
            reasons.append(
                {
                    "kind": "threshold_not_met",
                    "missing_groups": [list(group) for group in self.missing_groups],
                }
            )
        if self.declined:
            reasons.append({"kind": "declined", "codes": list(self.declined)})
        if not self.enough_asked:
            reasons.append(
                {
                    "kind": "not_enough_asked",
                    "unasked_strong": self.unasked_strong,
                    "untouched_dimensions": list(self.untouched_dimensions),
                }
            )
        if self.threshold_met:
            basis = "threshold_met"
        elif self.positive_dimensions:
            basis = "dimension_positive"
        elif self.strong_indicators:
            basis = "strong_indicator"
        elif not self.enough_asked:
            basis = "not_enough_asked"
        else:
            basis = "no_positive_dimension_or_strong_indicator"
        reasons.append({"kind": "outcome", "outcome": self.outcome, "basis": basis})
        for code, k in zip(self.decisive, self.decisive_k, strict=True):
            reasons.append({"kind": "decisive_question", "code": code, "k": k})
        return reasons

    def to_dict(self) -> dict[str, Any]:
        return {
            "checklist": self.checklist,
            "version": self.version,
            "outcome": self.outcome,
            "threshold_met": self.threshold_met,
            "enough_asked": self.enough_asked,
            "unasked_strong": self.unasked_strong,
            "untouched_dimensions": list(self.untouched_dimensions),
            "dimensions": {
                key: {
                    "positive": result.positive,
                    "strong": result.strong,
                    "medium": result.medium,
                    "weak": result.weak,
                }
                for key, result in self.dimensions.items()
            },
            "indicators": {key: list(result.indicators) for key, result in self.dimensions.items()},
            "decisive": list(self.decisive),
            "reasons": self.reasons,
        }


def assess(
    checklist: Checklist,
    observed: Iterable[str],
    not_observed: Iterable[str] = (),
    declined: Iterable[str] = (),
    *,
    limit: int = 10,
) -> Assessment:
    """Assess answers against ``checklist`` and explain the result.

    Raises :class:`InvalidAnswersError` when an argument is not a collection of strings,
    :class:`UnknownIndicatorError` for codes the checklist lacks and
    :class:`ConflictingAnswerError` for a code given two answers (observed, not observed,
    declined); all are :class:`AssessmentError`, a ValueError. Codes named nowhere are unknown.

    **Decisive questions.** Say a set ``T`` of unknown indicators *raises* the outcome when
    observing all of ``T`` lifts the outcome at least to the next better level (``no_indication``
    or ``incomplete`` to ``possible_victim``, ``possible_victim`` to ``presumed_victim``; nothing raises
    ``presumed_victim``). For an unknown code ``c``::

        k(c) = min |T| over the sets T of unknown indicators with c in T such that
               T raises the outcome and T without c does not.

    That is, ``c`` must be *needed* in ``T`` (equivalently: the smallest inclusion-minimal
    raising set containing ``c``). Without this condition any code could ride along with some
    other raising set, and every unknown indicator would look decisive. ``k(c)`` is infinite
    when no such set exists, e.g. for an indicator of a dimension that is already positive or
    whose threshold group is already met, or a medium indicator when only a strong one could
    tip the balance. The decisive questions are the codes with finite ``k``, ordered by ``k``,
    then strength (strong, medium, weak), then checklist order, at most ``limit`` of them.

    Computation (no search over subsets): everything depends only on counts per dimension and
    grade. Per dimension, the fewest additions making it positive (``cost``) and the fewest
    additions in which one indicator of a given grade is needed (``pivot``) are enumerated once
    per distinct count vector and cached on the checklist. Then:

    * from ``possible_victim``: ``k(c) = pivot(dim(c), grade(c)) + sum of min cost over the
      other unmet threshold groups``, for ``c`` in a dimension of an unmet group (groups are
      disjoint, so this is exact); infinite otherwise;
    * from ``no_indication`` or ``incomplete``: ``k(c) = 1`` for a strong ``c`` (a strong indicator alone gives
      ``possible_victim``); for a medium or weak ``c``, ``pivot`` computed without strong
      additions (a set holding a strong indicator is inclusion-minimal only as that indicator
      alone).
    """
    obs = _code_set(observed, "observed")
    nobs = _code_set(not_observed, "not_observed")
    dec = _code_set(declined, "declined")
    known = checklist._codes
    where = f"checklist {checklist.id}"
    _check_codes(obs, known, "observed", where)
    _check_codes(nobs, known, "not_observed", where)
    _check_codes(dec, known, "declined", where)
    if obs & nobs or obs & dec or nobs & dec:
        _check_conflicts(obs, nobs, dec)
    return _assess(checklist, obs, nobs, dec, limit)


def _assess(
    checklist: Checklist, obs: set[str], nobs: set[str], dec: set[str], limit: int
) -> Assessment:
    weight = checklist._weight.__getitem__
    observed_packed = sum(map(weight, obs))
    not_observed_packed = sum(map(weight, nobs))
    unknown_packed = (
        checklist._total - observed_packed - not_observed_packed - sum(map(weight, dec))
    )
    answered_packed = observed_packed + not_observed_packed  # observed or not observed
    total_packed = checklist._total
    # Observed codes by dimension, then checklist order: each dimension's are one slice.
    observed_sorted = sorted(obs, key=checklist._sort_key.__getitem__)
    strong_codes = tuple(filter(checklist._strong.__contains__, observed_sorted))

    field_bits = 3 * checklist._bits
    field_mask = (1 << field_bits) - 1
    states_get = checklist._states.get
    clauses = checklist.rule.dimension_positive
    new_tuple = tuple.__new__
    states: list[_DimensionState] = []
    positive: list[bool] = []
    dimensions: dict[str, DimensionResult] = {}
    untouched: list[str] = []
    unasked_strong = 0
    shift = start = 0
    for key in checklist.dimensions:
        packed = (((observed_packed >> shift) & field_mask) << field_bits) | (
            (unknown_packed >> shift) & field_mask
        )
        if not (answered_packed >> shift) & field_mask and (total_packed >> shift) & field_mask:
            untouched.append(key)  # has indicators, none answered observed or not observed
        shift += field_bits
        state = states_get(packed) or checklist._state(packed)
        states.append(state)
        unasked_strong += state.unknown[0]
        end = start + state.strong + state.medium + state.weak
        codes = tuple(observed_sorted[start:end])
        start = end
        is_positive = state.clause >= 0
        positive.append(is_positive)
        # tuple.__new__ directly: NamedTuple's generated __new__ is several times slower
        dimensions[key] = new_tuple(
            DimensionResult,
            (
                is_positive,
                state.strong,
                state.medium,
                state.weak,
                codes,
                clauses[state.clause] if is_positive else None,
            ),
        )

    unmet = [
        g for g, members in enumerate(checklist._groups) if not any(positive[d] for d in members)
    ]
    threshold_met = not unmet
    enough_asked = not unasked_strong and not untouched
    if threshold_met:
        outcome = PRESUMED_VICTIM
    elif strong_codes or any(positive):
        outcome = POSSIBLE_VICTIM
    elif enough_asked:
        outcome = NO_INDICATION
    else:
        outcome = INCOMPLETE

    # k per slot (dimension, grade), then the unknown codes of the slots with a finite k.
    k_of_slot: dict[int, int] = {}
    if outcome == POSSIBLE_VICTIM:
        groups = checklist._groups
        group_cost = {g: min(states[d].cost for d in groups[g]) for g in unmet}
        for g in unmet:
            rest = 0
            for other, cost in group_cost.items():
                if other != g:
                    rest += cost
            if rest >= _INF:
                continue
            for d in groups[g]:
                pivot = states[d].pivot
                for grade in (0, 1, 2):
                    if pivot[grade] < _INF:
                        k_of_slot[3 * d + grade] = pivot[grade] + rest
    elif outcome in (NO_INDICATION, INCOMPLETE):
        for d, state in enumerate(states):
            if state.unknown[0]:
                k_of_slot[3 * d] = 1
            pivot = state.pivot_without_strong
            if pivot[1] < _INF:
                k_of_slot[3 * d + 1] = pivot[1]
            if pivot[2] < _INF:
                k_of_slot[3 * d + 2] = pivot[2]

    decisive: tuple[str, ...] = ()
    decisive_k: tuple[int, ...] = ()
    if k_of_slot and limit > 0:
        slot_codes = checklist._slot_codes
        candidates = [
            (k, slot % 3, order, code)
            for slot, k in k_of_slot.items()
            for order, code in slot_codes[slot]
            if code not in obs and code not in nobs and code not in dec
        ]
        candidates.sort()
        del candidates[limit:]
        decisive = tuple(item[3] for item in candidates)
        decisive_k = tuple(item[0] for item in candidates)

    return Assessment(
        checklist=checklist.id,
        version=checklist.version,
        outcome=outcome,
        threshold_met=threshold_met,
        dimensions=dimensions,
        decisive=decisive,
        decisive_k=decisive_k,
        missing_groups=tuple(checklist._group_dims[g] for g in unmet),
        strong_indicators=strong_codes,
        declined=tuple(sorted(dec, key=checklist._order_of.__getitem__)),
        enough_asked=enough_asked,
        unasked_strong=unasked_strong,
        untouched_dimensions=tuple(untouched),
    )


# ---------------------------------------------------------------------------------------------
# A person: choosing the checklists


@dataclass(frozen=True)
class CombinedAssessment:
    """The result for a person: the assessment that stands, and how it was chosen."""

    assessment: Assessment  # the result that stands
    other: Assessment | None  # the other form's result when the form was unknown
    age_group: str
    form: str
    assessed_as_child: bool
    age_note: str | None
    notes: tuple[Mapping[str, Any], ...]  # age and form reasons, before the assessment's own

    @property
    def outcome(self) -> str:
        return self.assessment.outcome

    @property
    def checklist(self) -> str:
        return self.assessment.checklist

    @property
    def reasons(self) -> list[dict[str, Any]]:
        return [dict(note) for note in self.notes] + self.assessment.reasons

    @property
    def lists(self) -> tuple[Assessment, ...]:
        return (self.assessment,) if self.other is None else (self.assessment, self.other)

    @property
    def enough_asked(self) -> bool:
        """Enough was asked on every list considered (both when the form is unknown)."""
        return all(result.enough_asked for result in self.lists)

    @property
    def unasked_strong(self) -> int:
        return sum(result.unasked_strong for result in self.lists)

    @property
    def untouched_dimensions(self) -> tuple[str, ...]:
        untouched = {key for result in self.lists for key in result.untouched_dimensions}
        return tuple(key for key in DIMENSIONS if key in untouched)

    def to_dict(self) -> dict[str, Any]:
        result = self.assessment.to_dict()
        result["enough_asked"] = self.enough_asked
        result["unasked_strong"] = self.unasked_strong
        result["untouched_dimensions"] = list(self.untouched_dimensions)
        result["reasons"] = self.reasons
        result["age_group"] = self.age_group
        result["form"] = self.form
        result["assessed_as_child"] = self.assessed_as_child
        result["age_note"] = self.age_note
        result["other"] = None if self.other is None else self.other.to_dict()
        return result


def strength_key(assessment: Assessment) -> tuple[int, int, int]:
    """Order of results: outcome, then positive dimensions, then observed strong indicators."""
    return (
        OUTCOME_RANK[assessment.outcome],
        len(assessment.positive_dimensions),
        len(assessment.strong_indicators),
    )


def _find_checklist(
    checklists_by_id: Mapping[str, Checklist], population: str, form: str
) -> Checklist:
    found = [c for c in checklists_by_id.values() if c.population == population and c.form == form]
    if len(found) == 1:
        return found[0]
    if not found:
        raise MissingChecklistError(f"no checklist for {population} {form} exploitation")
    preferred = checklists_by_id.get(f"ilo-{population}-{form}")
    if preferred is not None and preferred.population == population and preferred.form == form:
        return preferred
    ids = ", ".join(sorted(c.id for c in found))
    raise MissingChecklistError(
        f"more than one checklist for {population} {form} exploitation: {ids}"
    )


def assess_person(
    checklists_by_id: Mapping[str, Checklist],
    *,
    age_group: str,
    form: str,
    observed: Iterable[str],
    not_observed: Iterable[str] = (),
    declined: Iterable[str] = (),
    limit: int = 10,
) -> CombinedAssessment:
    """Assess a person with the checklist(s) that fit their age group and form of exploitation.

    A child, or a person whose age is unknown but who may be a child (``unknown_maybe_child``),
    is assessed with the child lists (CETS 197 Art. 10(3), presumption of childhood); otherwise
    the adult lists. When the form is ``unknown``, the answers are assessed against both the
    labour and the sexual list; each list takes the answers whose codes it has, and the stronger
    result stands (outcome, then more positive dimensions, then more observed strong
    indicators; the labour list on a full tie). A code known to no considered list is an error.
    """
    if age_group not in AGE_GROUPS:
        raise AssessmentError(
            f"age_group must be one of {', '.join(AGE_GROUPS)}, not {age_group!r}"
        )
    if form not in PERSON_FORMS:
        raise AssessmentError(f"form must be one of {', '.join(PERSON_FORMS)}, not {form!r}")
    obs = _code_set(observed, "observed")
    nobs = _code_set(not_observed, "not_observed")
    dec = _code_set(declined, "declined")

    as_child = age_group in ("child", "unknown_maybe_child")
    population = "child" if as_child else "adult"
    forms = FORMS if form == "unknown" else (form,)
    lists = [_find_checklist(checklists_by_id, population, f) for f in forms]

    known = frozenset().union(*(c.codes for c in lists))
    where = " or ".join(f"checklist {c.id}" for c in lists)
    _check_codes(obs, known, "observed", where)
    _check_codes(nobs, known, "not_observed", where)
    _check_codes(dec, known, "declined", where)
    _check_conflicts(obs, nobs, dec)

    results = [_assess(c, obs & c.codes, nobs & c.codes, dec & c.codes, limit) for c in lists]
    notes: list[Mapping[str, Any]] = []
    age_note = None
    if age_group == "unknown_maybe_child":
        age_note = AGE_NOTE
        notes.append({"kind": "age_note", "note": AGE_NOTE})
    if len(results) == 1:
        return CombinedAssessment(
            results[0], None, age_group, form, as_child, age_note, tuple(notes)
        )
    winner, other = results
    if strength_key(other) > strength_key(winner):
        winner, other = other, winner
    notes.append(
        {
            "kind": "form_unknown",
            "assessed_against": [c.id for c in lists],
            "chosen": winner.checklist,
            "other": {"checklist": other.checklist, "outcome": other.outcome},
        }
    )
    return CombinedAssessment(winner, other, age_group, form, as_child, age_note, tuple(notes))
