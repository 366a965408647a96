// Tinode client API keys (keygen/keygen.go): base64url of 8 bytes
// [version=1][appid uint32 LE][sequence uint16 LE][isRoot] followed by HMAC-MD5(salt, those 8 bytes).
import { createHmac } from "crypto";

/**
 * appid 1 and sequence 1 reproduce the key Tinode publishes for its default salt, which the web app
 * in the image carries.
 */
export function apiKeyFor(saltBase64: string, appId = 1, sequence = 1, isRoot = false): string {
    const head = Buffer.alloc(8);
    head.writeUInt8(1, 0);
    head.writeUInt32LE(appId, 1);
    head.writeUInt16LE(sequence, 5);
    head.writeUInt8(isRoot ? 1 : 0, 7);
    const signature = createHmac("md5", Buffer.from(saltBase64, "base64")).update(head).digest();
    return Buffer.concat([head, signature]).toString("base64url");
}
