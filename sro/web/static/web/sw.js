// The service worker (served at /sw.js by sro.web.views.service_worker, which puts the list of
// what to keep, PRECACHE, and its version, CACHE, above this file). It keeps the contact form page
// and the files it needs, so that the form opens with no connection; nothing else is cached, and
// no other request is touched. The contacts saved offline are kept by the page itself (encrypted,
// in IndexedDB: incidents/contact_form.js), never here. docs/contacts.md, "Offline".
/* global PRECACHE, CACHE, FORM_PAGE */
"use strict";

function keep(cache, url, response) {
  // Only a page of our own answered as asked: never a sign-in page answered for the form.
  if (response.ok && !response.redirected && response.type === "basic") {
    return cache.put(url, response);
  }
  return Promise.resolve();
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(PRECACHE.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          return keep(cache, url, response);
        });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf("sro-") === 0 && n !== CACHE;
      }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || PRECACHE.indexOf(url.pathname) < 0) { return; }
  // The form with a query (the next student of a contact) is answered from the plain form offline.
  var key = url.pathname;
  event.respondWith(
    fetch(request).then(function (response) {
      if (url.search === "" || key !== FORM_PAGE) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return keep(cache, key, copy); });
      }
      return response;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) { return cache.match(key); }).then(function (hit) {
        return hit || Response.error();
      });
    })
  );
});
