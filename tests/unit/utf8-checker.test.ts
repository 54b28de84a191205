import { expect, test } from "vitest";
import { createUtf8Checker } from "~/importers/read-file.server";
import { ImportFailed } from "~/importers/problems";

/** Feeds `bytes` to a checker in pieces cut at `cuts`; the problem it reports, or null. */
function check(bytes: Buffer, cuts: number[]) {
  const checker = createUtf8Checker("seats.csv");
  let from = 0;
  try {
    for (const to of [...cuts, bytes.length]) {
      checker.check(bytes.subarray(from, to));
      from = to;
    }
    checker.end();
    return null;
  } catch (error) {
    if (!(error instanceof ImportFailed)) throw error;
    return error.problems;
  }
}

// Two-, three- and four-byte characters, and a byte-order mark.
const valid = Buffer.from("\ufeffname,place\nSiôn,Glyndŵr\nZoë,“Penmôr” ✔️ 🏴\n", "utf8");

test("valid UTF-8 passes however it is cut into chunks, even through a character", () => {
  for (let cut = 0; cut <= valid.length; cut++) expect(check(valid, [cut]), `cut at ${cut}`).toBeNull();
  expect(
    check(
      valid,
      Array.from({ length: valid.length }, (_, i) => i),
    ),
  ).toBeNull();
});

test("the first bad byte is named with its line, column and offset, wherever the chunks are cut", () => {
  // Windows-1252's "é" (0xE9) after "Caf" on line 3; a lone 0xE9 looks like
  // the start of a three-byte character, so a decoder only notices at the comma.
  const bad = Buffer.concat([
    Buffer.from("name,place\nSiôn,Glyndŵr\nCaf"),
    Buffer.from([0xe9]),
    Buffer.from(",Dale\n"),
  ]);
  const offset = bad.indexOf(0xe9);
  const expected = [
    {
      file: "seats.csv",
      line: 3,
      message: `the file is not UTF-8: byte 0xe9 at column 4 of the line (offset ${offset} in the file); save it as UTF-8 and try again`,
    },
  ];
  for (let cut = 0; cut <= bad.length; cut++) expect(check(bad, [cut]), `cut at ${cut}`).toEqual(expected);
  expect(
    check(
      bad,
      Array.from({ length: bad.length }, (_, i) => i),
    ),
  ).toEqual(expected);
});

test("a character cut off by the end of the file is refused", () => {
  const cut = Buffer.from("name\nGlyndŵ", "utf8").subarray(0, -1);

  expect(check(cut, [7])).toEqual([
    expect.objectContaining({
      line: 2,
      message: expect.stringContaining("byte 0xc5 at column 6"),
    }),
  ]);
});
