/* tanu's service worker, written against Workbox (vendored: static/tanu/vendor/workbox-*).
 * It keeps the offline screening page, its data and its static files, so that a screener who
 * opened tanu once online can screen without a connection. Pages other than that one are never
 * cached: they go to the network, and a page that cannot be reached shows the offline page. */
const CONFIG = {{ config|safe }};

importScripts(CONFIG.workbox);
workbox.setConfig({ modulePathPrefix: CONFIG.modules, debug: false });

const { precaching, routing, strategies, core } = workbox;

// Only a complete answer is kept: never a sign-in page that a redirect put in its place (the
// session had ended), never an error. The install then fails and the previous version stays.
precaching.addPlugins([
  {
    cacheWillUpdate: async ({ response }) =>
      response && response.status === 200 && !response.redirected ? response : null,
  },
]);
precaching.precache(CONFIG.precache);
precaching.cleanupOutdatedCaches();

// The page and its data come from the network when it answers, so that they are fresh and a
// signed-in page is never older than the session; from the cache when it does not.
// A page may take its time (a report): only the data has a timeout.
const networkThenPrecache = (url, timeout) =>
  new strategies.NetworkOnly({
    networkTimeoutSeconds: timeout,
    plugins: [{ handlerDidError: async () => precaching.matchPrecache(url) }],
  });
routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && url.origin === self.location.origin,
  networkThenPrecache(CONFIG.offline, undefined),
);
routing.registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname === CONFIG.checklists,
  networkThenPrecache(CONFIG.checklists, 8),
);
// Static files and the manifest: from the cache, as precached.
precaching.addRoute();

core.clientsClaim();
self.skipWaiting();
