/**
 * A minimal baseline JPEG: one 8×8 grey block of a single shade, so only the DC coefficient is
 * coded (quantisation 1, one-symbol Huffman tables). Small enough to read, real enough for any
 * decoder; the shade depends on `index` (Gemini 3 Pro Image answers JPEG, wire-format §1.5.4).
 */

function segment(marker: number, payload: number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

/** Bits of the DC difference as JPEG codes it: category (bit length) then that many extra bits. */
function dcBits(dc: number): { category: number; bits: number[] } {
  const magnitude = Math.abs(dc);
  const category = magnitude === 0 ? 0 : Math.floor(Math.log2(magnitude)) + 1;
  const value = dc >= 0 ? dc : dc + (1 << category) - 1;
  const bits = Array.from({ length: category }, (_, i) => (value >> (category - 1 - i)) & 1);
  return { category, bits };
}

function packScan(bits: number[]): number[] {
  const padded = [...bits];
  while (padded.length % 8 !== 0) padded.push(1); // pad with one-bits
  const bytes: number[] = [];
  for (let i = 0; i < padded.length; i += 8) {
    const byte = padded.slice(i, i + 8).reduce((acc, bit) => (acc << 1) | bit, 0);
    bytes.push(byte);
    if (byte === 0xff) bytes.push(0x00); // byte stuffing
  }
  return bytes;
}

export function makeJpeg(index: number): Buffer {
  const shade = (60 + index * 70) % 256;
  // Level-shifted DC of a flat block: F(0,0) = 8 × (shade − 128).
  const { category, bits } = dcBits(8 * (shade - 128));
  const huffmanLengths = (count: number): number[] => [count, ...new Array<number>(15).fill(0)];
  const bytes = [
    0xff,
    0xd8, // SOI
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]), // JFIF
    ...segment(0xfe, [...Buffer.from(`gemgate fake image ${index}`, 'ascii')]), // COM
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]), // DQT: table 0, all ones
    ...segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // SOF0: 8 bit, 8×8, one component
    ...segment(0xc4, [0x00, ...huffmanLengths(1), category]), // DHT DC 0: one code "0"
    ...segment(0xc4, [0x10, ...huffmanLengths(1), 0x00]), // DHT AC 0: one code "0" = EOB
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS
    ...packScan([0, ...bits, 0]), // DC code, DC extra bits, EOB
    0xff,
    0xd9, // EOI
  ];
  return Buffer.from(bytes);
}
