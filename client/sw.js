/*
 * The app shell, kept on the phone: a link opened with no network still gets the page, which
 * then says plainly that it is offline (with a retry) instead of the browser's error. Pages are
 * network-first (always fresh when online); hashed assets never change, so the cached copy serves.
 * The API and Socket.IO are never touched.
 */
const CACHE = "jl-shell-v1";
const SHELL = "/__shell";

async function keepShell(html) {
  const cache = await caches.open(CACHE);
  await cache.put(SHELL, html.clone());
  // The files this page loads up front, so the shell works offline from its first visit.
  const text = await html.text();
  const assets = [...text.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await Promise.all(
    assets.map(async (a) => {
      if (!(await cache.match(a))) await cache.add(a).catch(() => {});
    }),
  );
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    fetch("/", { cache: "no-cache" })
      .then((res) => (res.ok ? keepShell(res) : undefined))
      .catch(() => {})
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === "navigate") {
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) event.waitUntil(keepShell(res.clone()));
          return res;
        })
        .catch(async () => (await caches.match(SHELL)) || Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith("/assets/")) {
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              event.waitUntil(caches.open(CACHE).then((c) => c.put(req, copy)));
            }
            return res;
          }),
      ),
    );
  }
});
