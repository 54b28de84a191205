// GET /find and the home page's postcode form, through the real loaders, with
// the default local lookup over postcodes each test file inserts.
import { beforeEach, expect, test } from "vitest";
import { loader as homeLoader } from "~/routes/_index";
import { loader as findLoader } from "~/routes/find";
import { insertCampaign, insertConstituency, insertPostcode } from "../factories";

const seats = { mardale: "Mardale and Thorne", glenmorven: "Glenmorven and Strathkin", brackenby: "Brackenby Vale" };

beforeEach(async () => {
  await insertCampaign();
  const mardale = await insertConstituency({ name: seats.mardale });
  const glenmorven = await insertConstituency({ name: seats.glenmorven, nation: "Scotland", gssCode: "S14009901" });
  await insertConstituency({ name: seats.brackenby });
  await insertPostcode({ postcode: "ZZ1 1AA", constituencyCode: mardale.gssCode });
  await insertPostcode({ postcode: "ZZ16 2AD", constituencyCode: glenmorven.gssCode });
  await insertPostcode({ postcode: "ZZ1 9ZZ", constituencyCode: mardale.gssCode, terminatedOn: "2015-06" });
  // ONSPD's pseudo-code for the Channel Islands and the Isle of Man.
  await insertPostcode({ postcode: "ZY1 1AA", constituencyCode: "L99999999" });
  // A constituency code we hold no constituency for.
  await insertPostcode({ postcode: "ZY9 1AA", constituencyCode: "E14009999" });
  await insertPostcode({ postcode: "ZY1 9ZZ", terminatedOn: "2009-12" });
});

async function find(query: string) {
  const result = await findLoader({ request: new Request(`http://localhost/find${query}`), params: {}, context: {} });
  if (!("data" in result)) return { status: result.status, location: result.headers.get("Location") };
  return { status: result.init?.status ?? 200, page: result.data };
}

test("a postcode in the directory redirects to its constituency, carrying the postcode", async () => {
  await expect(find("?postcode=zz11aa")).resolves.toEqual({
    status: 302,
    location: "/constituencies/mardale-and-thorne?postcode=ZZ1%201AA",
  });
  await expect(find("?postcode=%20Zz16%20%202ad%20")).resolves.toEqual({
    status: 302,
    location: "/constituencies/glenmorven-and-strathkin?postcode=ZZ16%202AD",
  });
});

test("choosing a constituency by name redirects to it", async () => {
  await expect(find("?constituency=brackenby-vale")).resolves.toEqual({
    status: 302,
    location: "/constituencies/brackenby-vale",
  });
});

test("with nothing asked, /find is just the two forms, with every constituency to choose from", async () => {
  const { status, page } = await find("");

  expect(status).toBe(200);
  expect(page).toMatchObject({ postcode: "", selected: "", errors: {}, unavailable: false });
  // By nation, then by name.
  expect(page?.choices).toEqual([
    { name: seats.brackenby, slug: "brackenby-vale", nation: "England" },
    { name: seats.mardale, slug: "mardale-and-thorne", nation: "England" },
    { name: seats.glenmorven, slug: "glenmorven-and-strathkin", nation: "Scotland" },
  ]);
});

test.each([
  ["?postcode=", 400, "", "Enter your postcode"],
  ["?postcode=%20%20", 400, "", "Enter your postcode"],
  ["?postcode=hello", 400, "hello", "Enter a full UK postcode, like SW1A 1AA"],
  ["?postcode=SW1A", 400, "SW1A", "Enter a full UK postcode, like SW1A 1AA"],
  [
    "?postcode=zz1%203xx",
    404,
    "zz1 3xx",
    "We cannot find the postcode ZZ1 3XX. Check it and try again, or choose your constituency from the list",
  ],
  [
    "?postcode=ZZ1%209ZZ",
    404,
    "ZZ1 9ZZ",
    "The postcode ZZ1 9ZZ is no longer in use (it stopped being used in June 2015). Enter your current postcode, or choose your constituency from the list",
  ],
  [
    "?postcode=zy11aa",
    404,
    "zy11aa",
    "ZY1 1AA is not in a UK Parliament constituency (for example, it is in the Channel Islands or the Isle of Man). Check your postcode, or choose your constituency from the list",
  ],
  [
    "?postcode=ZY9%201AA",
    404,
    "ZY9 1AA",
    "We do not have details of the constituency for ZY9 1AA yet. Check your postcode, or choose your constituency from the list",
  ],
])("%s answers %i, keeps what was typed and says what is wrong", async (query, status, typed, message) => {
  await expect(find(query)).resolves.toMatchObject({
    status,
    page: { postcode: typed, errors: { postcode: message }, unavailable: false },
  });
});

test("a terminated postcode with no constituency still gets the terminated message", async () => {
  const { page } = await find("?postcode=ZY1%209ZZ");
  expect(page?.errors.postcode).toMatch(
    /^The postcode ZY1 9ZZ is no longer in use \(it stopped being used in December 2009\)/,
  );
});

test("a very long value is not echoed back in full", async () => {
  const { status, page } = await find(`?postcode=${"A".repeat(5000)}`);
  expect(status).toBe(400);
  expect(page?.postcode).toHaveLength(40);
});

test.each([
  ["?constituency=", "an empty choice"],
  ["?constituency=nowhere-at-all", "a slug that is not ours"],
  ["?constituency=..%2Fadmin", "something that is not a slug"],
])("%s (%s) is an error on the list, not a redirect", async (query) => {
  await expect(find(query)).resolves.toMatchObject({
    status: 400,
    page: { errors: { constituency: "Choose your constituency from the list" } },
  });
});

test("the home page fills the postcode in from a shared link, normalised when it is one", async () => {
  const home = async (query: string) =>
    homeLoader({ request: new Request(`http://localhost/${query}`), params: {}, context: {} });

  expect((await home("?postcode=zz1%201aa")).postcode).toBe("ZZ1 1AA");
  expect((await home("?postcode=not%20yet")).postcode).toBe("not yet");
  expect((await home("")).postcode).toBe("");
  expect((await home("")).choices).toHaveLength(3);
});
