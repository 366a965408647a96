import { createHash } from "crypto";

/** Hex SHA-256 of text; `length` cuts it for use in names. */
export function sha256(text: string, length = 64): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}
