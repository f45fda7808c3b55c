export declare const COPY_SELECT: string;

export interface BlockDoubt {
  index: number;
  id: number;
  /** The hash the record should link to; null for the block's first record (the caller knows it). */
  prev: string | null;
  prevId: number | null;
}

export interface BlockResult {
  n: number;
  firstId: number;
  firstPrev: string;
  lastId: number;
  lastHash: string;
  doubts: BlockDoubt[];
}

export declare class BlockChecker {
  constructor(key: Uint8Array);
  check(block: Uint8Array, from?: number, to?: number): BlockResult;
}
