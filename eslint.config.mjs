// ESLint: typescript-eslint's type-aware recommended rules plus Pulumi's plugin, which catches an
// Output inside a plain template string (it would print "Calling [toString] on an [Output<T>]").
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
    // examples/: programs with dependencies of their own (this package, installed), run by `npm run e2e`.
    {
        ignores: [
            "node_modules/",
            "bin/",
            "dist/",
            "examples/",
            "policy/",
            "rendered/",
            "scratch/",
            ".stryker-tmp/",
            "reports/",
            "**/*.js",
            "**/*.mjs",
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
    {
        // Tests read untyped mock inputs (`any`) on purpose; chai's property assertions are expressions.
        files: ["test/**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-return": "off",
            "@typescript-eslint/no-unused-expressions": "off",
        },
    },
    prettier,
);
