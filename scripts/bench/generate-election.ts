// Generates stand-ins for the four real 2024 election files, of the same shape
// and about the same size, for machines without ../shared/realdata. The output
// is deterministic (a seeded generator), so two runs import identical bytes.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export const generatedFileNames = [
  "generated-hoc-constituencies.csv",
  "generated-ons-constituencies.csv",
  "generated-constituencies.hexjson",
  "generated-oi-candidates.csv",
] as const;

// The 2024 GSS code ranges: 543 English, 32 Welsh, 57 Scottish, 18 Northern Irish seats.
const codeRanges = [
  { prefix: "E14", from: 1063, count: 543, nation: "England" },
  { prefix: "W07", from: 81, count: 32, nation: "Wales" },
  { prefix: "S14", from: 60, count: 57, nation: "Scotland" },
  { prefix: "N05", from: 1, count: 18, nation: "Northern Ireland" },
] as const;

type Nation = (typeof codeRanges)[number]["nation"];

const englishRegions = [
  { code: "E12000001", name: "North East", colour: "#D60303" },
  { code: "E12000002", name: "North West", colour: "#1DD3A7" },
  { code: "E12000003", name: "Yorkshire and The Humber", colour: "#F9BC26" },
  { code: "E12000004", name: "East Midlands", colour: "#00B6FF" },
  { code: "E12000005", name: "West Midlands", colour: "#E6007C" },
  { code: "E12000006", name: "East of England", colour: "#FF6700" },
  { code: "E12000007", name: "London", colour: "#D73058" },
  { code: "E12000008", name: "South East", colour: "#67E767" },
  { code: "E12000009", name: "South West", colour: "#178CFF" },
];
const nationRegions: Record<Exclude<Nation, "England">, { code: string; name: string; colour: string }> = {
  Wales: { code: "W92000004", name: "Wales", colour: "#0DBC37" },
  Scotland: { code: "S92000003", name: "Scotland", colour: "#2254F4" },
  "Northern Ireland": { code: "N92000002", name: "Northern Ireland", colour: "#722EA5" },
};

const placeStarts = [
  "Ash",
  "Bar",
  "Black",
  "Brad",
  "Brent",
  "Brook",
  "Burn",
  "Castle",
  "Chester",
  "Clay",
  "Crow",
  "Dun",
  "East",
  "Elm",
  "Fair",
  "Glen",
  "Green",
  "Hales",
  "Hart",
  "High",
  "Holm",
  "Kings",
  "Lang",
  "Lin",
  "Long",
  "Mar",
  "Mill",
  "New",
  "North",
  "Oak",
  "Pen",
  "Red",
  "Rother",
  "Salt",
  "Shep",
  "Stan",
  "Stock",
  "Stone",
  "Sut",
  "Thorn",
  "Wal",
  "West",
  "Whit",
  "Wick",
  "Wind",
  "Wood",
  "Wor",
  "Yar",
];
const placeEnds = [
  "bury",
  "by",
  "caster",
  "combe",
  "dale",
  "don",
  "field",
  "ford",
  "gate",
  "ham",
  "hampton",
  "hill",
  "holme",
  "ley",
  "minster",
  "mouth",
  "port",
  "stead",
  "thorpe",
  "ton",
  "wich",
  "well",
  "wick",
  "worth",
];
const qualifiers = ["North", "South", "East", "West", "Central", "Valley", "Vale", "Coast", "Rural"];
const firstNames = [
  "Alex",
  "Amir",
  "Anna",
  "Ben",
  "Bethan",
  "Callum",
  "Chloe",
  "Daniel",
  "Deborah",
  "Eilidh",
  "Emma",
  "Fatima",
  "Gareth",
  "Grace",
  "Hamish",
  "Helen",
  "Imran",
  "Isla",
  "James",
  "Jasmine",
  "Kate",
  "Kwame",
  "Laura",
  "Liam",
  "Mairead",
  "Mark",
  "Mohammed",
  "Nia",
  "Oliver",
  "Orla",
  "Paul",
  "Priya",
  "Rachel",
  "Rhys",
  "Sarah",
  "Seamus",
  "Tom",
  "Una",
  "Victoria",
  "William",
  "Yusuf",
  "Zoe",
];
const surnames = [
  "Ahmed",
  "Baker",
  "Campbell",
  "Chowdhury",
  "Davies",
  "Doherty",
  "Evans",
  "Fraser",
  "Green",
  "Hughes",
  "Iqbal",
  "Jones",
  "Kaur",
  "Kelly",
  "Lewis",
  "MacDonald",
  "Morgan",
  "Murphy",
  "Nowak",
  "O'Neill",
  "Patel",
  "Quinn",
  "Roberts",
  "Shah",
  "Smith",
  "Stewart",
  "Taylor",
  "Thomas",
  "Walker",
  "Williams",
  "Wright",
  "Young",
];
// Party key and name as Open Innovations wrote them; the big five stand almost everywhere.
const majorParties = [
  ["con", "Conservative and Unionist Party"],
  ["lab", "Labour Party"],
  ["ld", "Liberal Democrats"],
  ["green", "Green Party"],
  ["ref", "Reform UK"],
] as const;
const nationalParties: Record<Nation, readonly (readonly [string, string])[]> = {
  England: [],
  Wales: [["pc", "Plaid Cymru - The Party of Wales"]],
  Scotland: [
    ["snp", "Scottish National Party (SNP)"],
    ["alba", "Alba Party"],
  ],
  "Northern Ireland": [
    ["sdlp", "SDLP (Social Democratic & Labour Party)"],
    ["apni", "Alliance - Alliance Party of Northern Ireland"],
    ["uup", "Ulster Unionist Party"],
    ["dup", "Democratic Unionist Party - D.U.P."],
    ["sf", "Sinn Féin"],
    ["tuv", "Traditional Unionist Voice - TUV"],
  ],
};
// About 90 minor parties plus independents make up the rest, as in 2024.
const minorParties = [
  "Independent",
  ...Array.from(
    { length: 90 },
    (_, i) =>
      `${placeStarts[i % placeStarts.length]}${placeEnds[i % placeEnds.length]} ` +
      ["Independents", "Alliance", "People's Party", "First"][Math.floor(i / placeStarts.length)],
  ),
];

const candidateCount = 4515;

type Seat = {
  code: string;
  name: string;
  nameCy: string;
  nation: Nation;
  region: { code: string; name: string; colour: string };
};

/** Writes the four files into `dir` and returns their paths in import order. */
export function writeGeneratedElection({ dir, seed = 20240704 }: { dir: string; seed?: number }): string[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const seats = makeSeats(random, pick);
  const paths = generatedFileNames.map((name) => join(dir, name));
  writeFileSync(paths[0]!, hocCsv(seats, random, pick));
  writeFileSync(paths[1]!, onsCsv(seats));
  writeFileSync(paths[2]!, hexJson(seats, random));
  writeFileSync(paths[3]!, candidatesCsv(seats, random, pick));
  return paths;
}

function makeSeats(random: () => number, pick: <T>(items: readonly T[]) => T): Seat[] {
  const used = new Set<string>();
  const seats: Seat[] = [];
  for (const range of codeRanges) {
    for (let i = 0; i < range.count; i++) {
      let name = "";
      // Distinct slugs, since the importer refuses two seats at one web address.
      while (name === "" || used.has(slugKey(name))) {
        const a = `${pick(placeStarts)}${pick(placeEnds)}`;
        const shape = random();
        // A few names with commas, so some cells are quoted as in the real files.
        if (shape < 0.03)
          name = `${a}, ${pick(placeStarts)}${pick(placeEnds)} and ${pick(placeStarts)}${pick(placeEnds)}`;
        else if (shape < 0.45) name = `${a} and ${pick(placeStarts)}${pick(placeEnds)}`;
        else if (shape < 0.75) name = `${a} ${pick(qualifiers)}`;
        else name = a;
      }
      used.add(slugKey(name));
      const code = `${range.prefix}${String(range.from + i).padStart(6, "0")}`;
      const region = range.nation === "England" ? pick(englishRegions) : nationRegions[range.nation];
      seats.push({
        code,
        name,
        nameCy: range.nation === "Wales" ? `${name} (Cymraeg)` : "",
        nation: range.nation,
        region,
      });
    }
  }
  return seats.sort((a, b) => a.name.localeCompare(b.name, "en-GB"));
}

function slugKey(name: string) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

function csvLine(values: readonly (string | number)[]) {
  return values
    .map((v) => {
      const text = String(v);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(",");
}

const hocHeader = [
  "ONS ID",
  "ONS region ID",
  "Constituency name",
  "County name",
  "Region name",
  "Country name",
  "Constituency type",
  "Declaration time",
  "Member first name",
  "Member surname",
  "Member gender",
  "Result",
  "First party",
  "Second party",
  "Electorate",
  "Valid votes",
  "Invalid votes",
  "Majority",
  "Con",
  "Lab",
  "LD",
  "RUK",
  "Green",
  "SNP",
  "PC",
  "DUP",
  "SF",
  "SDLP",
  "UUP",
  "APNI",
  "All other candidates",
  "Of which other winner",
];

function hocCsv(seats: Seat[], random: () => number, pick: <T>(items: readonly T[]) => T) {
  const lines = [csvLine(hocHeader)];
  for (const seat of seats) {
    const electorate = 56000 + Math.floor(random() * 22000);
    const valid = Math.floor(electorate * (0.5 + random() * 0.2));
    const votes = Array.from({ length: 12 }, () => Math.floor(random() * valid * 0.35));
    const sorted = [...votes].sort((a, b) => b - a);
    lines.push(
      csvLine([
        seat.code,
        seat.region.code,
        seat.name,
        "",
        seat.region.name,
        seat.nation,
        pick(["County", "Borough", "County", "Burgh"]),
        "",
        pick(firstNames),
        pick(surnames),
        pick(["Male", "Female"]),
        `${pick(["Lab", "Con", "LD"])} ${pick(["hold", "gain from Con"])}`,
        pick(["Lab", "Con", "LD"]),
        pick(["RUK", "Con", "Lab"]),
        electorate,
        valid,
        Math.floor(random() * 200),
        sorted[0]! - sorted[1]!,
        ...votes,
        Math.floor(random() * 2000),
        0,
      ]),
    );
  }
  return `${lines.join("\n")}\n`;
}

function onsCsv(seats: Seat[]) {
  const byCode = [...seats].sort((a, b) => a.code.localeCompare(b.code));
  const lines = [csvLine(["PCON24CD", "PCON24NM", "PCON24NMW", "ObjectId"])];
  byCode.forEach((seat, i) => lines.push(csvLine([seat.code, seat.name, seat.nameCy, i + 1])));
  return `${lines.join("\n")}\n`;
}

/** An odd-r layout on the real grid (q 42..72, r -46..0), one distinct hex a seat. */
function hexJson(seats: Seat[], random: () => number) {
  const positions: [number, number][] = [];
  for (let r = -46; r <= 0; r++) for (let q = 42; q <= 72; q++) positions.push([q, r]);
  shuffle(positions, random);
  const hexLines = seats.map((seat, i) => {
    const [q, r] = positions[i]!;
    const hex = { n: seat.name, r, q, region: seat.region.code, colour: seat.region.colour };
    return `\t\t${JSON.stringify(seat.code)}:${JSON.stringify(hex)}`;
  });
  // Region boundaries: the real file has 17 with 229 edges in all.
  const boundaryBlocks = Array.from({ length: 17 }, (_, b) => {
    const edges = Array.from({ length: 13 }, () => {
      const [q, r] = positions[Math.floor(random() * seats.length)]!;
      return `\t\t\t\t{"q":${q},"r":${r},"e":${1 + Math.floor(random() * 6)}}`;
    });
    return `\t\t"b${b}": {\n\t\t\t"type": "${b < 2 ? "country" : "region"}",\n\t\t\t"edges": [\n${edges.join(",\n")}\n\t\t\t]\n\t\t}`;
  });
  return (
    `{\n\t"layout":"odd-r",\n\t"version": "1.2",\n\t"hexes": {\n${hexLines.join(",\n")}\n\t},\n` +
    `\t"boundaries": {\n${boundaryBlocks.join(",\n")}\n\t}\n}\n`
  );
}

function candidatesCsv(seats: Seat[], random: () => number, pick: <T>(items: readonly T[]) => T) {
  const personIds = new Set<number>();
  while (personIds.size < candidateCount) personIds.add(1 + Math.floor(random() * 120000));
  const ids = [...personIds];
  // Every seat gets the big five (plus its nation's parties); the rest are minor parties.
  const rows: string[][] = [];
  const seatsInOrder = [...seats];
  let next = 0;
  const add = (seat: Seat, party: readonly [string, string]) => {
    const id = ids[next++]!;
    const uuid = [8, 4, 4, 4, 12].map((length) => hexString(random, length)).join("-");
    const image = `https://s3.eu-west-2.amazonaws.com/static-candidates.democracyclub.org.uk/media/images/people/${id}/${uuid}.png`;
    const name = `${pick(firstNames)} ${pick(surnames)}`;
    rows.push([String(id), name, image, "parl.2024-07-04", party[0], party[1], seat.code, seat.name, "f"]);
  };
  for (const seat of seatsInOrder) {
    for (const party of [...majorParties, ...nationalParties[seat.nation]]) {
      if (next < candidateCount && random() < 0.97) add(seat, party);
    }
  }
  while (next < candidateCount) add(pick(seatsInOrder), ["other", pick(minorParties)]);
  // Open Innovations sorted by person_id as text.
  rows.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  const header = [
    "person_id",
    "person_name",
    "image",
    "election_id",
    "party_key",
    "party_name",
    "pcon24cd",
    "post_label",
    "cancelled_poll",
  ];
  return `${[csvLine(header), ...rows.map(csvLine)].join("\r\n")}\r\n`;
}

function hexString(random: () => number, length: number) {
  let text = "";
  for (let i = 0; i < length; i++) text += Math.floor(random() * 16).toString(16);
  return text;
}

function shuffle<T>(items: T[], random: () => number) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** A small, well-known seeded generator (Tommy Ettinger's mulberry32). */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
