// The shape of one config key in the registry (config/keys.ts), and the README's areas.
export type KeyType = "string" | "integer" | "boolean" | "array" | "object";

/** The README's sections of the reference, in this order. */
export const AREAS = {
    server: "Tinode servers",
    database: "Database",
    exposure: "Exposure and isolation",
    media: "Media uploads",
    features: "Tinode features",
    scheduling: "Scheduling",
    backup: "Backups",
    monitoring: "Monitoring",
    data: "Data safety and rendering",
} as const;

export interface KeySpec {
    type: KeyType;
    /** What Pulumi.yaml declares; "" means unset, and the reader may then use a value of its own. */
    default: string | number | boolean | readonly string[] | Readonly<Record<string, never>>;
    area: keyof typeof AREAS;
    /** The value must be set with `pulumi config set --secret` (refused otherwise). */
    secret?: true;
    /**
     * Fields of a structured key that must be set with `pulumi config set --path --secret`; `[]`
     * stands for any list index. Pulumi then marks the whole key secret, which is what the program
     * can check (refused otherwise).
     */
    secretFields?: readonly string[];
    /** One paragraph: Pulumi.yaml's description and the README's. */
    description: string;
    /**
     * The component arg's TypeScript type (config/args.ts), where `type` alone does not say it:
     * structured keys. Types it names come from config/argTypes.ts.
     */
    argType?: string;
    /** Read by the stack program only (it compares with the stack's last deployment): not an arg. */
    stackOnly?: true;
}
