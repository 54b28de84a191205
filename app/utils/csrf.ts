// The name of the field every staff form carries, holding the session's CSRF
// token. Here, not in auth/staff-auth.server.ts, because the forms that render
// it are bundled for the browser, which may not import a .server module.
export const csrfField = "csrf";
