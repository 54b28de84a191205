// The form field every staff form carries, holding the session's CSRF token.
// Client-safe (no server imports): the forms render it in the browser, and
// staff-auth.server.ts reads it back. A route component that imported it from
// the .server module would fail the build.
export const csrfField = "csrf";
