/* The offline screening page: questions from the checklist data in force, the assessment on the
 * phone (rule.js), finished screenings kept encrypted (offline-store.js) and sent once online.
 * Every text comes translated from the page (#offline-data). */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("offline-data").textContent);
  var T = data.texts;
  var rule = window.TanuRule;
  var store = window.TanuOfflineStore;
  var form = document.getElementById("offline-form");
  var questions = document.getElementById("offline-questions");
  var statusLine = document.getElementById("offline-status");
  var queueLine = document.getElementById("queue-status");
  var results = document.getElementById("sync-results");
  var syncButton = document.getElementById("sync-now");
  var formError = document.getElementById("offline-form-error");
  var stopBlock = document.getElementById("offline-stop");
  var payload = null;
  var answers = {};
  var current = null; // the assessment shown
  var syncing = false;

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  function field(name) { return form.elements[name]; }

  function text(value) {
    return (value && (value[data.lang] || value.en)) || "";
  }

  function say(message, kind) {
    var item = document.createElement("li");
    item.className = kind || "info";
    item.textContent = message;
    results.appendChild(item);
  }

  function showConnection() {
    var online = navigator.onLine;
    statusLine.setAttribute("data-state", online ? "online" : "offline");
    statusLine.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = online ? T.online : T.offline;
    statusLine.appendChild(strong);
  }

  function showCount() {
    return store.count().then(function (count) {
      queueLine.setAttribute("data-count", String(count));
      queueLine.textContent = fmt(T.waiting, { count: count });
      syncButton.disabled = count === 0 || !navigator.onLine;
      return count;
    });
  }

  function lists() {
    var age = field("age_group").value;
    var kind = field("form").value;
    if (!payload || !age || !kind) return [];
    return rule.listsFor(payload.lists, age, kind);
  }

  function radio(code, value, label) {
    var wrap = document.createElement("label");
    var input = document.createElement("input");
    input.type = "radio";
    input.name = "ans-" + code;
    input.value = value;
    input.checked = (answers[code] || "unknown") === value;
    wrap.appendChild(input);
    wrap.appendChild(document.createTextNode(" " + label));
    return wrap;
  }

  function renderQuestions() {
    questions.textContent = "";
    var chosen = lists();
    if (!chosen.length) return;
    chosen[0].dimensions.forEach(function (dimension) {
      var section = document.createElement("section");
      section.className = "dimension";
      var heading = document.createElement("h2");
      heading.textContent = text(dimension.label);
      section.appendChild(heading);
      chosen.forEach(function (checklist) {
        checklist.indicators.forEach(function (indicator) {
          if (indicator.dimension !== dimension.key) return;
          var box = document.createElement("div");
          box.className = "indicator";
          var set = document.createElement("fieldset");
          set.className = "choices";
          var legend = document.createElement("legend");
          var code = document.createElement("span");
          code.className = "code";
          code.textContent = indicator.code;
          var grade = document.createElement("small");
          grade.className = "strength strength-" + indicator.strength;
          grade.textContent = "(" + T.strengths[indicator.strength] + ")";
          legend.appendChild(code);
          legend.appendChild(document.createTextNode(" " + text(indicator.label) + " "));
          legend.appendChild(grade);
          set.appendChild(legend);
          var prompt = document.createElement("p");
          prompt.className = "prompt";
          prompt.textContent = text(indicator.prompt);
          set.appendChild(prompt);
          Object.keys(T.answers).forEach(function (value) {
            set.appendChild(radio(indicator.code, value, T.answers[value]));
          });
          box.appendChild(set);
          section.appendChild(box);
        });
      });
      questions.appendChild(section);
    });
  }

  function dimensionLabel(key) {
    var found = payload.lists[0].dimensions.filter(function (d) { return d.key === key; })[0];
    return found ? text(found.label) : key;
  }

  function renderAssessment() {
    var outcome = document.getElementById("offline-outcome");
    var dimensions = document.getElementById("offline-dimensions");
    var enough = document.getElementById("offline-enough");
    var versions = document.getElementById("offline-versions");
    var chosen = lists();
    current = chosen.length
      ? rule.assessPerson(payload.lists, field("age_group").value, field("form").value, answers)
      : null;
    if (!current) {
      outcome.textContent = dimensions.textContent = enough.textContent = versions.textContent = "";
      outcome.setAttribute("data-outcome", "");
      stopBlock.hidden = true;
      return;
    }
    outcome.textContent = "";
    var badge = document.createElement("span");
    badge.className = "badge outcome-" + current.outcome;
    badge.textContent = T.outcomes[current.outcome];
    outcome.appendChild(badge);
    outcome.setAttribute("data-outcome", current.outcome);
    var positive = current.assessment.positive_dimensions;
    dimensions.textContent = positive.length
      ? fmt(T.positive, { list: positive.map(dimensionLabel).join(", ") })
      : T.none_positive;
    enough.textContent = current.enough_asked
      ? ""
      : fmt(T.not_enough, {
          strong: current.unasked_strong,
          dims: current.untouched_dimensions.length,
        });
    versions.textContent = fmt(T.versions, {
      list: current.versions.map(function (v) { return v.id + " v" + v.version; }).join(", "),
    });
    stopBlock.hidden = current.enough_asked;
  }

  function localDate() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function missing() {
    var names = ["place", "interview_language", "age_group", "form", "judgement"];
    for (var i = 0; i < names.length; i++) {
      var input = field(names[i]);
      if (!input.value) {
        var label = form.querySelector("label[for='" + input.id + "']");
        return { input: input, label: label ? label.textContent.trim() : names[i] };
      }
    }
    return null;
  }

  function fail(message, input) {
    formError.textContent = message;
    formError.hidden = false;
    if (input) input.focus();
  }

  function save(event) {
    event.preventDefault();
    formError.hidden = true;
    var gap = missing();
    if (gap) return fail(fmt(T.choose, { field: gap.label }), gap.input);
    renderAssessment();
    var stop = current.enough_asked ? "" : field("stop_reason").value;
    if (current.outcome === "incomplete" && !stop) return fail(T.stop_needed, field("stop_reason"));
    var codes = {};
    lists().forEach(function (c) { c.indicators.forEach(function (i) { codes[i.code] = true; }); });
    var given = {};
    Object.keys(answers).forEach(function (code) {
      if (codes[code] && answers[code] !== "unknown") given[code] = answers[code];
    });
    var id = crypto.randomUUID();
    var record = {
      client_id: id,
      place: field("place").value,
      interview_language: field("interview_language").value,
      interpreter_used: field("interpreter_used").checked,
      age_group: field("age_group").value,
      form: field("form").value,
      screened_on: localDate(),
      judgement: field("judgement").value,
      stop_reason: stop,
      answers: given,
      device: {
        outcome: current.outcome,
        checklist: current.checklist,
        positive_dimensions: current.assessment.positive_dimensions,
        versions: current.versions,
      },
    };
    store.add(id, record).then(function () {
      form.reset();
      answers = {};
      renderQuestions();
      renderAssessment();
      say(T.saved, "success");
      window.scrollTo(0, 0);
      return showCount();
    }).then(sync).catch(function () { fail(T.no_storage); });
  }

  function outcomeName(value) { return T.outcomes[value] || value || "-"; }

  function sendOne(token, item) {
    return fetch(data.sync, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(item.record),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.status === 403) throw new Error(T.not_signed_in);
        if (!response.ok) {
          say(fmt(T.failed, { reason: body.detail || "" }), "error");
          return;
        }
        say(fmt(body.finalised ? T.sent : T.sent_draft, { reference: body.reference }), "success");
        say(
          body.differences.length
            ? fmt(T.differ, {
                what: body.differences.join(", "),
                phone: outcomeName(body.device_outcome),
                server: outcomeName(body.outcome),
              })
            : T.agree,
          body.differences.length ? "warning" : "info"
        );
        return store.remove(item.id);
      });
    });
  }

  function sync() {
    if (syncing || !navigator.onLine) return Promise.resolve();
    syncing = true;
    return store.count().then(function (count) {
      if (!count) return;
      say(T.sending, "info");
      return fetch(data.sync, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok || response.redirected) throw new Error(T.not_signed_in);
          return response.json();
        })
        .then(function (session) {
          return store.all().then(function (items) {
            return items.reduce(function (previous, item) {
              return previous.then(function () { return sendOne(session.csrf, item); });
            }, Promise.resolve());
          });
        });
    }).catch(function (error) {
      say(error && error.message === T.not_signed_in ? T.not_signed_in : fmt(T.failed, { reason: "" }), "error");
    }).then(function () {
      syncing = false;
      return showCount();
    });
  }

  function start() {
    if (!rule || !store || !window.indexedDB || !window.crypto || !crypto.subtle) {
      say(T.no_storage, "error");
      return;
    }
    showConnection();
    showCount();
    window.addEventListener("online", function () { showConnection(); sync(); });
    window.addEventListener("offline", function () { showConnection(); showCount(); });
    syncButton.addEventListener("click", sync);
    fetch(data.checklists, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("no data");
        return response.json();
      })
      .then(function (body) {
        payload = body;
        form.hidden = false;
        renderQuestions();
        renderAssessment();
        sync();
      })
      .catch(function () { say(T.no_data, "error"); });
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.name && target.name.indexOf("ans-") === 0) {
        answers[target.name.slice(4)] = target.value;
        renderAssessment();
      } else if (target.name === "age_group" || target.name === "form") {
        renderQuestions();
        renderAssessment();
      }
    });
    form.addEventListener("submit", save);
  }

  start();
})();
