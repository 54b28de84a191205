// d3-hexjson 1.1.1 ships no types. Only what the map uses is declared here.
declare module "d3-hexjson" {
  export type HexJsonLayout = "odd-r" | "even-r" | "odd-q" | "even-q";
  export type HexJsonHex = { q: number; r: number };
  export type HexJson<H extends HexJsonHex = HexJsonHex> = { layout: HexJsonLayout; hexes: Record<string, H> };
  export type HexVertex = { x: number; y: number };
  /**
   * The input hex with what renderHexJSON adds (it also writes these onto the
   * input objects): its key, its column and row counted from the top left,
   * its centre, and its vertices relative to that centre.
   */
  export type RenderedHex<H extends HexJsonHex = HexJsonHex> = H & {
    key: string;
    qc: number;
    rc: number;
    x: number;
    y: number;
    vertices: HexVertex[];
    points: string;
  };
  /** Sizes the hexes to fit width × height and places each one. r counts rows from the bottom. */
  export function renderHexJSON<H extends HexJsonHex>(
    hexjson: HexJson<H>,
    width: number,
    height: number,
  ): RenderedHex<H>[];
}
