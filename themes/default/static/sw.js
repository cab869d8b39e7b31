// Offline on the road: keeps the pages, data and QR codes of the models in the visit (and the planner
// that prints them as a booklet) so they open without a signal. visit.js sends the list of addresses
// each time the visit changes; addresses that left it are deleted, so the cache holds the visit only.
// The network always comes first: a reader online sees the current site, and the copies are refreshed.
"use strict";
var CACHE = "showcase-visit-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("showcase-visit") === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function absolute(url) { return new URL(url, self.registration.scope).href; }

self.addEventListener("message", function (event) {
  var data = event.data;
  if (!data || data.type !== "visit" || !Array.isArray(data.urls)) return;
  var wanted = {};
  data.urls.forEach(function (u) {
    var href = absolute(u);
    if (new URL(href).origin === self.location.origin) wanted[href] = true;
  });
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      var have = {};
      var drops = requests.filter(function (r) { have[r.url] = true; return !wanted[r.url]; })
        .map(function (r) { return cache.delete(r); });
      // One failed file (a model just removed from the site) must not stop the others.
      var adds = Object.keys(wanted).filter(function (u) { return !have[u]; })
        .map(function (u) { return cache.add(u).catch(function () { return null; }); });
      return Promise.all(drops.concat(adds));
    });
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok) {
        cache.match(request).then(function (old) { if (old) cache.put(request, response.clone()); });
      }
      return response;
    }, function () {
      // The shared planner link carries ?ds=…: any query finds the planner page.
      return cache.match(request, { ignoreSearch: true }).then(function (copy) { return copy || Response.error(); });
    });
  }));
});
