// Saving test answers as they are given, so that a dropped connection or a reload loses nothing.
// Each change is kept on the phone (localStorage) until the server confirms it, and resent when
// the connection is back. No inline script: this file is loaded with <script src> (CSP).
(() => {
  const form = document.getElementById("attempt-form");
  if (!form) return;
  document.documentElement.classList.add("js");
  const saveUrl = form.dataset.saveUrl;
  const storeKey = `tanu-training-attempt-${form.dataset.attempt}`;
  const status = document.getElementById("save-status");
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let sending = false;
  let over = false;

  const load = () => {
    try {
      return JSON.parse(window.localStorage.getItem(storeKey) || "{}");
    } catch (e) {
      return {};
    }
  };
  const store = (value) => {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify(value));
    } catch (e) {
      /* private mode: answers are still sent at once */
    }
  };
  let pending = load();

  const show = (state) => {
    if (!status) return;
    status.classList.remove("saved", "offline", "saving");
    status.classList.add(state);
    status.dataset.state = state;
    const text = {
      saved: form.dataset.msgSaved,
      saving: form.dataset.msgSaving,
      offline: form.dataset.msgOffline,
      over: form.dataset.msgOver,
    }[state];
    if (text) status.textContent = text;
  };

  const snapshot = (fieldset) => {
    const pairs = [];
    fieldset.querySelectorAll("input, select").forEach((el) => {
      if (el.name === "item" || !el.name) return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      if (el.tagName === "SELECT" && !el.value) return;
      pairs.push([el.name, el.value]);
    });
    return pairs;
  };

  const apply = (fieldset, pairs) => {
    fieldset.querySelectorAll("input[type=radio], input[type=checkbox]").forEach((el) => {
      el.checked = pairs.some(([n, v]) => n === el.name && v === el.value);
    });
    fieldset.querySelectorAll("select").forEach((el) => {
      const pair = pairs.find(([n]) => n === el.name);
      el.value = pair ? pair[1] : "";
    });
  };

  // After a reload: put back the answers that were not confirmed yet.
  Object.entries(pending).forEach(([id, pairs]) => {
    const fieldset = form.querySelector(`[data-item="${id}"]`);
    if (fieldset) apply(fieldset, pairs);
    else delete pending[id];
  });

  const flush = async () => {
    if (sending || over) return;
    const ids = Object.keys(pending);
    if (!ids.length) return;
    sending = true;
    show("saving");
    const batch = {};
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    ids.forEach((id) => {
      batch[id] = JSON.stringify(pending[id]);
      body.append("item", id);
      pending[id].forEach(([name, value]) => body.append(name, value));
    });
    let again = false;
    try {
      const response = await fetch(saveUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf },
      });
      if (response.status === 409) {
        over = true;
        window.localStorage.removeItem(storeKey);
        show("over");
        window.location.reload();
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      await response.json();
      ids.forEach((id) => {
        if (JSON.stringify(pending[id]) === batch[id]) delete pending[id];
      });
      store(pending);
      again = Object.keys(pending).length > 0;
      show(again ? "saving" : "saved");
    } catch (e) {
      show("offline");
    } finally {
      sending = false;
    }
    if (again) flush();
  };

  form.addEventListener("change", (event) => {
    const fieldset = event.target.closest("[data-item]");
    if (!fieldset) return;
    pending[fieldset.dataset.item] = snapshot(fieldset);
    store(pending);
    flush();
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", () => show("offline"));
  window.setInterval(() => {
    if (Object.keys(pending).length) flush();
  }, 4000);

  form.addEventListener("submit", (event) => {
    if (!navigator.onLine) {
      event.preventDefault();
      show("offline");
      return;
    }
    // The submission carries every answer on the page; nothing is left to resend.
    window.localStorage.removeItem(storeKey);
  });

  if (Object.keys(pending).length) flush();

  // The countdown. The server enforces the limit; this only shows it.
  const clock = document.getElementById("time-left");
  if (clock) {
    const ends = Date.now() + Number(clock.dataset.seconds || 0) * 1000;
    const label = form.dataset.msgTime;
    const tick = () => {
      const left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      const m = Math.floor(left / 60);
      const s = String(left % 60).padStart(2, "0");
      clock.textContent = `${label}: ${m}:${s}`;
      if (left === 0) {
        window.clearInterval(timer);
        if (navigator.onLine) form.requestSubmit(document.getElementById("submit-test"));
      }
    };
    const timer = window.setInterval(tick, 1000);
    tick();
  }
})();
