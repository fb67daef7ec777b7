// ESLint for the board (docs/board.md, "Lint and type check"): `npm run lint`, also ctest's
// web_lint (--max-warnings 0: a warning fails too). JavaScript's recommended rules everywhere;
// typescript-eslint's type-checked recommended rules on the TypeScript (src/, test/,
// vite.config.ts); eslint-plugin-react-hooks' recommended rules (the rules of hooks, exhaustive
// deps, and the React Compiler's checks: refs, purity, setState in effects, ...) on src/ and
// test/, with rules-of-hooks and exhaustive-deps as errors. No rule is turned off.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import { defineConfig, globalIgnores } from "eslint/config";

export default defineConfig([
  globalIgnores(["dist/", "node_modules/"]),

  js.configs.recommended,

  // TypeScript: the board and its unit tests (tsconfig.json), and the Vite config.
  {
    files: ["**/*.{ts,tsx}"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: ["./tsconfig.json", "./tsconfig.node.json"],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },

  // React: components and hooks, and the tests that render them.
  {
    files: ["src/**/*.{ts,tsx}", "test/**/*.{ts,tsx}"],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },

  // Node scripts: this file and the Vite config.
  {
    files: ["*.js", "*.ts"],
    languageOptions: { globals: globals.node },
  },
  // The browser tests are node scripts, but the functions they hand to page.evaluate() and
  // addInitScript() run in the page: browser globals too.
  {
    files: ["e2e/**/*.mjs"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
]);
