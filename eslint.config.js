// ESLint: the recommended sets of typescript-eslint, react-hooks and jsx-a11y,
// and three type-aware rules for promises, nothing else stricter. Models are
// async (ADR 018): a call left unawaited would write after its transaction
// had committed, or race the next request, and nothing else would notice. Prettier owns layout, so no stylistic rules here;
// `npm run lint` also runs the layering check and the dead-export check.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import jsxA11y from "eslint-plugin-jsx-a11y";
import globals from "globals";

export default tseslint.config(
  { ignores: ["build/", "node_modules/", ".cache/", "test-results/", "var/", "db/migrations/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs,cjs}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `const { secret, ...rest } = row` is how the code drops a key; the
      // dropped name is the point, not an oversight.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
    },
  },
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/await-thenable": "error",
    },
  },
  {
    files: ["**/*.tsx"],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ["**/*.tsx"],
    ...jsxA11y.flatConfigs.recommended,
  },
);
