import { expect, test } from "vitest";
import { slugify } from "~/utils/names";

// These slugs must equal the middle of Democracy Club's ballot_paper_id
// (parl.<slug>.2024-07-04), because candidates are matched to seats by them.

test("drops apostrophes rather than turning them into hyphens", () => {
  expect(slugify("Queen's Park and Maida Vale")).toBe("queens-park-and-maida-vale");
});

test("drops curly apostrophes too, as pasted from a word processor", () => {
  expect(slugify("Queen’s Park and Maida Vale")).toBe("queens-park-and-maida-vale");
  expect(slugify("Queen‘s Park and Maida Vale")).toBe("queens-park-and-maida-vale");
});

test("strips the Welsh circumflex: Glyndŵr and Ynys Môn", () => {
  expect(slugify("Montgomeryshire and Glyndŵr")).toBe("montgomeryshire-and-glyndwr");
  expect(slugify("Ynys Môn")).toBe("ynys-mon");
  expect(slugify("Gŵyr")).toBe("gwyr");
});

test("gives the same slug for a name with or without its accents, so the ONS 'Glyndwr' joins the HoC 'Glyndŵr'", () => {
  expect(slugify("Montgomeryshire and Glyndwr")).toBe(slugify("Montgomeryshire and Glyndŵr"));
});

test("treats a decomposed accent (o + combining circumflex) like the composed one", () => {
  expect(slugify("Ynys Mo\u0302n")).toBe("ynys-mon");
});

test("turns commas and their spaces into a single hyphen", () => {
  expect(slugify("Ayr, Carrick and Cumnock")).toBe("ayr-carrick-and-cumnock");
});

test("keeps existing hyphens and collapses runs of other punctuation", () => {
  expect(slugify("Weston-super-Mare")).toBe("weston-super-mare");
  expect(slugify("  Brighton  Kemptown & Peacehaven ")).toBe("brighton-kemptown-peacehaven");
});
