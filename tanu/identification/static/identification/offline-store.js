/* Screenings waiting on the phone to be sent, encrypted (window.TanuOfflineStore).
 *
 * IndexedDB database "tanu-offline": store "keys" holds one AES-GCM key, made by WebCrypto as
 * non-extractable (the browser can use it, nobody can read it out); store "queue" holds each
 * waiting screening as {id, iv, data}, data being the ciphertext of its JSON. A screening is
 * removed once the server has it; the whole database (key included) is deleted on sign-out.
 *
 * Also: registers the service worker for a screener (body[data-offline-sw]), links the offline
 * page from a screener's other pages while screenings wait, and hooks the sign-out form
 * (form[data-offline-signout]) to erase the database first. */
(function () {
  "use strict";

  var DB_NAME = "tanu-offline";
  var KEY_ID = "queue-key";

  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function finished(tx) {
    return new Promise(function (resolve, reject) {
      tx.oncomplete = function () { resolve(); };
      tx.onerror = tx.onabort = function () { reject(tx.error); };
    });
  }

  function open() {
    var request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = function () {
      request.result.createObjectStore("keys");
      request.result.createObjectStore("queue", { keyPath: "id" });
    };
    return done(request).then(function (db) {
      // Another tab erasing the database (sign-out) must not wait for this one.
      db.onversionchange = function () { db.close(); };
      return db;
    });
  }

  function withDb(work) {
    return open().then(function (db) {
      return Promise.resolve(work(db)).then(
        function (value) { db.close(); return value; },
        function (error) { db.close(); throw error; }
      );
    });
  }

  function key(db) {
    return done(db.transaction("keys").objectStore("keys").get(KEY_ID)).then(function (found) {
      if (found) return found;
      return crypto.subtle
        .generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"])
        .then(function (made) {
          var tx = db.transaction("keys", "readwrite");
          tx.objectStore("keys").add(made, KEY_ID);
          return finished(tx).then(function () { return made; });
        });
    });
  }

  function addRecord(id, record) {
    return withDb(function (db) {
      return key(db).then(function (cryptoKey) {
        var iv = crypto.getRandomValues(new Uint8Array(12));
        var plain = new TextEncoder().encode(JSON.stringify(record));
        return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, cryptoKey, plain).then(
          function (data) {
            var tx = db.transaction("queue", "readwrite");
            tx.objectStore("queue").put({ id: id, iv: iv, data: data });
            return finished(tx);
          }
        );
      });
    });
  }

  function count() {
    if (!window.indexedDB) return Promise.resolve(0);
    return withDb(function (db) {
      return done(db.transaction("queue").objectStore("queue").count());
    });
  }

  /* Every waiting screening, decrypted: [{id, record}]. */
  function all() {
    return withDb(function (db) {
      return done(db.transaction("queue").objectStore("queue").getAll()).then(function (rows) {
        if (!rows.length) return [];
        return key(db).then(function (cryptoKey) {
          return Promise.all(rows.map(function (row) {
            return crypto.subtle
              .decrypt({ name: "AES-GCM", iv: row.iv }, cryptoKey, row.data)
              .then(function (plain) {
                return { id: row.id, record: JSON.parse(new TextDecoder().decode(plain)) };
              });
          }));
        });
      });
    });
  }

  function remove(id) {
    return withDb(function (db) {
      var tx = db.transaction("queue", "readwrite");
      tx.objectStore("queue").delete(id);
      return finished(tx);
    });
  }

  /* Delete everything: the waiting screenings and the key. */
  function erase() {
    if (!window.indexedDB) return Promise.resolve();
    return new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    });
  }

  function hookSignOut(form) {
    var confirmed = false;
    form.addEventListener("submit", function (event) {
      if (confirmed) return;
      event.preventDefault();
      count().catch(function () { return 0; }).then(function (waiting) {
        if (waiting && !window.confirm(form.getAttribute("data-unsent-warning"))) return;
        return erase().then(function () {
          confirmed = true;
          form.submit();
        });
      });
    });
  }

  /* On a screener's other pages: a link to the offline page when screenings wait to be sent
   * (after signing in again, say, once the session ended during a long patrol). */
  function announceWaiting() {
    var text = document.body.getAttribute("data-offline-waiting");
    var main = document.getElementById("main");
    if (!text || !main || document.getElementById("offline-form") || !window.indexedDB) return;
    count().then(function (waiting) {
      if (!waiting) return;
      var note = document.createElement("p");
      note.className = "offline-waiting";
      note.setAttribute("role", "status");
      var link = document.createElement("a");
      link.href = document.body.getAttribute("data-offline-page");
      link.textContent = text.replace("%(count)s", String(waiting));
      note.appendChild(link);
      main.insertBefore(note, main.firstChild);
    }).catch(function () {});
  }

  function start() {
    var forms = document.querySelectorAll("form[data-offline-signout]");
    for (var i = 0; i < forms.length; i++) hookSignOut(forms[i]);
    announceWaiting();
    var sw = document.body.getAttribute("data-offline-sw");
    if (sw && "serviceWorker" in navigator && window.isSecureContext) {
      navigator.serviceWorker.register(sw, { scope: "/" }).catch(function () {
        // Without a service worker tanu works as before, online only.
      });
    }
  }

  window.TanuOfflineStore = {
    add: addRecord,
    all: all,
    count: count,
    remove: remove,
    erase: erase,
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
