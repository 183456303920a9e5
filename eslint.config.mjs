import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "out/", "coverage/", ".stryker-tmp/", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      // `||` on numbers and booleans silently replaces 0/false with a default.
      "no-restricted-syntax": [
        "error",
        {
          selector: "LogicalExpression[operator='||'][right.type='Literal'][right.raw=/^(\\d|true|false)/]",
          message: "Use ?? for numeric/boolean defaults: || replaces 0 and false.",
        },
      ],
    },
  },
);
