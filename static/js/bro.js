/* Every page: register the service worker, offer installation, show the outbox state.
   Nothing here is needed for Bro to work; without JavaScript every page and form still works. */
(function () {
  "use strict";
  var lang = document.documentElement.lang;

  function show(selector) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (el) { el.hidden = false; });
  }

  // Who is signed in on this phone, as an opaque name (the flag cookie); "" when nobody is.
  var owner = (document.cookie.match(/(?:^|;\s*)bro_signed_in=([^;]+)/) || [null, ""])[1];

  // The outbox: forms kept on this phone until there is a connection. Each person sees only
  // their own; once nobody is signed in (however that happened), the forms are forgotten.
  function showWaiting(owners) {
    var waiting = owners.filter(function (name) { return owner && name === owner; }).length;
    Array.prototype.forEach.call(document.querySelectorAll("[data-outbox-waiting]"), function (el) {
      el.hidden = !waiting;
    });
  }
  function checkOutbox() {
    if (!window.indexedDB) return;
    var open = indexedDB.open("bro-outbox", 1);
    open.onupgradeneeded = function () { open.result.createObjectStore("forms", { keyPath: "key" }); };
    open.onsuccess = function () {
      var store = open.result.transaction("forms", owner ? "readonly" : "readwrite").objectStore("forms");
      if (!owner) {
        store.clear();
        showWaiting([]);
        return;
      }
      var all = store.getAll();
      all.onsuccess = function () {
        showWaiting(all.result.map(function (item) { return item.owner; }));
      };
    };
  }
  if (location.hash === "#saved") {
    show("[data-saved]");
    Array.prototype.forEach.call(document.querySelectorAll("[data-unsaved]"), function (el) { el.hidden = true; });
  }

  // A guide from the service worker's cache is the anonymous copy. When someone is signed in on
  // this phone, its header link says "My page" (the sign-in address leads there when signed in).
  var account = document.querySelector("a[data-my-page]");
  if (account && owner) {
    account.textContent = account.getAttribute("data-my-page");
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      var data = event.data || {};
      if (data.type === "outbox") showWaiting(data.owners || []);
      if (data.type === "precached") document.documentElement.dataset.precached = data.lang;
    });
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) {
        registration.active.postMessage({ type: "precache", lang: lang });
        if (navigator.onLine) registration.active.postMessage({ type: "flush" });
      }
      window.addEventListener("online", function () {
        if (registration.active) registration.active.postMessage({ type: "flush" });
      });
    }).catch(function () { /* no worker: Bro still works online */ });
  }
  checkOutbox();

  // Signing out forgets forms kept on this phone: they belong to the person signing out.
  var logout = document.querySelector("form[data-logout]");
  if (logout) {
    logout.addEventListener("submit", function () {
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "forget" });
      }
    });
  }

  // Install: the browser's own offer, behind a button of ours, where the browser supports it.
  var offer = null;
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    offer = event;
    show("[data-install]");
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-install] button"), function (button) {
    button.addEventListener("click", function () {
      if (!offer) return;
      offer.prompt();
      offer = null;
      Array.prototype.forEach.call(document.querySelectorAll("[data-install]"), function (el) { el.hidden = true; });
    });
  });
})();
