/**
 * A view of a text after some transformation (normalised, squeezed, canonical), with, for every character
 * of the view, the span of the original text it came from. Findings quote the original words through it
 * (“最✨好” is reported as written, though it was matched as 最好).
 */
export type View = {
  readonly text: string;
  /** Start in the original text of each view character (UTF-16 index). */
  readonly from: Int32Array;
  /** End (exclusive) in the original text of each view character. */
  readonly to: Int32Array;
};

/** Builds a view one piece at a time; each piece carries the original span it stands for. */
export class ViewBuilder {
  private parts: string[] = [];
  private readonly from: number[] = [];
  private readonly to: number[] = [];

  push(piece: string, start: number, end: number): void {
    for (let i = 0; i < piece.length; i++) {
      this.from.push(start);
      this.to.push(end);
    }
    this.parts.push(piece);
  }

  build(): View {
    return { text: this.parts.join(""), from: Int32Array.from(this.from), to: Int32Array.from(this.to) };
  }
}

/** The original words behind view characters [start, end). */
export function original(raw: string, view: View, start: number, end: number): string {
  if (end <= start) return "";
  return raw.slice(view.from[start] ?? 0, view.to[end - 1] ?? raw.length);
}
