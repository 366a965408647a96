// Typed, validated reads of stack config. Every problem is collected, so one `pulumi preview`
// reports all of them, each naming its key and what it accepts.

import * as pulumi from "@pulumi/pulumi";
import { keySpec } from "./keys";

/**
 * Where raw values come from: `pulumi.Config#get` in the program, a plain object in tests.
 * `isSecret` says whether a key was set with `--secret`; without it nothing can be checked.
 */
export type ConfigSource = ((key: string) => string | undefined) & { isSecret?: (key: string) => boolean };

/**
 * Whether the stack's value of `fullKey` (e.g. `tinode:backupS3SecretAccessKey`) was set with
 * `--secret`. The CLI passes the secret keys' names to the program (PULUMI_CONFIG_SECRET_KEYS),
 * which the SDK reads in `runtime.isConfigSecret`; that function is exported but marked internal,
 * hence the lookup by name with the environment variable as the fallback.
 */
export function isPulumiConfigSecret(fullKey: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
    if (typeof runtime.isConfigSecret === "function") return runtime.isConfigSecret(fullKey);
    const keys: unknown = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS || "[]");
    return Array.isArray(keys) && keys.includes(fullKey);
}

/**
 * A RunError, so `pulumi preview` prints the message alone, without a stack trace: the user needs
 * the keys to fix, not where in this program they were found.
 */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly problems: string[],
        what = "stack configuration",
    ) {
        super(`Invalid ${what}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

/**
 * No stack value needs a control character, and values reach files and command lines (a newline in a
 * MySQL user would add a line to the client option file the backup job writes).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\x00-\x1f\x7f]/;
export const NO_CONTROL_CHARACTERS = "must not contain control characters (newlines, tabs)";

/**
 * How a problem names a key and says how to fix it. The same rules read two kinds of input: the stack's
 * config (`tinode:replicas`, fixed with `pulumi config set`) and the component's args
 * (`TinodeClusterArgs.replicas`, fixed in the program that passes them, components/tinodeCluster.ts).
 */
export interface KeyNaming {
    /** A key, or a field path inside one (`email.password`), as its user writes it. */
    name(key: string): string;
    /** What to do with a secret given in plain text; `field` when it is a field of a structured key. */
    secretFix(name: string, field: boolean): string;
    /** Appended to "is required with ..." of a secret. */
    readonly secretHint: string;
    /** Appended to "must be an object" and "must be a list" (`name` is the key's or field's). */
    objectHint(name: string): string;
    listHint(name: string, item: string): string;
}

/** The stack's config: keys under the project's namespace. */
export function stackKeys(prefix: string): KeyNaming {
    return {
        name: (key) => `${prefix}:${key}`,
        secretFix: (name, field) => `must be set with --secret: pulumi config set${field ? " --path" : ""} --secret ${name} <value>`,
        secretHint: "(set it with --secret)",
        objectHint: () => "(set its fields with `pulumi config set --path`)",
        listHint: (name, item) => `(set its items with \`pulumi config set --path '${name}[0]${item}'\`)`,
    };
}

/** The component's args (TinodeClusterArgs), in whichever language the program is written. */
export const COMPONENT_ARGS: KeyNaming = {
    name: (key) => `TinodeClusterArgs.${key}`,
    secretFix: () =>
        "must be a secret: pass a secret value (pulumi.secret(...), a secret config value, or another resource's secret output), not plain text, which would be stored unencrypted",
    secretHint: "(a secret value)",
    objectHint: () => "(an object of fields)",
    listHint: () => "(a list)",
};

export class ConfigReader {
    readonly problems: string[] = [];
    readonly naming: KeyNaming;

    constructor(
        private readonly source: ConfigSource,
        /** The config namespace Pulumi puts before every key (the project name, `tinode`), or a naming. */
        naming: string | KeyNaming,
    ) {
        this.naming = typeof naming === "string" ? stackKeys(naming) : naming;
    }

    /** The key as users type it: `tinode:replicas`. */
    fullKey(key: string): string {
        return this.naming.name(key);
    }

    /** A value that is absent or empty counts as unset, so `pulumi config set k ""` restores the default. */
    raw(key: string): string | undefined {
        const v = this.source(key);
        return v === undefined || v === "" ? undefined : v;
    }

    isSet(key: string): boolean {
        return this.raw(key) !== undefined;
    }

    /**
     * Set to something other than its default. Pulumi fills in Pulumi.yaml's defaults before the
     * program runs, so "present" alone does not mean the user asked for it.
     */
    isChanged(key: string, fallback: string | number | boolean): boolean {
        const v = this.raw(key);
        return v !== undefined && v !== String(fallback);
    }

    /** Records a problem. Secret values are never echoed. */
    problem(key: string, expectation: string, got?: string, secret = false): void {
        const shown =
            got === undefined
                ? ""
                : secret
                  ? " (got a value that does not fit; not shown: it is a secret)"
                  : ` (got ${JSON.stringify(got)})`;
        this.problems.push(`${this.fullKey(key)} ${expectation}${shown}`);
    }

    integer(key: string, fallback: number, min: number, max: number): number {
        const v = this.raw(key);
        if (v === undefined) return fallback;
        const n = Number(v.trim());
        if (!/^[+-]?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
            this.problem(key, `must be a whole number from ${min} to ${max}`, v);
            return fallback;
        }
        return n;
    }

    boolean(key: string, fallback: boolean): boolean {
        const v = this.raw(key);
        if (v === undefined) return fallback;
        if (v === "true") return true;
        if (v === "false") return false;
        this.problem(key, "must be true or false", v);
        return fallback;
    }

    oneOf<T extends string>(key: string, fallback: T, allowed: readonly T[]): T {
        const v = this.raw(key);
        if (v === undefined) return fallback;
        if ((allowed as readonly string[]).includes(v)) return v as T;
        this.problem(key, `must be one of ${allowed.join(", ")}`, v);
        return fallback;
    }

    /** A string checked by `check`, which returns what is wrong with it or undefined. */
    string(key: string, fallback: string, check?: (v: string) => string | undefined): string {
        return this.optionalString(key, check) ?? fallback;
    }

    /**
     * A key the registry marks secret (config/keys.ts) must come from `pulumi config set --secret`: a
     * plain value would sit in the stack file, readable by anyone with the repository. It is refused,
     * before any other check and without echoing it, when the source says the key is not secret; a
     * secret's value is never shown in a problem.
     */
    optionalString(key: string, check?: (v: string) => string | undefined): string | undefined {
        const v = this.raw(key);
        if (v === undefined) return undefined;
        const secret = keySpec(key)?.secret === true;
        if (secret && this.isPlain(key)) {
            this.problem(key, this.naming.secretFix(this.fullKey(key), false));
            return undefined;
        }
        const wrong = CONTROL_CHARACTERS.test(v) ? NO_CONTROL_CHARACTERS : check?.(v);
        if (wrong !== undefined) {
            this.problem(key, wrong, v, secret);
            return undefined;
        }
        return v;
    }

    /** The source says `key` was set without --secret (a source that cannot tell says nothing). */
    isPlain(key: string): boolean {
        return this.source.isSecret !== undefined && !this.source.isSecret(key);
    }

    /**
     * Keys that count only with another setting, given with their defaults ("" for none): each one
     * changed from its default is reported as "<key> <why>". The one home of the "this key does
     * nothing unless ..." rule: a key that would silently do nothing is an error.
     */
    onlyWith(keys: Readonly<Record<string, string | number | boolean>>, why: string): void {
        for (const [key, fallback] of Object.entries(keys)) {
            if (this.isChanged(key, fallback)) this.problem(key, why);
        }
    }

    /** onlyWith for keys of one value of a switch (`switchKey` at `needed`). */
    unusedUnless(keys: Readonly<Record<string, string | number | boolean>>, switchKey: string, needed: string): void {
        this.onlyWith(keys, `does nothing unless ${this.fullKey(switchKey)} is ${needed}: set that, or remove this key`);
    }

    /** A text key that another setting (`because`, e.g. "tinode:mediaHandler s3") makes necessary. */
    required(key: string, because: string, check?: (v: string) => string | undefined): string {
        const v = this.optionalString(key, check);
        if (!this.isSet(key)) this.problem(key, `is required with ${because}${keySpec(key)?.secret ? ` ${this.naming.secretHint}` : ""}`);
        return v ?? "";
    }

    /** A structured value (`pulumi config set --path`), which arrives as JSON text. */
    object(key: string): Record<string, unknown> | undefined {
        const v = this.raw(key);
        if (v === undefined) return undefined;
        try {
            const parsed: unknown = JSON.parse(v);
            if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
                return parsed as Record<string, unknown>;
            }
        } catch {
            // reported below
        }
        this.problem(key, `must be an object ${this.naming.objectHint(this.fullKey(key))}`, v);
        return undefined;
    }

    /** A list value (`pulumi config set --path 'k[0].field' v`), which arrives as JSON text. */
    array(key: string): unknown[] | undefined {
        const v = this.raw(key);
        if (v === undefined) return undefined;
        try {
            const parsed: unknown = JSON.parse(v);
            if (Array.isArray(parsed)) return parsed as unknown[];
        } catch {
            // reported below
        }
        this.problem(key, `must be a list ${this.naming.listHint(key, "")}`, v);
        return undefined;
    }

    /** Throws one ConfigError listing every problem recorded so far. */
    throwIfProblems(): void {
        if (this.problems.length > 0) throw new ConfigError(this.problems);
    }
}
