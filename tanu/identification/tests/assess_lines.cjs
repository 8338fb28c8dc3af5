// Reads JSON lines on stdin: first {"checklists": [...], "codes": [...]}, then one answer set a
// line, ["age_group", "form", "letters"] with one letter per code (o observed, n not observed,
// d declined, u unknown, - unanswered). Writes one JSON line of results per answer set, in the
// shape tanu/identification/tests/test_rule_in_two_runtimes.py builds from the Python engine.
"use strict";
const readline = require("node:readline");
const path = require("node:path");
const rule = require(path.join(__dirname, "..", "static", "identification", "rule.js"));

const ANSWER = { o: "observed", n: "not_observed", d: "declined", u: "unknown" };
let checklists = null;
let codes = null;
const out = [];

function dimensions(result) {
  return Object.entries(result.dimensions)
    .map(([key, d]) => `${key}:${d.positive ? 1 : 0}:${d.strong}:${d.medium}:${d.weak}`)
    .join(",");
}

function line(result) {
  const lists = [result.assessment, result.other].filter(Boolean);
  return JSON.stringify([
    result.outcome,
    result.checklist,
    result.assessment.threshold_met,
    result.enough_asked,
    result.unasked_strong,
    lists.map((r) => `${r.checklist}=${r.outcome}/${dimensions(r)}`),
  ]);
}

const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on("line", (text) => {
  if (checklists === null) {
    const head = JSON.parse(text);
    checklists = head.checklists;
    codes = head.codes;
    return;
  }
  const [ageGroup, form, letters] = JSON.parse(text);
  const answers = {};
  for (let i = 0; i < codes.length; i++) {
    const answer = ANSWER[letters[i]];
    if (answer) answers[codes[i]] = answer;
  }
  out.push(line(rule.assessPerson(checklists, ageGroup, form, answers)));
  if (out.length >= 1000) process.stdout.write(out.splice(0).join("\n") + "\n");
});
input.on("close", () => {
  if (out.length) process.stdout.write(out.join("\n") + "\n");
});
