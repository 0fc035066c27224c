// Redis Cluster's key-to-slot function (CRC16-XMODEM of the key, or of its first non-empty
// {hash tag}, modulo 16384), and one hash tag per slot so the store can keep a key in every slot.

export const CLUSTER_SLOTS = 16_384;

const CRC16_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc;
}

/** The slot Redis Cluster assigns `key` to (the CLUSTER KEYSLOT rules). */
export function keySlot(key: string): number {
  const bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(0x7b); // {
  if (open !== -1) {
    const close = bytes.indexOf(0x7d, open + 1); // }
    if (close > open + 1) return crc16(bytes.subarray(open + 1, close)) % CLUSTER_SLOTS;
  }
  return crc16(bytes) % CLUSTER_SLOTS;
}

let tags: string[] | undefined;

/**
 * A short hash tag for every slot: `{${slotTags()[n]}}` in a key puts it in slot n. Found once by
 * trying base-36 counters (about 160,000 CRCs, a few tens of milliseconds).
 */
export function slotTags(): readonly string[] {
  if (tags) return tags;
  const found: Array<string | undefined> = new Array(CLUSTER_SLOTS);
  let missing = CLUSTER_SLOTS;
  for (let n = 0; missing > 0; n++) {
    const tag = n.toString(36);
    const slot = crc16(Buffer.from(tag, 'latin1')) % CLUSTER_SLOTS;
    if (found[slot] === undefined) {
      found[slot] = tag;
      missing--;
    }
  }
  tags = found as string[];
  return tags;
}
