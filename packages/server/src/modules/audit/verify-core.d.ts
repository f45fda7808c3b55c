export declare const N_FIELDS: number;

export declare class JsonbCanonicaliser {
  canonical(text: string): string;
}

export interface BlockDoubt {
  index: number;
  id: number;
  /** The hash the record should link to; null for the block's first record (the caller knows it). */
  prev: string | null;
  prevId: number | null;
}

export type BlockResult =
  | { n: number; structural: true }
  | { n: number; structural?: undefined; firstId: number; firstPrev: string; lastId: number; lastHash: string; doubts: BlockDoubt[] };

export declare class BlockChecker {
  constructor(key: Buffer);
  check(data: string | Uint8Array, format: "copy" | "agg"): BlockResult;
}
