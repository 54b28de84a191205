// Remix options live here and are passed to the Vite plugin by vite.config.ts.
// Never run the classic `remix build` compiler: it reads this file too and
// rejects v3_routeConfig.

/** @type {import('@remix-run/dev').VitePluginConfig} */
export default {
  ignoredRouteFiles: ["**/.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
    v3_routeConfig: true,
  },
};
