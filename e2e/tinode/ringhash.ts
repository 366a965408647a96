// Topic placement: a port of github.com/tinode/chat/server/ringhash with the cluster's settings
// (cluster.go: clusterHashReplicas = 20, crc32 IEEE). Every node builds the same ring from the
// names of the live nodes; the node a topic name lands on hosts the topic, the others proxy it.

const CRC_TABLE = (() => {
    const t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
        let c = n;
        for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        t[n] = c >>> 0;
    }
    return t;
})();

export function crc32(text: string): number {
    let c = 0xffffffff;
    for (const b of Buffer.from(text, "utf8")) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

const RING_REPLICAS = 20;

/** The node that hosts `topic` when `nodes` are the live cluster nodes. */
export function topicMaster(nodes: string[], topic: string): string {
    const ring: { key: string; hash: number }[] = [];
    for (const key of nodes) for (let i = 0; i < RING_REPLICAS; i++) ring.push({ key, hash: crc32(String(i) + key) });
    ring.sort((a, b) => a.hash - b.hash || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const hash = crc32(topic);
    // Go compares the ring entry's node name with the topic name on a hash tie; kept as is.
    const idx = ring.findIndex((e) => e.hash > hash || (e.hash === hash && e.key >= topic));
    return ring[idx < 0 ? 0 : idx].key;
}
