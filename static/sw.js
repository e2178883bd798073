/* Bro's service worker. Served as /sw.js with the release version written in below.
   - Public guide pages: precached per language, then stale-while-revalidate.
   - Personal and staff pages: network only, never stored; offline they get the offline page.
   - Forms in the outbox list (interpreter requests, answers after a meeting, the check-in): when
     the network fails, the form is kept in IndexedDB and sent later with a fresh CSRF token, only
     under the account that filled it in. Each is stored once however often it arrives (an
     idempotency key; one answer per meeting, one check-in per quarter). */
"use strict";

const VERSION = "__VERSION__";
const SHELL = "bro-shell-" + VERSION;
const PAGES = "bro-pages-" + VERSION;
const LANG = /^\/([a-z]{2,3})\//;
const PRIVATE = /^\/[a-z]{2,3}\/(me|account|staff|helping|login|logout|activate|helper|language\/missing)(\/|$|\.)/;
const PUBLIC_PAGE = /^\/[a-z]{2,3}\/((guides\/[a-z0-9-]*)|glossary|help\/[a-z-]+|offline|about\/languages)?$/;
const OUTBOX_FORMS = /^\/[a-z]{2,3}\/(me|helping\/\d+)\/(interpreter\/new|meetings\/\d+\/feedback|checkin)$/;

// --- IndexedDB outbox -------------------------------------------------------------------------
function openOutbox() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("bro-outbox", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("forms", { keyPath: "key" });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}
function outbox(mode, action) {
  return openOutbox().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction("forms", mode);
    const result = action(tx.objectStore("forms"));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  }));
}

async function keep(request) {
  const data = await request.formData();
  const fields = [];
  for (const [name, value] of data.entries()) {
    if (name !== "csrf_token" && typeof value === "string") fields.push([name, value]);
  }
  const key = data.get("key") || String(Date.now());
  // Whose form this is (an opaque name from the page): on a shared phone it is sent only
  // under that same account.
  const owner = data.get("outbox_owner") || "";
  await outbox("readwrite", (store) => store.put({ key, owner, url: new URL(request.url).pathname, fields, saved: Date.now() }));
  return key;
}

async function flush() {
  const items = await outbox("readonly", (store) => store.getAll());
  for (const item of items || []) {
    try {
      // A fresh CSRF token: the form page of the same session carries one.
      const form = await fetch(item.url, { credentials: "same-origin", cache: "no-store" });
      if (form.redirected || !form.ok) continue; // signed out or gone: try again later
      const html = await form.text();
      const signedIn = html.match(/name="outbox_owner" value="([^"]*)"/);
      if (!signedIn || signedIn[1] !== item.owner) continue; // someone else: keep it for its owner
      const match = html.match(/name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"/);
      if (!match) continue;
      const body = new URLSearchParams(item.fields);
      body.set("csrf_token", match[1] || match[2]);
      const sent = await fetch(item.url, { method: "POST", body, credentials: "same-origin", redirect: "follow" });
      if (sent.ok && sent.redirected) {
        await outbox("readwrite", (store) => store.delete(item.key));
      }
    } catch (error) {
      return; // still offline
    }
  }
  const left = (await outbox("readonly", (store) => store.getAll())) || [];
  const pages = await self.clients.matchAll({ type: "window" });
  pages.forEach((page) => page.postMessage({ type: "outbox", owners: left.map((item) => item.owner) }));
}

// --- caches ------------------------------------------------------------------------------------
async function precache(lang) {
  const response = await fetch(`/precache/${lang}.json`, { cache: "no-store" });
  if (!response.ok) return;
  const list = await response.json();
  const shell = await caches.open(SHELL);
  const pages = await caches.open(PAGES);
  await Promise.all(list.urls.map(async (url) => {
    const cache = url.startsWith("/static/") ? shell : pages;
    if (await cache.match(url)) return;
    // Without cookies: only the anonymous, public page is ever stored.
    const page = await fetch(url, { credentials: "omit" });
    if (page.ok) await cache.put(url, page);
  }));
}

function offlinePage(path) {
  const lang = (path.match(LANG) || [null, "da"])[1];
  return caches.match(`/${lang}/offline`).then((page) => page || new Response(
    "<!doctype html><meta charset=utf-8><title>Offline</title><p>Offline.</p>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }));
}

async function staleWhileRevalidate(event, request) {
  const cache = await caches.open(PAGES);
  const cached = await cache.match(request, { ignoreVary: true });
  const refresh = fetch(request.url, { credentials: "omit" }).then((response) => {
    if (response.ok) cache.put(request.url, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => undefined));
    return cached;
  }
  try {
    // Not stored yet: serve the real (possibly signed-in) page, and store an anonymous copy.
    const live = await fetch(request);
    event.waitUntil(refresh.catch(() => undefined));
    return live;
  } catch (error) {
    return offlinePage(new URL(request.url).pathname);
  }
}

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("bro-") && !name.endsWith(VERSION))
      .map((name) => caches.delete(name)));
    await self.clients.claim();
    flush().catch(() => undefined);
  })());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "precache" && /^[a-z]{2,3}$/.test(data.lang)) {
    event.waitUntil(precache(data.lang).then(() => event.source && event.source.postMessage({ type: "precached", lang: data.lang })));
  } else if (data.type === "flush") {
    event.waitUntil(flush());
  } else if (data.type === "forget") {
    event.waitUntil(outbox("readwrite", (store) => store.clear()));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag === "bro-outbox") event.waitUntil(flush());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.method === "POST" && OUTBOX_FORMS.test(url.pathname)) {
    event.respondWith((async () => {
      const copy = request.clone();
      try {
        return await fetch(request);
      } catch (error) {
        await keep(copy);
        if (self.registration.sync) self.registration.sync.register("bro-outbox").catch(() => undefined);
        const lang = (url.pathname.match(LANG) || [null, "da"])[1];
        return Response.redirect(`/${lang}/offline#saved`, 303);
      }
    })());
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname === "/sw.js" || url.pathname.startsWith("/precache/")) return;

  if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request, { ignoreVary: true }).then((hit) => hit || fetch(request)));
    return;
  }
  if (PRIVATE.test(url.pathname)) {
    // Never stored. Offline, the offline page: no personal data from any cache.
    if (request.mode === "navigate") {
      event.respondWith(fetch(request).catch(() => offlinePage(url.pathname)));
    }
    return;
  }
  if (request.mode === "navigate" && PUBLIC_PAGE.test(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event, request));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => offlinePage(url.pathname)));
  }
});
