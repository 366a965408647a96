// Typed reads of the fields of a structured stack setting (`pulumi config set --path tinode:email.smtpHost ...`).
// Pulumi hands such a value over as JSON in which `--path` has stored numbers and booleans as such; a
// quoted "587" or "true" is accepted too. Every problem names the field as the user types its path.
import { isSecretField } from "./keys";
import { CONTROL_CHARACTERS, ConfigReader, NO_CONTROL_CHARACTERS } from "./reader";

export class Fields {
    private constructor(
        private readonly r: ConfigReader,
        /** The path of this object without the namespace: `email`, `push.fcm`, `webrtc.iceServers[0]`. */
        readonly path: string,
        private readonly value_: Record<string, unknown>,
    ) {}

    /** The object at `key` (unset gives an empty object); fields not in `known` are reported (a typo would do nothing). */
    static of(r: ConfigReader, key: string, known: readonly string[]): Fields {
        return Fields.wrap(r, key, r.object(key) ?? {}, known);
    }

    static wrap(r: ConfigReader, path: string, value: Record<string, unknown>, known: readonly string[]): Fields {
        for (const field of Object.keys(value)) {
            if (!known.includes(field)) r.problem(`${path}.${field}`, `is not a known field: use ${known.join(", ")}`);
        }
        return new Fields(r, path, value);
    }

    /** The field's path as users type it after the namespace. */
    at(field: string): string {
        return `${this.path}.${field}`;
    }

    /** Set to something other than null or "" (an empty value restores the default, as for flat keys). */
    has(field: string): boolean {
        const v = this.value_[field];
        return v !== undefined && v !== null && v !== "";
    }

    /** The value as Pulumi handed it over, for fields passed on to Tinode unchanged. */
    value(field: string): unknown {
        return this.value_[field];
    }

    /** Names of the fields that are set. */
    setFields(): string[] {
        return Object.keys(this.value_).filter((f) => this.has(f));
    }

    problem(field: string, expectation: string, got?: unknown, secret = false): void {
        this.r.problem(this.at(field), expectation, got === undefined ? undefined : display(got), secret);
    }

    /** The stack key this object belongs to (`push` for `push.fcm`) and the field's path inside it. */
    private keyAndField(field: string): [string, string] {
        const path = this.at(field);
        const key = /^[^.[]+/.exec(path)![0];
        return [key, path.slice(key.length + 1)];
    }

    /**
     * A text field. One the registry marks secret (config/keys.ts secretFields) is never echoed, and is
     * refused unless it was set with --path --secret (Pulumi then marks the whole key secret).
     */
    string(field: string, check?: (v: string) => string | undefined, multiline = false): string | undefined {
        if (!this.has(field)) return undefined;
        const [key, inKey] = this.keyAndField(field);
        const secret = isSecretField(key, inKey);
        if (secret && this.r.isPlain(key)) {
            this.problem(field, this.r.naming.secretFix(this.r.fullKey(this.at(field)), true));
            return undefined;
        }
        const v = this.value_[field];
        if (typeof v !== "string" && typeof v !== "number") {
            this.problem(field, "must be text", v, secret);
            return undefined;
        }
        const text = String(v);
        // Only a document (the FCM service account's JSON) may span lines.
        const wrong = !multiline && CONTROL_CHARACTERS.test(text) ? NO_CONTROL_CHARACTERS : check?.(text);
        if (wrong !== undefined) {
            this.problem(field, wrong, text, secret);
            return undefined;
        }
        return text;
    }

    integer(field: string, fallback: number, min: number, max: number): number {
        if (!this.has(field)) return fallback;
        const v = this.value_[field];
        const n = typeof v === "number" ? v : typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : NaN;
        if (!Number.isSafeInteger(n) || n < min || n > max) {
            this.problem(field, `must be a whole number from ${min} to ${max}`, v);
            return fallback;
        }
        return n;
    }

    boolean(field: string, fallback: boolean): boolean {
        if (!this.has(field)) return fallback;
        const v = this.value_[field];
        if (v === true || v === "true") return true;
        if (v === false || v === "false") return false;
        this.problem(field, "must be true or false", v);
        return fallback;
    }

    oneOf<T extends string>(field: string, fallback: T, allowed: readonly T[]): T {
        const v = this.string(field);
        if (v === undefined) return fallback;
        if ((allowed as readonly string[]).includes(v)) return v as T;
        this.problem(field, `must be one of ${allowed.join(", ")}`, v);
        return fallback;
    }

    /** A list of strings, each checked by `check` (problems name the item: `email.domains[1]`). */
    stringList(field: string, check?: (v: string) => string | undefined): string[] {
        if (!this.has(field)) return [];
        const v = this.value_[field];
        if (!Array.isArray(v)) {
            this.problem(field, `must be a list ${this.r.naming.listHint(this.at(field), "")}`, v);
            return [];
        }
        const out: string[] = [];
        v.forEach((item, i) => {
            const wrong = typeof item !== "string" || item === "" ? "must be non-empty text" : check?.(item);
            if (wrong !== undefined) this.r.problem(`${this.at(field)}[${i}]`, wrong, display(item));
            else out.push(item as string);
        });
        return out;
    }

    /** A nested object, or undefined when the field is not set. */
    object(field: string, known: readonly string[]): Fields | undefined {
        if (!this.has(field)) return undefined;
        const v = this.value_[field];
        if (v === null || typeof v !== "object" || Array.isArray(v)) {
            this.problem(field, "must be an object", v);
            return undefined;
        }
        return Fields.wrap(this.r, this.at(field), v as Record<string, unknown>, known);
    }

    /** A list of objects. */
    objects(field: string, known: readonly string[]): Fields[] {
        if (!this.has(field)) return [];
        const v = this.value_[field];
        if (!Array.isArray(v)) {
            this.problem(field, `must be a list ${this.r.naming.listHint(this.at(field), ".field")}`, v);
            return [];
        }
        const out: Fields[] = [];
        v.forEach((item, i) => {
            const path = `${this.at(field)}[${i}]`;
            if (item === null || typeof item !== "object" || Array.isArray(item)) this.r.problem(path, "must be an object", display(item));
            else out.push(Fields.wrap(this.r, path, item as Record<string, unknown>, known));
        });
        return out;
    }
}

function display(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}
