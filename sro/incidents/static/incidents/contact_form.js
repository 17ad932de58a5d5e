// The phone-first contact form (incidents/contact_form.html), progressive enhancement only: the
// form works without JavaScript, and the server checks everything again. This adds:
// - the parts that apply only sometimes (Education Code section, basis for search...) hidden
//   until they apply;
// - the school-discipline warning before saving (the boundary rules of data/policy.toml);
// - the personal-data check of the notes, with "Redact" (the rules of sro/core/personal_data.py);
// - offline: the service worker (/sw.js) keeps this page; a contact saved with no connection
//   goes to a queue on this device, encrypted with AES-GCM under a key that cannot be read out
//   of the browser (WebCrypto, non-extractable, kept in IndexedDB), and is sent once the
//   connection returns, with its client_id so that the server records it once.
// docs/contacts.md explains each, and what the encryption does and does not protect against.
(function () {
  "use strict";

  var form = document.querySelector("[data-contact-form]");
  if (!form) { return; }

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var personalRules = readJson("personal-data-rules");
  var disciplineRules = readJson("discipline-rules") || [];
  var rightsCodes = readJson("rights-codes") || {actions: [], results: []};
  var msg = form.dataset;

  // Fields of the same contact that the next student keeps (never perceived race, gender, age
  // or disability): the same list as ContactForm.SAME_AS_PREVIOUS.
  var SAME = ["school", "occurred_at", "duration_minutes", "reason", "ed_code_section", "ed_code_subdivision",
    "actions", "search_basis", "consent_type", "seizure_basis", "results", "incident_id"];

  function values(name) {
    var out = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio") ? el.checked : el.value !== "") { out.push(el.value); }
    });
    return out;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function nowLocal() {
    var d = new Date();
    d.setSeconds(0, 0);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
  }

  // --- What applies only sometimes -----------------------------------------------------------
  function applies(block) {
    var cond = block.dataset.showWhen.split("=");
    var wanted = cond[1].split(",");
    return values(cond[0]).some(function (v) { return wanted.indexOf(v) >= 0; });
  }
  function showWhatApplies() {
    form.querySelectorAll("[data-show-when]").forEach(function (block) {
      var keep = applies(block) || block.querySelector(".field-error, .errorlist") ||
        Array.prototype.some.call(block.querySelectorAll("input, select"), function (el) {
          return (el.type === "checkbox" || el.type === "radio") ? el.checked : (el.tagName === "SELECT" && el.value);
        });
      block.hidden = !keep;
    });
  }

  // --- The school-discipline warning ---------------------------------------------------------
  var warning = form.querySelector("[data-discipline-warning]");
  function showDisciplineWarning() {
    if (!warning) { return; }
    var list = warning.querySelector("[data-discipline-list]");
    list.textContent = "";
    disciplineRules.forEach(function (rule) {
      var chosen = values(rule.field).map(Number);
      if (rule.codes.some(function (c) { return chosen.indexOf(c) >= 0; })) {
        var li = document.createElement("li");
        li.textContent = rule.reason + " (" + rule.citation + ")";
        list.appendChild(li);
      }
    });
    warning.hidden = list.children.length === 0;
  }

  // --- The student's rights: a minor's parent is told of a question, search, citation or arrest ---
  // The section with the student's name and the counsel questions opens when one is chosen (once:
  // the officer may close it again).
  var rightsSection = form.querySelector("[data-rights-section]");
  var rightsOpened = false;
  function openRights() {
    if (!rightsSection || rightsOpened) { return; }
    var age = Number((form.querySelector("[name=age]") || {}).value || 0);
    if (age >= 18) { return; }
    var hit = values("actions").map(Number).some(function (c) { return rightsCodes.actions.indexOf(c) >= 0; }) ||
      values("results").map(Number).some(function (c) { return rightsCodes.results.indexOf(c) >= 0; });
    if (hit) { rightsSection.open = true; rightsOpened = true; }
  }

  // --- Personal data in the notes ------------------------------------------------------------
  var narratives = Array.prototype.slice.call(form.querySelectorAll("[data-narrative] textarea"));
  var pdBox = form.querySelector("[data-personal-data]");
  var pdConfirm = form.querySelector("[name=personal_data_confirmed]");

  function findPersonal(text) {
    var found = [];
    if (!personalRules || !text.trim()) { return found; }
    personalRules.rules.forEach(function (rule) {
      var re = new RegExp(rule.pattern, "g");
      var m;
      while ((m = re.exec(text)) !== null) {
        if (m[0] === "") { re.lastIndex += 1; continue; }
        var part = m[rule.group];
        if (part === undefined) { continue; }
        var start = m.index + (rule.group ? m[0].indexOf(part) : 0);
        var end = start + part.length;
        var overlaps = found.some(function (f) { return start < f.end && f.start < end; });
        if (!overlaps) { found.push({ kind: rule.kind, start: start, end: end, text: part }); }
      }
    });
    return found.sort(function (a, b) { return a.start - b.start; });
  }

  function redactText(text, found) {
    var out = "", last = 0;
    found.forEach(function (f) {
      if (f.start < last) { return; }
      out += text.slice(last, f.start) + personalRules.redacted;
      last = f.end;
    });
    return out + text.slice(last);
  }

  function personalFindings() {
    var all = [];
    narratives.forEach(function (el) { all = all.concat(findPersonal(el.value)); });
    return all;
  }

  function showPersonal() {
    if (!pdBox) { return []; }
    var all = personalFindings();
    var list = pdBox.querySelector("[data-personal-data-list]");
    if (all.length) {
      list.textContent = msg.msgFound + " " + all.map(function (f) {
        return personalRules.labels[f.kind] + " (“" + f.text + "”)";
      }).join(", ");
      pdBox.hidden = false;
    } else if (!pdBox.querySelector(".errorlist") && !form.querySelector("[data-narrative] .errorlist")) {
      pdBox.hidden = true;
    }
    return all;
  }

  var redactButton = form.querySelector("[data-redact]");
  if (redactButton) {
    redactButton.addEventListener("click", function (event) {
      event.preventDefault();
      narratives.forEach(function (el) { el.value = redactText(el.value, findPersonal(el.value)); });
      showPersonal();
      if (!personalFindings().length) { pdBox.hidden = true; }
    });
  }

  // --- The queue on this device ----------------------------------------------------------------
  var DB_NAME = "sro-offline", DB_VERSION = 1;
  var queueBox = document.querySelector("[data-contact-queue]");
  var queueList = queueBox && queueBox.querySelector("[data-queue-list]");
  var queueStatus = queueBox && queueBox.querySelector("[data-queue-status]");
  var canQueue = !!(window.indexedDB && window.crypto && crypto.subtle);

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("keys")) { db.createObjectStore("keys"); }
        if (!db.objectStoreNames.contains("contacts")) { db.createObjectStore("contacts", { keyPath: "id" }); }
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }

  function queueKey() {
    return tx("keys", "readonly", function (s) { return s.get("queue"); }).then(function (key) {
      if (key) { return key; }
      // Non-extractable: the page can encrypt and decrypt with it, but no script can read it out.
      return crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"])
        .then(function (fresh) {
          return tx("keys", "readwrite", function (s) { s.put(fresh, "queue"); }).then(function () { return fresh; });
        });
    });
  }

  function encrypt(obj) {
    return queueKey().then(function (key) {
      var iv = crypto.getRandomValues(new Uint8Array(12));
      var plain = new TextEncoder().encode(JSON.stringify(obj));
      return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, plain).then(function (data) {
        return { iv: iv, data: data };
      });
    });
  }

  function decrypt(item) {
    return queueKey().then(function (key) {
      return crypto.subtle.decrypt({ name: "AES-GCM", iv: item.iv }, key, item.data);
    }).then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
  }

  function allQueued() {
    return tx("contacts", "readonly", function (s) { return s.getAll(); }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.created - b.created; });
    });
  }

  function putQueued(item) { return tx("contacts", "readwrite", function (s) { s.put(item); }); }
  function dropQueued(id) { return tx("contacts", "readwrite", function (s) { s.delete(id); }); }

  function entriesOf(submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.set(submitter.name, submitter.value); }
    var entries = [];
    data.forEach(function (value, name) { if (typeof value === "string") { entries.push([name, value]); } });
    return entries;
  }

  function labelFor(name, value) {
    var input = form.querySelector("[name='" + name + "'][value='" + value + "']");
    var label = input && input.closest("label");
    return label ? label.textContent.trim() : value;
  }

  function render() {
    if (!queueBox || !canQueue) { return Promise.resolve(); }
    return allQueued().then(function (items) {
      queueBox.querySelector("[data-queue-count]").textContent = String(items.length);
      queueBox.hidden = items.length === 0 && !queueStatus.textContent;
      queueList.textContent = "";
      return Promise.all(items.map(function (item) {
        return decrypt(item).then(function (payload) {
          var li = document.createElement("li");
          li.dataset.queued = item.id;
          var when = (payload.entries.filter(function (e) { return e[0] === "occurred_at"; })[0] || ["", ""])[1];
          var reason = (payload.entries.filter(function (e) { return e[0] === "reason"; })[0] || ["", ""])[1];
          var text = document.createElement("span");
          text.textContent = when.replace("T", " ") + " · " + (reason ? labelFor("reason", reason) : "");
          li.appendChild(text);
          if (payload.user !== msg.user) {
            var other = document.createElement("p");
            other.textContent = msg.msgOtherUser;
            li.appendChild(other);
          } else if (item.message) {
            var problem = document.createElement("p");
            problem.className = "queue-error";
            problem.textContent = msg.msgKept + " " + item.message;
            li.appendChild(problem);
            var edit = document.createElement("button");
            edit.type = "button"; edit.className = "secondary"; edit.textContent = msg.msgEdit;
            edit.addEventListener("click", function () { putBack(item, payload); });
            var discard = document.createElement("button");
            discard.type = "button"; discard.className = "secondary"; discard.textContent = msg.msgDiscard;
            discard.addEventListener("click", function () {
              if (window.confirm(msg.msgDiscardConfirm)) { dropQueued(item.id).then(render); }
            });
            li.appendChild(edit); li.appendChild(discard);
          }
          queueList.appendChild(li);
        });
      }));
    });
  }

  function setStatus(text) {
    if (queueStatus) { queueStatus.textContent = text; }
    if (queueBox) { queueBox.hidden = false; }
  }

  function fill(entries) {
    form.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (el) { el.checked = false; });
    entries.forEach(function (e) {
      var name = e[0], value = e[1];
      if (name === "csrfmiddlewaretoken" || name === "next") { return; }
      var fields = form.querySelectorAll("[name='" + name + "']");
      fields.forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === value) { el.checked = true; }
        } else { el.value = value; }
      });
    });
    refresh();
  }

  function putBack(item, payload) {
    // Back in the form with the same client_id: sent from there, it is still recorded once.
    fill(payload.entries);
    dropQueued(item.id).then(render);
    form.scrollIntoView();
  }

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var field = form.querySelector("[name=csrfmiddlewaretoken]");
    return m ? decodeURIComponent(m[1]) : (field ? field.value : "");
  }

  var sending = false;
  function sendQueued() {
    if (sending || !canQueue || !navigator.onLine) { return Promise.resolve(); }
    sending = true;
    var sent = [];
    return allQueued().then(function (items) {
      return items.reduce(function (previous, item) {
        return previous.then(function (goOn) {
          if (!goOn || item.message) { return goOn; }  // a kept one waits for the officer
          return decrypt(item).then(function (payload) {
            if (payload.user !== msg.user) { return true; }
            var body = new URLSearchParams();
            payload.entries.forEach(function (e) {
              body.append(e[0], e[0] === "csrfmiddlewaretoken" ? csrfToken() : e[1]);
            });
            return fetch(form.action, {
              method: "POST", body: body, credentials: "same-origin",
              headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
            }).then(function (response) {
              var type = response.headers.get("Content-Type") || "";
              if (type.indexOf("application/json") < 0) {
                item.message = msg.msgSignin;
                return putQueued(item).then(function () { return true; });
              }
              return response.json().then(function (answer) {
                if (response.status === 200 || response.status === 201) {
                  sent.push(answer.message);
                  return dropQueued(item.id).then(function () { return true; });
                }
                item.message = (answer.errors || []).map(function (e) {
                  return (e.field && e.field !== "__all__" ? e.field + ": " : "") + e.message;
                }).join(" ") || answer.detail || String(response.status);
                return putQueued(item).then(function () { return true; });
              });
            }, function () { return false; });  // no connection after all: try again later
          });
        });
      }, Promise.resolve(true));
    }).then(function () {
      sending = false;
      if (sent.length) { setStatus(msg.msgSent + " " + sent.join(" ")); }
      return render();
    }, function (err) { sending = false; throw err; });
  }

  function queueThis(submitter) {
    var entries = entriesOf(submitter);
    var id = (entries.filter(function (e) { return e[0] === "client_id"; })[0] || [])[1] || newId();
    return encrypt({ user: msg.user, entries: entries }).then(function (box) {
      return putQueued({ id: id, created: Date.now(), iv: box.iv, data: box.data, message: "" });
    }).then(function () {
      var same = submitter && submitter.hasAttribute("data-same-as-previous");
      var kept = same ? entries.filter(function (e) { return SAME.indexOf(e[0]) >= 0; }) : [];
      form.reset();
      if (same) { fill(kept); } else { form.querySelector("[name=occurred_at]").value = nowLocal(); refresh(); }
      form.querySelector("[name=client_id]").value = newId();
      setStatus(msg.msgQueued);
      window.scrollTo(0, 0);
      return render();
    });
  }

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-redact")) { return; }
    var found = showPersonal();
    if (found.length && !(pdConfirm && pdConfirm.checked)) {
      event.preventDefault();
      pdBox.scrollIntoView();
      return;
    }
    if (!navigator.onLine) {
      event.preventDefault();
      if (!canQueue) { return; }
      queueThis(submitter);
    }
  });

  function refresh() { showWhatApplies(); showDisciplineWarning(); openRights(); showPersonal(); }

  form.addEventListener("change", refresh);
  narratives.forEach(function (el) { el.addEventListener("input", showPersonal); });

  // A page kept by the service worker may be hours old: a fresh id and the time now.
  if (!document.querySelector("[data-error-summary]")) {
    form.querySelector("[name=client_id]").value = newId();
    var rendered = Number(form.dataset.renderedAt || 0) * 1000;
    var when = form.querySelector("[name=occurred_at]");
    if (when && rendered && Date.now() - rendered > 5 * 60000 && when.value === when.defaultValue) {
      when.value = nowLocal();
    }
  }
  refresh();

  if (canQueue) {
    window.addEventListener("online", sendQueued);
    render().then(sendQueued);
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* the page still works */ });
  }
})();
