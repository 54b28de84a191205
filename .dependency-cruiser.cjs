// The layering check (`npm run lint`). Rooms, from the top:
//   routes (and root.tsx)  →  app/mail (mail services), app/importers  →  app/models  →  db/
// with app/utils (configuration, the connection, pure helpers) and
// app/mail-wording (pure mail texts) below the models. Paths are relative to
// the repository root; `~/` and `#db/` resolve through tsconfig.json.
//
// "Client-side" is any module under app/ whose name lacks `.server`, apart
// from route modules (routes/, root.tsx): the Remix Vite plugin strips a
// route's loader, action and headers, and their server-only imports with them,
// but bundles every other module a component reaches. So route modules may
// import `.server` modules; nothing else without `.server` in its name may.
// db/enums.ts is the one db/ module client code may import: it holds the
// schema's fixed vocabularies (nations, statuses…) and imports nothing, so the
// browser gets the arrays without drizzle or any table or column name
// (tests/e2e/client-bundle.test.ts checks the build).
const clientSafeDb = "^db/enums\\.ts$";
const routeModules = "^app/(routes/|root\\.tsx$)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "Modules that import each other have no order to read or test them in; move what they share to a file of its own.",
      from: {},
      to: { circular: true },
    },
    {
      name: "models-stay-below",
      severity: "error",
      comment: "Models are called by routes, importers and the mail services; they never import them, nor components.",
      from: { path: "^app/models/" },
      to: { path: ["^app/(routes|components|mail|importers)/", "^app/(root|entry\\.server)\\.tsx$"] },
    },
    {
      name: "routes-reach-db-through-models",
      severity: "error",
      comment: "Routes call models; only the client-safe enums come straight from db/.",
      from: { path: routeModules },
      to: { path: "^db/", pathNot: clientSafeDb },
    },
    {
      name: "utils-below-models",
      severity: "error",
      comment:
        "app/utils holds configuration, the connection and pure helpers: it imports no model, mail service, importer, route or component.",
      from: { path: "^app/utils/" },
      to: { path: "^app/(models|mail|importers|routes|components)/" },
    },
    {
      name: "mail-wording-is-pure",
      severity: "error",
      comment: "Mail wording is pure text built from its arguments: it imports nothing of the app but itself.",
      from: { path: "^app/mail-wording/" },
      to: { path: "^(app|db|scripts|tests)/", pathNot: "^app/mail-wording/" },
    },
    {
      name: "db-imports-nothing-of-the-app",
      severity: "error",
      comment: "db/ is the bottom room: schema, enums, migrations and the connection factory.",
      from: { path: "^db/" },
      to: { path: "^(app|scripts|tests)/" },
    },
    {
      name: "client-code-imports-no-server-code",
      severity: "error",
      comment:
        "A module without .server in its name may be bundled for the browser (route modules aside, see the top of this file): it must not import a .server module or db/ (db/enums.ts excepted).",
      from: { path: "^app/", pathNot: ["\\.server\\.[jt]sx?$", routeModules, "^app/routes\\.ts$"] },
      to: { path: ["\\.server\\.[jt]sx?$", "^db/"], pathNot: clientSafeDb },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import the check cannot resolve is an import it cannot check.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(build|node_modules|var|\\.cache)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
    },
  },
};
