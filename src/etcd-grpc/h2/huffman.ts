// HPACK's Huffman code (RFC 7541, Appendix B), decoding only: the tool's own
// header blocks are sent as plain strings. The code is canonical, so the bit
// length of each symbol (0-255, and 256 for EOS) is all it takes: codes are
// handed out in order of (length, symbol).
const LENGTHS = [
  [13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28],
  [28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28],
  [6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6],
  [5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10],
  [13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7],
  [7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6],
  [15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5],
  [6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28],
  [20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23],
  [24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24],
  [22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23],
  [21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23],
  [26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25],
  [19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27],
  [20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23],
  [26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26],
  [30],
].flat();

export const EOS = 256;

/** Each symbol's code and its length in bits, from the lengths (exported for the test). */
export function huffmanCodes(): { code: number; bits: number }[] {
  const order = LENGTHS.map((bits, symbol) => ({ bits, symbol })).sort(
    (a, b) => a.bits - b.bits || a.symbol - b.symbol,
  );
  const codes: { code: number; bits: number }[] = new Array(LENGTHS.length);
  let code = 0;
  let bits = order[0]!.bits;
  for (const s of order) {
    code *= 2 ** (s.bits - bits);
    bits = s.bits;
    codes[s.symbol] = { code, bits };
    code++;
  }
  return codes;
}

// The decoding tree: node n's children at 2n and 2n+1; a leaf holds -1 - symbol.
const tree = new Int32Array(1024);
let nodes = 1;
for (const [symbol, { code, bits }] of huffmanCodes().entries()) {
  let n = 0;
  for (let b = bits - 1; b >= 0; b--) {
    const at = 2 * n + (Math.floor(code / 2 ** b) & 1);
    if (b === 0) tree[at] = -1 - symbol;
    else {
      if (tree[at] === 0) tree[at] = nodes++;
      n = tree[at]!;
    }
  }
}

/** Decodes a Huffman-coded string; throws on EOS inside it or on padding that is not a prefix of EOS. */
export function huffmanDecode(data: Buffer, start: number, end: number): string {
  let out = '';
  let n = 0;
  let depth = 0;
  let ones = true;
  for (let p = start; p < end; p++) {
    const byte = data[p]!;
    for (let b = 7; b >= 0; b--) {
      const bit = (byte >> b) & 1;
      const next = tree[2 * n + bit]!;
      ones &&= bit === 1;
      depth++;
      if (next < 0) {
        const symbol = -1 - next;
        if (symbol === EOS) throw new Error('HPACK: EOS inside a Huffman string');
        out += String.fromCharCode(symbol);
        n = 0;
        depth = 0;
        ones = true;
      } else n = next;
    }
  }
  if (depth > 7 || !ones) throw new Error('HPACK: bad Huffman padding');
  return out;
}
