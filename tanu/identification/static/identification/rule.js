/* The ILO rule of tanu's assessment engine (tanu/identification/engine.py), for the phone.
 *
 * The same checklist data in, the same outcome and dimensions out: a screening done without a
 * connection is assessed on the phone exactly as the server will assess it again on sync.
 * tanu/identification/tests/test_rule_in_two_runtimes.py feeds generated answer sets through
 * both and requires them to agree.
 *
 * A dimension is positive when its observed indicators satisfy one of the rule's clauses
 * (minimum counts by grade; "medium_or_weak" counts medium and weak together). The threshold is
 * met when every group of the rule's threshold has a positive dimension. Outcomes:
 * presumed_victim (threshold met), possible_victim (a positive dimension or a strong indicator
 * observed), no_indication (nothing found and enough asked: every strong indicator answered and
 * every dimension with an answer observed or not observed), incomplete (nothing found, not
 * enough asked).
 *
 * Usable as a plain script in the browser (window.TanuRule) and as a CommonJS module in node.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.TanuRule = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var OUTCOME_RANK = { no_indication: 0, incomplete: 1, possible_victim: 2, presumed_victim: 3 };
  var CHILD_AGE_GROUPS = ["child", "unknown_maybe_child"];
  var ANSWERED = { observed: true, not_observed: true, declined: true };

  function satisfiedClause(clauses, strong, medium, weak) {
    for (var i = 0; i < clauses.length; i++) {
      var c = clauses[i];
      if (
        strong >= (c.strong || 0) &&
        medium >= (c.medium || 0) &&
        weak >= (c.weak || 0) &&
        medium + weak >= (c.medium_or_weak || 0)
      ) {
        return i;
      }
    }
    return -1;
  }

  /* Assess answers ({code: "observed" | "not_observed" | "declined" | "unknown"}) against one
   * checklist (its JSON data). Codes the checklist lacks are ignored. */
  function assess(checklist, answers) {
    var keys = checklist.dimensions.map(function (d) { return d.key; });
    var dims = {};
    keys.forEach(function (key) {
      dims[key] = { strong: 0, medium: 0, weak: 0, answered: 0, total: 0, indicators: [] };
    });
    var unaskedStrong = 0;
    var strongIndicators = [];
    checklist.indicators.forEach(function (ind) {
      var answer = answers[ind.code];
      var dim = dims[ind.dimension];
      dim.total += 1;
      if (answer === "observed") {
        dim[ind.strength] += 1;
        dim.indicators.push(ind.code);
        if (ind.strength === "strong") strongIndicators.push(ind.code);
      }
      if (answer === "observed" || answer === "not_observed") dim.answered += 1;
      if (ind.strength === "strong" && !ANSWERED[answer]) unaskedStrong += 1;
    });
    var clauses = checklist.rule.dimension_positive;
    var dimensions = {};
    var indicators = {};
    var positive = [];
    var untouched = [];
    keys.forEach(function (key) {
      var d = dims[key];
      var isPositive = satisfiedClause(clauses, d.strong, d.medium, d.weak) >= 0;
      if (isPositive) positive.push(key);
      if (d.total && !d.answered) untouched.push(key);
      dimensions[key] = { positive: isPositive, strong: d.strong, medium: d.medium, weak: d.weak };
      indicators[key] = d.indicators;
    });
    var missingGroups = checklist.rule.threshold.filter(function (group) {
      return !group.some(function (key) { return positive.indexOf(key) >= 0; });
    });
    var thresholdMet = missingGroups.length === 0;
    var enoughAsked = unaskedStrong === 0 && untouched.length === 0;
    var outcome;
    if (thresholdMet) outcome = "presumed_victim";
    else if (strongIndicators.length || positive.length) outcome = "possible_victim";
    else if (enoughAsked) outcome = "no_indication";
    else outcome = "incomplete";
    return {
      checklist: checklist.id,
      version: checklist.version,
      outcome: outcome,
      threshold_met: thresholdMet,
      enough_asked: enoughAsked,
      unasked_strong: unaskedStrong,
      untouched_dimensions: untouched,
      dimensions: dimensions,
      indicators: indicators,
      positive_dimensions: positive,
      strong_indicators: strongIndicators,
      missing_groups: missingGroups,
    };
  }

  /* Order of results: outcome, then positive dimensions, then observed strong indicators. */
  function stronger(a, b) {
    var ka = [OUTCOME_RANK[a.outcome], a.positive_dimensions.length, a.strong_indicators.length];
    var kb = [OUTCOME_RANK[b.outcome], b.positive_dimensions.length, b.strong_indicators.length];
    for (var i = 0; i < 3; i++) {
      if (ka[i] !== kb[i]) return ka[i] > kb[i];
    }
    return false;
  }

  function findChecklist(checklists, population, form) {
    var found = checklists.filter(function (c) {
      return c.population === population && c.form === form;
    });
    if (found.length === 1) return found[0];
    var preferred = found.filter(function (c) { return c.id === "ilo-" + population + "-" + form; });
    if (preferred.length === 1) return preferred[0];
    throw new Error("no single checklist for " + population + " " + form + " exploitation");
  }

  /* The checklists a person is screened with: the child lists for a child or a person who may
   * be one; both forms when the form is unknown (labour first). */
  function listsFor(checklists, ageGroup, form) {
    var population = CHILD_AGE_GROUPS.indexOf(ageGroup) >= 0 ? "child" : "adult";
    var forms = form === "unknown" ? ["labour", "sexual"] : [form];
    return forms.map(function (f) { return findChecklist(checklists, population, f); });
  }

  /* Assess a person: the list(s) that fit their age group and form; when the form is unknown
   * the stronger result stands (the labour list on a full tie). */
  function assessPerson(checklists, ageGroup, form, answers) {
    var lists = listsFor(checklists, ageGroup, form);
    var results = lists.map(function (c) { return assess(c, answers); });
    var winner = results[0];
    var other = results.length > 1 ? results[1] : null;
    if (other && stronger(other, winner)) {
      var swap = winner;
      winner = other;
      other = swap;
    }
    var untouched = {};
    results.forEach(function (r) {
      r.untouched_dimensions.forEach(function (key) { untouched[key] = true; });
    });
    return {
      outcome: winner.outcome,
      checklist: winner.checklist,
      assessment: winner,
      other: other,
      age_group: ageGroup,
      form: form,
      assessed_as_child: CHILD_AGE_GROUPS.indexOf(ageGroup) >= 0,
      enough_asked: results.every(function (r) { return r.enough_asked; }),
      unasked_strong: results.reduce(function (n, r) { return n + r.unasked_strong; }, 0),
      untouched_dimensions: Object.keys(untouched),
      versions: lists.map(function (c) { return { id: c.id, version: c.version }; }),
    };
  }

  return { assess: assess, assessPerson: assessPerson, listsFor: listsFor };
});
